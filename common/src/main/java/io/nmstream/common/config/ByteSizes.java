package io.nmstream.common.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses sizes as operators write them: a number of bytes, or one with {@code KiB}, {@code MiB} or {@code GiB}. */
public final class ByteSizes {

    private static final Pattern SIZE = Pattern.compile("(\\d{1,15})\\s*(|b|kib|mib|gib)");

    private ByteSizes() {
    }

    /**
     * The number of bytes {@code text} stands for.
     *
     * @throws IllegalArgumentException saying which forms are accepted
     */
    public static long parse(String text) {
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size (examples: 1048576, 512KiB, 1MiB, 2GiB)");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "kib" -> n << 10;
            case "mib" -> n << 20;
            case "gib" -> n << 30;
            default -> n;
        };
    }

    /** {@code bytes} as a person reads it: {@code 1 MiB}, {@code 512 KiB}, {@code 1000 bytes}. */
    public static String format(long bytes) {
        if (bytes >= 1 << 30 && bytes % (1 << 30) == 0) {
            return (bytes >> 30) + " GiB";
        }
        if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + (bytes == 1 ? " byte" : " bytes");
    }
}
