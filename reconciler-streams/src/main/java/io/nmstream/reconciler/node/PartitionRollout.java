package io.nmstream.reconciler.node;

import io.nmstream.reconciler.rollout.SlotRequest;

/**
 * One policy's rollout within one node partition: the sums of its nodes' {@link RolloutShare}s, the slots the policy's
 * coordinator leased to the partition, what the coordinator last said, and the partition's queue of waiting nodes.
 *
 * <p>The sums change only together with a node, in the same transaction ({@link PartitionSlots#count}), so they always
 * equal a count over the partition's nodes: which nodes use a slot is derived from their state, never kept as a
 * separate counter. The lease is the difference of two counters that only grow: slots granted by the coordinator (as
 * heard) and slots given back.
 */
public final class PartitionRollout {

    private String uid = "";
    private long generation;
    private boolean limited;
    private int matched;
    private int waiting;
    private int holding;
    private int failures;
    private long granted;
    private long returned;
    /** maxUnavailable in nodes, as the coordinator last said; 0 until it has. */
    private int limit;
    private boolean limitReached;
    private boolean aborted;
    /**
     * Whether the partition may admit queued nodes into its lease (a slot freed by one of its nodes included). Not before
     * the coordinator's first lease of a generation (which knows the generation's limit, maybe lower than the last
     * one's), nor while the coordinator says its leases add up to more than the limit: the partition then gives back
     * what frees.
     */
    private boolean mayAdmit;
    /**
     * A lease for this generation that counts every partition's nodes came since the waiting nodes were last told why they
     * wait: before every partition has matched the generation, the coordinator's limit is only a lower bound, and a node
     * told then that the limit is reached could be told wrong.
     */
    private boolean answered;
    /**
     * Some node of this generation still queued was told it is queued for a slot, not that the limit is reached: the first
     * answer that says the limit is reached tells it again.
     */
    private boolean queuedTold;
    private long nextSeq;
    private long queueHead;
    /** Queue entries before this sequence were told why they wait (PENDING) or taken before that was needed. */
    private long pendingUpTo;
    /** The last request sent to the coordinator; null before the first. */
    private SlotRequest reported;

    /** Jackson's constructor, for the store. */
    PartitionRollout() {
    }

    static PartitionRollout of(String uid, long generation, boolean limited) {
        PartitionRollout rollout = new PartitionRollout();
        rollout.startGeneration(uid, generation, limited);
        return rollout;
    }

    /**
     * Starts a generation: the coordinator's word on the previous one no longer holds, its waiting nodes will queue
     * again. A new uid (the name deleted and created again) also starts the lease afresh: the coordinator knows nothing
     * of the new incarnation yet.
     */
    void startGeneration(String policyUid, long nextGeneration, boolean isLimited) {
        if (!policyUid.equals(uid)) {
            granted = 0;
            returned = 0;
            reported = null;
        }
        uid = policyUid;
        generation = nextGeneration;
        limited = isLimited;
        limit = 0;
        limitReached = false;
        aborted = false;
        mayAdmit = false;
        answered = false;
        queuedTold = false;
        queueHead = nextSeq;
        pendingUpTo = nextSeq;
    }

    /** Adds one node's share and removes the share it had before; true when the sums changed. */
    boolean count(RolloutShare before, RolloutShare after) {
        if (before.equals(after)) {
            return false;
        }
        matched += delta(before.matched(), after.matched());
        waiting += delta(before.waiting(), after.waiting());
        holding += delta(before.holding(), after.holding());
        failures += delta(before.failed(), after.failed());
        return true;
    }

    private static int delta(boolean before, boolean after) {
        return (after ? 1 : 0) - (before ? 1 : 0);
    }

    /** Takes a lease from the coordinator; false when it is about another incarnation of the policy. */
    boolean lease(String leaseUid, long leaseGeneration, long leaseGranted, int leaseLimit, boolean leaseLimitReached,
                  boolean leaseAborted, boolean leaseOverLimit, boolean leaseEveryPartitionMatched) {
        if (!uid.equals(leaseUid)) {
            return false;
        }
        granted = Math.max(granted, leaseGranted);
        if (leaseGeneration == generation) {
            limit = leaseLimit;
            limitReached = leaseLimitReached;
            aborted = aborted || leaseAborted;
            mayAdmit = !leaseOverLimit;
            answered = answered || leaseEveryPartitionMatched;
        }
        return true;
    }

    /** Slots leased to the partition and not used by any of its nodes; negative while the partition holds more than it leased. */
    long free() {
        return granted - returned - holding;
    }

    /** Whether the partition may admit queued nodes into its free slots now. */
    boolean admitting() {
        return limited && mayAdmit && !aborted;
    }

    /** Whether the free slots go back to the coordinator rather than to queued nodes. */
    boolean givesBack() {
        return waiting == 0 || !admitting();
    }

    /** Gives back {@code slots} unused slots. */
    void giveBack(long slots) {
        returned += slots;
    }

    /** The request that tells the coordinator this share now. */
    SlotRequest request(String policy, int partition) {
        return new SlotRequest(policy, uid, generation, partition, matched, waiting, holding, failures, granted, returned, false);
    }

    /**
     * Whether the coordinator must hear of this share now: a new generation, a failure (which may abort the rollout),
     * slots given back (another partition may wait for them), more nodes waiting than it was told of, or no more
     * waiting (so that it stops leasing slots here). A change of the matching count alone can wait for
     * {@link #reportDue()}.
     */
    boolean reportNow() {
        if (reported == null || !reported.uid().equals(uid) || reported.generation() != generation) {
            return true;
        }
        return reported.failures() != failures || reported.returned() != returned || waiting > reported.waiting()
            || (waiting == 0 && reported.waiting() > 0);
    }

    /** Whether the coordinator's view is out of date in any way it needs, the matching count included. */
    boolean reportDue() {
        return reportNow() || reported.matched() != matched;
    }

    void reported(SlotRequest request) {
        reported = request;
    }

    /** Whether the rollout of {@code heldGeneration} was aborted. */
    boolean abortedFor(long heldGeneration) {
        return aborted && heldGeneration == generation;
    }

    long nextSeq() {
        return nextSeq;
    }

    /** Reserves the next queue sequence. */
    long takeSeq() {
        return nextSeq++;
    }

    long queueHead() {
        return queueHead;
    }

    void queueHead(long head) {
        queueHead = Math.max(queueHead, head);
    }

    long pendingUpTo() {
        return pendingUpTo;
    }

    /**
     * The waiting nodes queued so far were told why they wait; clears {@link #answered()}. {@code toldQueued}: some were
     * told they are queued. Once told the limit is reached, no node is left that was told it is queued.
     */
    void pendingReported(boolean toldQueued) {
        pendingUpTo = nextSeq;
        answered = false;
        queuedTold = !limitReached && (queuedTold || toldQueued);
    }

    boolean queuedTold() {
        return queuedTold;
    }

    String uid() {
        return uid;
    }

    long generation() {
        return generation;
    }

    boolean limited() {
        return limited;
    }

    int matched() {
        return matched;
    }

    int waiting() {
        return waiting;
    }

    int holding() {
        return holding;
    }

    int failures() {
        return failures;
    }

    long granted() {
        return granted;
    }

    long returned() {
        return returned;
    }

    int limit() {
        return limit;
    }

    boolean limitReached() {
        return limitReached;
    }

    boolean aborted() {
        return aborted;
    }

    boolean answered() {
        return answered;
    }


}
