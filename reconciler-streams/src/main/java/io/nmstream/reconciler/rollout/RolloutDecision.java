package io.nmstream.reconciler.rollout;

/**
 * What the rollout coordinator of one policy tells one node, through the node-keyed decisions topic.
 *
 * @param kind grant a slot, ask to wait, or abort
 * @param node node the decision is for
 * @param policy policy name
 * @param generation generation the decision is about; the node ignores decisions of another generation
 * @param commandId for {@link Kind#GRANT}: the id the node's command must carry, so both sides recognise its result
 * @param unavailable nodes holding a slot (applying, or failed) when the decision was made
 * @param limit maxUnavailable as a number of nodes when the decision was made
 */
public record RolloutDecision(Kind kind, String node, String policy, long generation, String commandId, int unavailable, int limit) {

    /** The kinds of decision. */
    public enum Kind {
        /** The node may apply the policy now: it holds a slot until it reports a result. */
        GRANT,
        /** Every slot is taken; the node waits (PENDING, MaxUnavailableLimitReached). */
        WAIT,
        /** Too many nodes failed this generation; the node gets no command (ABORTED). */
        ABORT
    }
}
