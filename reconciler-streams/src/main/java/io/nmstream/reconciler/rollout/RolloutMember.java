package io.nmstream.reconciler.rollout;

/**
 * One node's place in one policy's rollout, as the coordinator folds it from the node's enactment events and its own
 * grants. Slots are a function of these members, never a free-standing counter.
 *
 * @param generation generation the phase refers to
 * @param phase where the node stands
 * @param commandId the granted command's id (GRANTED and later), null otherwise
 * @param waitSent whether the node was already told to wait for this generation
 */
public record RolloutMember(long generation, Phase phase, String commandId, boolean waitSent) {

    /** Where a node stands in a rollout. */
    public enum Phase {
        /** Asked for a slot. */
        WAITING,
        /** Holds a slot: its command is queued on the node or running. */
        GRANTED,
        /** Applied this generation. */
        AVAILABLE,
        /** Reported failure: keeps its slot for this generation. */
        FAILED,
        /** Its command passed the deadline: a failure that frees the slot. */
        TIMED_OUT,
        /** Got no command because the rollout was aborted. */
        ABORTED
    }

    public RolloutMember withPhase(Phase next) {
        return new RolloutMember(generation, next, commandId, waitSent);
    }

    /** Whether this member counts as a failure of {@code currentGeneration}. */
    boolean failed(long currentGeneration) {
        return (phase == Phase.FAILED || phase == Phase.TIMED_OUT) && generation == currentGeneration;
    }
}
