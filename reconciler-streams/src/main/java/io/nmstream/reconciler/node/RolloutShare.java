package io.nmstream.reconciler.node;

import java.util.HashMap;
import java.util.Map;

/**
 * How one node counts in one policy's rollout within its partition: a pure function of the node's state, so that the
 * partition's aggregates ({@link PartitionRollout}) are sums of these over its nodes and change only when a node does.
 *
 * @param matched the node holds the policy
 * @param waiting the node is queued for a slot
 * @param holding the node uses a slot: admitted and not yet sent, applying under a slot, or failed this generation
 * @param failed the node failed this generation under a slot (or timed out): it keeps the slot for the generation
 */
record RolloutShare(boolean matched, boolean waiting, boolean holding, boolean failed) {

    static final RolloutShare NONE = new RolloutShare(false, false, false, false);

    /** The node's share of every policy it holds or applies; empty for a node that is gone. */
    static Map<String, RolloutShare> of(NodeState state) {
        if (state == null) {
            return Map.of();
        }
        CommandInFlight running = state.inFlight();
        Map<String, RolloutShare> shares = new HashMap<>(4);
        for (Map.Entry<String, HeldPolicy> entry : state.held().entrySet()) {
            HeldPolicy held = entry.getValue();
            boolean applying = running != null && running.slot() && running.policy().equals(entry.getKey());
            boolean failed = held.slot() && held.stage() == HeldPolicy.Stage.FAILED;
            boolean admitted = held.slot() && held.stage() == HeldPolicy.Stage.GRANTED;
            boolean waiting = held.stage() == HeldPolicy.Stage.AWAITING_SLOT;
            shares.put(entry.getKey(), new RolloutShare(true, waiting, applying || failed || admitted, failed));
        }
        if (running != null && running.slot() && !shares.containsKey(running.policy())) {
            shares.put(running.policy(), new RolloutShare(false, false, true, false));
        }
        return shares;
    }
}
