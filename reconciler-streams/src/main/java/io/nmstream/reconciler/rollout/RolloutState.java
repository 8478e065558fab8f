package io.nmstream.reconciler.rollout;

import io.nmstream.reconciler.MaxUnavailable;

/**
 * The rollout of one policy: the generation rolling out, its limit, and aggregates of its members.
 *
 * <p>The aggregates are maintained from member transitions only (each member change subtracts the old member's
 * contribution and adds the new one's, in the same transaction as the member), so they always equal a count over the
 * member store: which nodes hold a slot is derived from the events, never kept as a blind counter.
 *
 * @param uid policy uid, empty until the policy itself was seen
 * @param generation generation rolling out; 0 until the policy itself was seen
 * @param maxUnavailable the policy's maxUnavailable text
 * @param members nodes matching the policy (every member, whatever its phase)
 * @param granted members in phase GRANTED, of any generation (a node still applying an older generation is unavailable)
 * @param failedHoldingSlot members that failed this generation (they keep their slot)
 * @param failures members that failed or timed out this generation
 * @param aborted whether this generation's rollout was aborted
 * @param nextSeq sequence of the next queue entry (first come, first served)
 * @param queueHead sequence from which the current generation's queue is read: entries before it were taken (reading
 *     from here, not from the start, keeps RocksDB from stepping over the tombstones of every entry ever taken)
 */
public record RolloutState(String uid, long generation, String maxUnavailable, int members, int granted, int failedHoldingSlot,
                           int failures, boolean aborted, long nextSeq, long queueHead) {

    /** A rollout whose policy has not been seen yet (nodes may announce themselves first). */
    public static RolloutState unknownPolicy() {
        return new RolloutState("", 0, "1", 0, 0, 0, 0, false, 0, 0);
    }

    public boolean policyKnown() {
        return generation > 0;
    }

    /** Nodes currently unavailable because of this policy. */
    public int slotsTaken() {
        return granted + failedHoldingSlot;
    }

    /** maxUnavailable as a number of nodes, for the current number of matching nodes. */
    public int limit() {
        return MaxUnavailable.parse("", maxUnavailable).limit(members);
    }

    /** Starts rolling out {@code nextGeneration}: failures of older generations no longer count. */
    public RolloutState startGeneration(String policyUid, long nextGeneration, String nextMaxUnavailable) {
        return new RolloutState(policyUid, nextGeneration, nextMaxUnavailable, members, granted, 0, 0, false, nextSeq, 0);
    }

    /** The state after one member changed from {@code before} to {@code after} (either may be null: joined or left). */
    public RolloutState replace(RolloutMember before, RolloutMember after) {
        int m = members;
        int g = granted;
        int h = failedHoldingSlot;
        int f = failures;
        if (before != null) {
            m--;
            g -= before.phase() == RolloutMember.Phase.GRANTED ? 1 : 0;
            h -= before.phase() == RolloutMember.Phase.FAILED && before.generation() == generation ? 1 : 0;
            f -= before.failed(generation) ? 1 : 0;
        }
        if (after != null) {
            m++;
            g += after.phase() == RolloutMember.Phase.GRANTED ? 1 : 0;
            h += after.phase() == RolloutMember.Phase.FAILED && after.generation() == generation ? 1 : 0;
            f += after.failed(generation) ? 1 : 0;
        }
        return new RolloutState(uid, generation, maxUnavailable, m, g, h, f, aborted, nextSeq, queueHead);
    }

    public RolloutState abort() {
        return new RolloutState(uid, generation, maxUnavailable, members, granted, failedHoldingSlot, failures, true, nextSeq, queueHead);
    }

    public RolloutState advanceSeq() {
        return new RolloutState(uid, generation, maxUnavailable, members, granted, failedHoldingSlot, failures, aborted, nextSeq + 1,
            queueHead);
    }

    /** The state after the current generation's queue was taken up to (excluding) {@code nextHead}. */
    public RolloutState withQueueHead(long nextHead) {
        return new RolloutState(uid, generation, maxUnavailable, members, granted, failedHoldingSlot, failures, aborted, nextSeq,
            Math.max(queueHead, nextHead));
    }
}
