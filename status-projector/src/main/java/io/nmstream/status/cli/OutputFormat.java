package io.nmstream.status.cli;

import java.util.Locale;

/** How a command prints resources. */
public enum OutputFormat {
    TABLE, WIDE, YAML, JSON, JSONL, NAME;

    /**
     * Parses {@code -o} as given, accepting only {@code allowed}.
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    static OutputFormat parse(String text, OutputFormat... allowed) {
        for (OutputFormat format : allowed) {
            if (format.name().toLowerCase(Locale.ROOT).equals(text.trim().toLowerCase(Locale.ROOT))) {
                return format;
            }
        }
        StringBuilder names = new StringBuilder();
        for (OutputFormat format : allowed) {
            names.append(names.length() == 0 ? "" : ", ").append(format.name().toLowerCase(Locale.ROOT));
        }
        throw new IllegalArgumentException("Unknown output format '" + text + "': expected one of " + names);
    }
}
