package io.nmstream.common.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations as operators write them: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 7d} or ISO-8601
 * ({@code PT30S}). Every duration setting and every duration flag of the {@code nmstream} commands reads its value here.
 */
public final class Durations {

    /** What the parser accepts, for error messages. */
    public static final String FORMS = "examples: 500ms, 30s, 5m, 2h, 7d, PT1M";

    private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private Durations() {
    }

    /**
     * The duration {@code text} stands for.
     *
     * @throws IllegalArgumentException saying which forms are accepted, when it is none of them or negative
     */
    public static Duration parse(String text) {
        String t = text.trim();
        Matcher m = SIMPLE.matcher(t);
        if (m.matches()) {
            long n;
            try {
                n = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a duration: the number is too large (" + FORMS + ")");
            }
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        Duration parsed;
        try {
            parsed = Duration.parse(t);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a duration (" + FORMS + ")");
        }
        if (parsed.isNegative()) {
            throw new IllegalArgumentException("not a duration of zero or more (" + FORMS + ")");
        }
        return parsed;
    }

    /** {@code duration} as an operator writes it and {@link #parse} reads it back: {@code 500ms}, {@code 90s}, {@code 5m}. */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 1000 != 0) {
            return millis + "ms";
        }
        long seconds = millis / 1000;
        if (seconds != 0 && seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds != 0 && seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        if (seconds != 0 && seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }
}
