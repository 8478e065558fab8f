package io.nmstream.reconciler.node;

/**
 * A revert a node owes a deleted policy with {@code revertOnDelete}: the state to remove, kept from the policy's last
 * generation because the policy itself is gone.
 *
 * @param policy deleted policy name
 * @param generation generation the node had applied
 * @param desiredState state to remove
 * @param desiredStateDigest its digest
 */
public record PendingRevert(String policy, long generation, String desiredState, String desiredStateDigest) {
}
