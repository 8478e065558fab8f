package io.nmstream.common.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nmstream.schemas.avro.PolicyEvent;
import java.util.TreeMap;

/**
 * A published policy as the NodeNetworkConfigurationPolicy document it was applied as: what {@code policy get -o yaml}
 * and the policy HTTP API return, and the metadata and spec of what {@code get nncp NAME -o yaml} shows with the status.
 */
public final class PolicyManifests {

    /** The API version policies are written back in (nmstate.io/v1beta1 manifests are accepted too). */
    public static final String API_VERSION = "nmstate.io/v1";
    public static final String KIND = "NodeNetworkConfigurationPolicy";

    private static final ObjectMapper JSON = new ObjectMapper();

    private PolicyManifests() {
    }

    /** The policy as an NNCP document, with nmstream's identity (uid, generation, digest, source) in metadata. */
    public static ObjectNode of(PolicyEvent event) {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.put("apiVersion", API_VERSION);
        doc.put("kind", KIND);
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
        spec.set("desiredState", desiredState(event.getDesiredState()));
        return doc;
    }

    /** A published desired state (canonical JSON) as a tree; an empty object for a deletion's, which has none. */
    public static JsonNode desiredState(String json) {
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
