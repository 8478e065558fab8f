package io.nmstream.reconciler.rollout;

/**
 * One node partition's share of a policy's rollout, as its coordinator keeps it: the partition's latest
 * {@link SlotRequest}, the slots the coordinator granted it so far, and what the coordinator last told it.
 */
final class PartitionShare {

    /** The partition's latest request. */
    private SlotRequest latest;
    /** Slots granted to the partition so far (it may not have heard of the last ones yet). */
    private long grantedSent;
    /** What the partition was last told, so that it is told again only when that changes: generation, grant, flags. */
    private long toldGeneration;
    private long toldGranted;
    private boolean toldLimitReached;
    private boolean toldAborted;
    private boolean toldOverLimit;
    private boolean toldEveryPartitionMatched;

    /** Jackson's constructor, for the store. */
    PartitionShare() {
    }

    /** The share of a partition first heard of (or of a new incarnation of the policy): nothing leased yet. */
    PartitionShare(SlotRequest latest) {
        this.latest = latest;
    }

    /** Takes the partition's newer request. */
    void update(SlotRequest request) {
        latest = request;
    }

    SlotRequest latest() {
        return latest;
    }

    String uid() {
        return latest.uid();
    }

    long generation() {
        return latest.generation();
    }

    long grantedSent() {
        return grantedSent;
    }

    /** Slots the partition may be using: what it was leased and has not given back, or more if it says it uses more. */
    long leased() {
        return Math.max(grantedSent - latest.returned(), latest.holding());
    }

    /** Nodes of {@code generation} waiting in the partition that no slot granted so far will serve. */
    long unmet(long generation) {
        if (latest.generation() != generation) {
            return 0;
        }
        long inTransit = grantedSent - latest.granted();
        return Math.max(0, latest.waiting() - inTransit);
    }

    void grant(long slots) {
        grantedSent += slots;
    }

    /** Whether a lease with this content would tell the partition something new. */
    boolean wouldLearn(long generation, boolean limitReached, boolean aborted, boolean overLimit, boolean everyPartitionMatched) {
        return toldGeneration != generation || toldGranted != grantedSent || toldLimitReached != limitReached || toldAborted != aborted
            || toldOverLimit != overLimit || toldEveryPartitionMatched != everyPartitionMatched;
    }

    void told(long generation, boolean limitReached, boolean aborted, boolean overLimit, boolean everyPartitionMatched) {
        toldGeneration = generation;
        toldGranted = grantedSent;
        toldLimitReached = limitReached;
        toldAborted = aborted;
        toldOverLimit = overLimit;
        toldEveryPartitionMatched = everyPartitionMatched;
    }
}
