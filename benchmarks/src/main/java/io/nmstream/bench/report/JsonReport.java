package io.nmstream.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The bench's JSON file: the machine (core count, JVM, memory), every setting the run used, and each measurement with
 * its ratio and target, so that figures from different machines can be compared knowing what produced them.
 */
public final class JsonReport {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReport() {
    }

    /** The report as a JSON tree. */
    public static ObjectNode toJson(Instant startedAt, Instant finishedAt, Map<String, Object> settings, List<Measurement> measurements) {
        ObjectNode root = JSON.createObjectNode();
        root.put("startedAt", startedAt.toString());
        root.put("finishedAt", finishedAt.toString());
        ObjectNode machine = root.putObject("machine");
        Runtime runtime = Runtime.getRuntime();
        machine.put("cores", runtime.availableProcessors());
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        machine.put("maxHeapMiB", runtime.maxMemory() / (1024 * 1024));
        root.set("settings", JSON.valueToTree(settings));
        ArrayNode results = root.putArray("results");
        for (Measurement m : measurements) {
            ObjectNode row = results.addObject();
            row.put("scenario", m.scenario());
            row.put("size", m.size());
            putNumber(row, "nmstream", m.nmstream());
            putNumber(row, "baseline", m.baseline());
            row.put("unit", m.unit());
            row.put("runs", m.runs());
            putNumber(row, "ratio", m.ratio());
            row.put("target", m.target());
            row.put("outcome", m.outcome().name());
            row.set("details", JSON.valueToTree(m.details()));
        }
        return root;
    }

    /** Writes the report to {@code file}, creating its directory. */
    public static void write(Path file, ObjectNode report) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            JSON.writeValue(file.toFile(), report);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the bench report to " + file + ": " + e.getMessage(), e);
        }
    }

    /** NaN (not measured) becomes null: JSON has no NaN. */
    private static void putNumber(ObjectNode node, String name, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            node.putNull(name);
        } else {
            node.put(name, value);
        }
    }
}
