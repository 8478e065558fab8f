package io.nmstream.ingest.publish;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nmstream.ingest.manifest.ManifestParser;
import io.nmstream.ingest.manifest.PolicyManifest;
import io.nmstream.schemas.avro.PolicyEvent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;

/**
 * Renders published policies back as NodeNetworkConfigurationPolicy documents (for {@code get -o yaml|json} and the HTTP
 * API), and lists the differences between a published desired state and a new one (for {@code diff}).
 */
public final class PolicyDocuments {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PolicyDocuments() {
    }

    /** The policy as an NNCP document, with nmstream's identity (uid, generation, digest, source) in metadata. */
    public static ObjectNode toManifest(PolicyEvent event) {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.put("apiVersion", ManifestParser.API_VERSIONS.get(0));
        doc.put("kind", ManifestParser.KIND);
        ObjectNode metadata = doc.putObject("metadata");
        metadata.put("name", event.getName());
        metadata.put("uid", event.getUid());
        metadata.put("generation", event.getGeneration());
        ObjectNode annotations = metadata.putObject("annotations");
        annotations.put("nmstream.io/desired-state-digest", event.getDesiredStateDigest());
        annotations.put("nmstream.io/source", event.getSource().getKind() + " " + event.getSource().getOrigin());
        if (event.getSource().getGitCommit() != null) {
            annotations.put("nmstream.io/git-commit", event.getSource().getGitCommit());
        }
        ObjectNode spec = doc.putObject("spec");
        if (!event.getNodeSelector().isEmpty()) {
            ObjectNode selector = spec.putObject("nodeSelector");
            new TreeMap<>(event.getNodeSelector()).forEach(selector::put);
        }
        // a number of nodes is an integer in the manifest: the string "2" is no IntOrString Kubernetes can scale
        String maxUnavailable = event.getMaxUnavailable();
        if (maxUnavailable.matches("\\d{1,9}")) {
            spec.put("maxUnavailable", Integer.parseInt(maxUnavailable));
        } else {
            spec.put("maxUnavailable", maxUnavailable);
        }
        if (!event.getCapture().isEmpty()) {
            ObjectNode capture = spec.putObject("capture");
            new TreeMap<>(event.getCapture()).forEach(capture::put);
        }
        if (event.getPriority() != 0) {
            spec.put("priority", event.getPriority());
        }
        if (event.getRevertOnDelete()) {
            spec.put("revertOnDelete", true);
        }
        spec.set("desiredState", parse(event.getDesiredState()));
        return doc;
    }

    /** Lines {@code path: old -> new} for every leaf that differs between two canonical desired states. */
    public static List<String> diff(String before, String after) {
        List<String> lines = new ArrayList<>();
        diff("spec.desiredState", parse(before), parse(after), lines);
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

    private static JsonNode parse(String json) {
        if (json == null || json.isEmpty()) {
            return JsonNodeFactory.instance.objectNode();
        }
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("published desired states are canonical JSON", e);
        }
    }
}
