package io.nmstream.reconciler;

import io.nmstream.schemas.avro.PolicyAction;
import io.nmstream.schemas.avro.PolicyEvent;
import io.nmstream.schemas.contract.ContractViolation;
import io.nmstream.schemas.contract.EventContract;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the reconciler keeps of one policy: the parts of a {@link PolicyEvent} that decide which nodes get it, how fast
 * and in which order, already validated. A deleted policy is a spec with {@code deleted} set and only its name.
 *
 * @param name policy name (the key of the policies topic)
 * @param uid stable identity across generations; a new uid means the name was deleted and created again
 * @param generation spec generation
 * @param nodeSelector label equality; empty selects every node
 * @param maxUnavailable the rollout limit, as written in the policy (validated)
 * @param priority delivery order on one node: lower first, then by name
 * @param revertOnDelete whether nodes that applied it get a revert command when it is deleted
 * @param desiredState canonical JSON nmstate document
 * @param desiredStateDigest SHA-256 of {@code desiredState}
 * @param capture {@code spec.capture}: nmpolicy expressions by capture name, which each node resolves against its own
 *     state to fill the templates of {@code desiredState}; empty when the policy has none
 * @param deleted true for a deletion
 */
public record PolicySpec(String name, String uid, long generation, Map<String, String> nodeSelector, String maxUnavailable,
                         int priority, boolean revertOnDelete, String desiredState, String desiredStateDigest,
                         Map<String, String> capture, boolean deleted) {

    public PolicySpec {
        nodeSelector = nodeSelector == null ? Map.of() : new TreeMap<>(nodeSelector);
        // null in specs stored before policies carried their captures
        capture = capture == null ? Map.of() : new TreeMap<>(capture);
    }

    /**
     * The spec carried by a policy event (a null event is a tombstone, hence a deletion).
     *
     * @throws ContractViolation when the event breaks the contract every reader checks ({@link EventContract}): its
     *     name differs from its key, its generation is not positive, its digest is not its desired state's, its action
     *     is unknown, or its maxUnavailable cannot be parsed
     */
    public static PolicySpec from(String key, PolicyEvent event) {
        EventContract.checkPolicy(key, event);
        if (event == null || event.getAction() == PolicyAction.DELETE) {
            return deletion(key);
        }
        return new PolicySpec(key, event.getUid(), event.getGeneration(), event.getNodeSelector(), event.getMaxUnavailable(),
            event.getPriority(), event.getRevertOnDelete(), event.getDesiredState(), event.getDesiredStateDigest(), event.getCapture(),
            false);
    }

    /** The spec of a deleted policy. */
    public static PolicySpec deletion(String name) {
        return new PolicySpec(name, "", 0, Map.of(), "1", 0, false, "", "", Map.of(), true);
    }

    /** Whether a node with these labels is selected (every selector label present with an equal value). */
    public boolean selects(Map<String, String> labels) {
        for (Map.Entry<String, String> wanted : nodeSelector.entrySet()) {
            if (!wanted.getValue().equals(labels.get(wanted.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** The parsed rollout limit. */
    public MaxUnavailable rolloutLimit() {
        return MaxUnavailable.parse(name, maxUnavailable);
    }
}
