package io.nmstream.reconciler.node;

import java.util.Map;
import java.util.TreeMap;

/**
 * A revert a node owes a deleted policy with {@code revertOnDelete}: the state to remove, kept from the policy's last
 * generation because the policy itself is gone.
 *
 * <p>For a policy with captures, {@code desiredState} holds templates that only the node could resolve, so the revert
 * carries the captures too: the node then removes the state it resolved and applied (it remembers it), never the
 * templates, and never captures again (the host has changed since).
 *
 * @param policy deleted policy name
 * @param generation generation the node had applied
 * @param desiredState state to remove
 * @param desiredStateDigest its digest
 * @param capture the policy's capture expressions by name; empty when it has none
 */
public record PendingRevert(String policy, long generation, String desiredState, String desiredStateDigest, Map<String, String> capture) {

    public PendingRevert {
        // null in node states stored before reverts carried captures
        capture = capture == null ? Map.of() : new TreeMap<>(capture);
    }
}
