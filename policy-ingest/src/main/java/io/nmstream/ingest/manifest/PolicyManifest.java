package io.nmstream.ingest.manifest;

import io.nmstream.nmstate.CanonicalForm;
import java.util.Map;
import java.util.Objects;

/**
 * One validated NodeNetworkConfigurationPolicy, in canonical form, ready to become a policy event.
 *
 * @param name metadata.name
 * @param nodeSelector spec.nodeSelector (empty selects every node)
 * @param maxUnavailable spec.maxUnavailable as text ("3" or "50%"), "50%" when absent
 * @param capture spec.capture expressions by name
 * @param priority nmstream's spec.priority (0 when absent)
 * @param revertOnDelete nmstream's spec.revertOnDelete (false when absent)
 * @param desiredState canonical JSON of spec.desiredState
 * @param source where the manifest came from (file, request, object reference)
 * @param document index of the manifest's document in its source
 */
public record PolicyManifest(String name, Map<String, String> nodeSelector, String maxUnavailable, Map<String, String> capture,
    int priority, boolean revertOnDelete, String desiredState, String source, int document) {

    /** maxUnavailable when the manifest does not set it, as in kubernetes-nmstate. */
    public static final String DEFAULT_MAX_UNAVAILABLE = "50%";

    public PolicyManifest {
        Objects.requireNonNull(name, "name");
        nodeSelector = Map.copyOf(nodeSelector);
        capture = Map.copyOf(capture);
        Objects.requireNonNull(maxUnavailable, "maxUnavailable");
        Objects.requireNonNull(desiredState, "desiredState");
    }

    /** SHA-256 of the canonical desired state, as carried in {@code PolicyEvent.desiredStateDigest}. */
    public String desiredStateDigest() {
        return CanonicalForm.sha256Hex(desiredState);
    }
}
