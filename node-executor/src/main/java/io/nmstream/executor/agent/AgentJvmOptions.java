package io.nmstream.executor.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The JVM options the node agent is launched with, kept in one file ({@code jvm.options} next to this class) that the
 * launcher hands to {@code java} as an argument file and that the footprint benchmark reads here, so that both start the
 * agent alike.
 */
public final class AgentJvmOptions {

    /** The resource, relative to this class: one option per line, {@code #} starts a comment, no quoting. */
    public static final String RESOURCE = "jvm.options";

    private AgentJvmOptions() {
    }

    /** The shipped options, in order. */
    public static List<String> shipped() {
        try (InputStream in = AgentJvmOptions.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Resource " + RESOURCE + " is missing next to " + AgentJvmOptions.class.getName());
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE + ": " + e.getMessage(), e);
        }
    }

    /** The options of an argument file as {@code java @file} reads one without quotes: comments dropped, split at blanks. */
    static List<String> parse(String text) {
        return text.lines().map(line -> line.replaceFirst("#.*", "")).flatMap(line -> Arrays.stream(line.trim().split("\\s+")))
            .filter(option -> !option.isEmpty()).toList();
    }
}
