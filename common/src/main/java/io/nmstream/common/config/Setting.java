package io.nmstream.common.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * One configuration setting, declared once: its name, the environment variable that may set it, how its text is
 * parsed, its default and its documentation.
 *
 * @param name dotted name, as given in a properties map or a {@code --set name=value} flag ("kafka.bootstrap.servers")
 * @param parser turns the text into a value; throws {@link IllegalArgumentException} with a reason when it cannot
 * @param defaultValue value when unset; null makes the setting required
 * @param doc one sentence for the configuration reference
 */
public record Setting<T>(String name, Function<String, T> parser, T defaultValue, String doc) {

    public Setting {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(parser, "parser");
        Objects.requireNonNull(doc, "doc");
    }

    /** The environment variable of this setting: {@code NMSTREAM_} and the name in upper case, dots and dashes as {@code _}. */
    public String envVar() {
        return "NMSTREAM_" + name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public boolean required() {
        return defaultValue == null;
    }

    public static Setting<String> string(String name, String defaultValue, String doc) {
        return new Setting<>(name, Function.identity(), defaultValue, doc);
    }

    public static Setting<Integer> integer(String name, Integer defaultValue, int min, int max, String doc) {
        return new Setting<>(name, text -> {
            int value;
            try {
                value = Integer.parseInt(text.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a whole number");
            }
            if (value < min || value > max) {
                throw new IllegalArgumentException("must be between " + min + " and " + max);
            }
            return value;
        }, defaultValue, doc);
    }

    public static Setting<Boolean> bool(String name, Boolean defaultValue, String doc) {
        return new Setting<>(name, text -> {
            String t = text.trim().toLowerCase(Locale.ROOT);
            if (t.equals("true") || t.equals("false")) {
                return Boolean.parseBoolean(t);
            }
            throw new IllegalArgumentException("must be true or false");
        }, defaultValue, doc);
    }

    public static Setting<java.time.Duration> duration(String name, java.time.Duration defaultValue, String doc) {
        return new Setting<>(name, Durations::parse, defaultValue, doc);
    }

    /** An absolute http or https URL ({@code http://registry:8081}), checked when read rather than when first used. */
    public static Setting<String> httpUrl(String name, String defaultValue, String doc) {
        return new Setting<>(name, text -> {
            URI uri;
            try {
                uri = new URI(text.trim());
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("not a URL: " + e.getReason());
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new IllegalArgumentException("must be an http:// or https:// URL with a host, e.g. http://localhost:8081");
            }
            return text.trim();
        }, defaultValue, doc);
    }

    /** A size in bytes ({@code 1048576}, {@code 512KiB}, {@code 1MiB}) from {@code min} to {@code max}. */
    public static Setting<Long> bytes(String name, Long defaultValue, long min, long max, String doc) {
        return new Setting<>(name, text -> {
            long value = ByteSizes.parse(text);
            if (value < min || value > max) {
                throw new IllegalArgumentException("must be between " + ByteSizes.format(min) + " and " + ByteSizes.format(max));
            }
            return value;
        }, defaultValue, doc);
    }
}
