package io.nmstream.reconciler.node;

import io.nmstream.reconciler.PolicySpec;

/**
 * One policy a node matches, and how far the node is with its current generation.
 *
 * @param uid policy uid the entry belongs to
 * @param generation generation the node must reach
 * @param priority delivery order on the node (lower first, then by name)
 * @param stage where the node stands with {@code generation}
 * @param commandId the id of the node's command for this generation (GRANTED, IN_FLIGHT)
 * @param pendingReported whether PENDING was already written for this generation since it last joined or left the queue
 * @param appliedGeneration last generation the node applied successfully, 0 if none (decides revert on delete)
 * @param slot whether the node was admitted under one of its partition's rollout slots (false under maxUnavailable 100%,
 *     which needs none): such a node counts against maxUnavailable while GRANTED, and for the generation once FAILED
 * @param pendingQueued the PENDING written said the node is queued for a slot, not that the limit is reached: if the limit
 *     is reached while it still waits, it is told again
 */
public record HeldPolicy(String uid, long generation, int priority, Stage stage, String commandId, boolean pendingReported,
                         long appliedGeneration, boolean slot, boolean pendingQueued) {

    /** Where a node stands with one policy generation. */
    public enum Stage {
        /** Must still join the rollout (deferred while an older generation's command of this policy runs). */
        ANNOUNCE,
        /** Queued in its partition for a rollout slot. */
        AWAITING_SLOT,
        /** May apply; the command goes out when the node's earlier policies are done. */
        GRANTED,
        /** Command sent, no result yet. */
        IN_FLIGHT,
        /** Applied. */
        AVAILABLE,
        /** Failed or timed out. */
        FAILED,
        /** The rollout was aborted before the node's turn, or the agent skipped the command. */
        ABORTED;

        /** Whether nothing more happens for this generation. */
        boolean settled() {
            return this == AVAILABLE || this == FAILED || this == ABORTED;
        }
    }

    /** A newly matched policy, or a new generation (or new uid) of a held one. */
    static HeldPolicy target(PolicySpec spec, HeldPolicy previous) {
        long applied = previous != null && previous.uid().equals(spec.uid()) ? previous.appliedGeneration() : 0;
        return new HeldPolicy(spec.uid(), spec.generation(), spec.priority(), Stage.ANNOUNCE, null, false, applied, false, false);
    }

    HeldPolicy withStage(Stage next) {
        return new HeldPolicy(uid, generation, priority, next, commandId, pendingReported, appliedGeneration, slot, pendingQueued);
    }

    /** Queued in its partition for a slot: nothing said yet of why it waits there. */
    HeldPolicy queued() {
        return new HeldPolicy(uid, generation, priority, Stage.AWAITING_SLOT, commandId, false, appliedGeneration, slot, false);
    }

    /**
     * Out of its policy's rollout again, its place in the queue or its slot given back, until the policy it waits for on
     * its node has settled: nothing said yet of why it waits.
     */
    HeldPolicy released() {
        return new HeldPolicy(uid, generation, priority, Stage.ANNOUNCE, null, false, appliedGeneration, false, false);
    }

    /** May apply without a slot: its policy holds no node back. */
    HeldPolicy granted(String grantedCommandId) {
        return new HeldPolicy(uid, generation, priority, Stage.GRANTED, grantedCommandId, pendingReported, appliedGeneration, false,
            pendingQueued);
    }

    /** Admitted under one of its partition's rollout slots. */
    HeldPolicy admitted(String grantedCommandId) {
        return new HeldPolicy(uid, generation, priority, Stage.GRANTED, grantedCommandId, pendingReported, appliedGeneration, true,
            pendingQueued);
    }

    /** PENDING was written: that the node is queued for a slot ({@code queued}), or that the limit is reached. */
    HeldPolicy withPendingReported(boolean queued) {
        return new HeldPolicy(uid, generation, priority, stage, commandId, true, appliedGeneration, slot, queued);
    }

    HeldPolicy applied(long appliedGen) {
        return new HeldPolicy(uid, generation, priority, stage, commandId, pendingReported, Math.max(appliedGeneration, appliedGen), slot,
            pendingQueued);
    }
}
