package io.nmstream.common.config;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Configuration values looked up by {@link Setting}: from an explicit map (flags, tests) first, then the environment.
 *
 * <p>This is the only class that reads environment variables. Services build one at start-up and call
 * {@link #validate(List)} with every setting they declare, so that a bad value stops the start with a message naming it.
 */
public final class Config {

    private final Map<String, String> values;
    private final Map<String, String> environment;

    private Config(Map<String, String> values, Map<String, String> environment) {
        this.values = Map.copyOf(values);
        this.environment = Map.copyOf(environment);
    }

    /** Config from explicit values only (tests, embedded runs). */
    public static Config of(Map<String, String> values) {
        return new Config(values, Map.of());
    }

    /** Config from explicit values, falling back to the process environment. */
    public static Config fromEnvironment(Map<String, String> values) {
        return new Config(values, System.getenv());
    }

    /**
     * Config of a service's command line, {@code --set name=value} (or {@code --set=name=value}) pairs, falling back to
     * the environment.
     *
     * @throws ConfigException naming the first argument that is not a {@code --set name=value} pair
     */
    public static Config fromArgs(String[] args) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String pair;
            if (args[i].equals("--set") && i + 1 < args.length) {
                pair = args[++i];
            } else if (args[i].startsWith("--set=")) {
                pair = args[i].substring("--set=".length());
            } else {
                throw new ConfigException("Unexpected argument '" + args[i] + "': settings are given as --set name=value");
            }
            int eq = pair.indexOf('=');
            if (eq < 1) {
                throw new ConfigException("Argument '--set " + pair + "' is not a name=value pair");
            }
            values.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return fromEnvironment(values);
    }

    /** A copy with {@code name} set to {@code value}. */
    public Config with(String name, String value) {
        Map<String, String> copy = new HashMap<>(values);
        copy.put(name, value);
        return new Config(copy, environment);
    }

    /** The value of {@code setting}, parsed; its default when unset. */
    public <T> T get(Setting<T> setting) {
        String text = raw(setting);
        if (text == null && setting.defaultValue() instanceof String && given(setting) != null) {
            // a text setting set to "" means "none" (e.g. agent.state.dir: remember nothing), not "use the default"
            @SuppressWarnings("unchecked")
            T empty = (T) "";
            return empty;
        }
        if (text == null) {
            if (setting.required()) {
                throw new ConfigException("Setting '" + setting.name() + "' (environment variable " + setting.envVar()
                    + ") is required: " + setting.doc());
            }
            return setting.defaultValue();
        }
        try {
            return Objects.requireNonNull(setting.parser().apply(text));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ConfigException("Setting '" + setting.name() + "' (environment variable " + setting.envVar()
                + ") has value '" + text + "': " + (e.getMessage() == null ? "invalid" : e.getMessage()));
        }
    }

    /** True when the setting was given explicitly or in the environment. */
    public boolean isSet(Setting<?> setting) {
        return raw(setting) != null;
    }

    /** Parses every setting once, so that start-up fails on the first bad or missing one. */
    public void validate(List<Setting<?>> settings) {
        settings.forEach(this::get);
    }

    /** The explicit values whose names start with {@code prefix}, with the prefix removed (pass-through client settings). */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }

    private String raw(Setting<?> setting) {
        String text = given(setting);
        return text == null || text.isBlank() ? null : text;
    }

    /** The value given explicitly or in the environment, as written (possibly blank); null when not given. */
    private String given(Setting<?> setting) {
        String text = values.get(setting.name());
        return text != null ? text : environment.get(setting.envVar());
    }
}
