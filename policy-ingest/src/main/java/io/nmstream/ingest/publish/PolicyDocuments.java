package io.nmstream.ingest.publish;

import com.fasterxml.jackson.databind.JsonNode;
import io.nmstream.common.policy.PolicyManifests;
import io.nmstream.ingest.manifest.PolicyManifest;
import io.nmstream.schemas.avro.PolicyEvent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;

/** Lists the differences between a published policy and a new manifest of it (for {@code policy diff}). */
public final class PolicyDocuments {

    private PolicyDocuments() {
    }

    /** Lines {@code path: old -> new} for every leaf that differs between two canonical desired states. */
    public static List<String> diff(String before, String after) {
        List<String> lines = new ArrayList<>();
        diff("spec.desiredState", PolicyManifests.desiredState(before), PolicyManifests.desiredState(after), lines);
        return lines;
    }

    /** Lines for every spec field other than the desired state that differs. */
    public static List<String> diffSpec(PolicyEvent before, PolicyManifest after) {
        List<String> lines = new ArrayList<>();
        compare(lines, "spec.nodeSelector", new TreeMap<>(before.getNodeSelector()), new TreeMap<>(after.nodeSelector()));
        compare(lines, "spec.maxUnavailable", before.getMaxUnavailable(), after.maxUnavailable());
        compare(lines, "spec.capture", new TreeMap<>(before.getCapture()), new TreeMap<>(after.capture()));
        compare(lines, "spec.priority", before.getPriority(), after.priority());
        compare(lines, "spec.revertOnDelete", before.getRevertOnDelete(), after.revertOnDelete());
        return lines;
    }

    private static void compare(List<String> lines, String path, Object before, Object after) {
        if (!before.equals(after)) {
            lines.add(path + ": " + before + " -> " + after);
        }
    }

    private static void diff(String path, JsonNode before, JsonNode after, List<String> out) {
        if (before.equals(after)) {
            return;
        }
        if (before.isObject() && after.isObject()) {
            TreeMap<String, Boolean> names = new TreeMap<>();
            for (Iterator<String> it = before.fieldNames(); it.hasNext();) {
                names.put(it.next(), true);
            }
            for (Iterator<String> it = after.fieldNames(); it.hasNext();) {
                names.put(it.next(), true);
            }
            for (String name : names.keySet()) {
                String child = path + "." + name;
                if (!before.has(name)) {
                    out.add("+ " + child + ": " + after.get(name));
                } else if (!after.has(name)) {
                    out.add("- " + child + ": " + before.get(name));
                } else {
                    diff(child, before.get(name), after.get(name), out);
                }
            }
            return;
        }
        if (before.isArray() && after.isArray()) {
            int common = Math.min(before.size(), after.size());
            for (int i = 0; i < common; i++) {
                diff(path + "[" + i + "]", before.get(i), after.get(i), out);
            }
            for (int i = common; i < after.size(); i++) {
                out.add("+ " + path + "[" + i + "]: " + after.get(i));
            }
            for (int i = common; i < before.size(); i++) {
                out.add("- " + path + "[" + i + "]: " + before.get(i));
            }
            return;
        }
        out.add("~ " + path + ": " + before + " -> " + after);
    }
}
