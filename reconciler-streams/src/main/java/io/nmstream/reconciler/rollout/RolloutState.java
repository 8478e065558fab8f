package io.nmstream.reconciler.rollout;

import io.nmstream.reconciler.MaxUnavailable;
import io.nmstream.schemas.avro.RolloutEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rollout of one policy as its coordinator keeps it: the generation rolling out, its maxUnavailable, and a ledger of
 * every node partition's share ({@link PartitionShare}): what each partition last said (matching, waiting, failed nodes,
 * slots used and given back) and the slots leased to each.
 *
 * <p>The coordinator never decides about a node: it only shares out maxUnavailable between the partitions, so that the
 * slots leased at any time add up to at most the limit, and each partition admits its own nodes within its lease. A
 * failure keeps its slot for the generation (as in kubernetes-nmstate, failed nodes count against maxUnavailable), so
 * once this generation's failures reach the limit every slot is held by a failure and no partition can admit a node:
 * the abort is exact by construction, the coordinator only tells the partitions to stop their queues.
 *
 * <p>Everything here is derived from the partitions' requests and the policy itself: after a restart the ledger is what
 * the changelog holds, and every counter a partition sends only grows, so no message counts twice.
 */
public final class RolloutState {

    private String policy;
    private String uid = "";
    /** Generation rolling out; 0 until the policy itself was seen (partitions may report first). */
    private long generation;
    private String maxUnavailable = "1";
    private boolean aborted;
    /** Where the next round of grants starts, so that partitions waiting for freed slots take turns. */
    private int nextPartition;
    private long publishedGeneration;
    private int publishedMatched = -1;
    private int publishedLimit = -1;
    private TreeMap<Integer, PartitionShare> partitions = new TreeMap<>();

    /** Jackson's constructor, for the store. */
    RolloutState() {
    }

    /** The rollout of a policy not seen yet, whose partitions may already report. */
    public static RolloutState unknownPolicy(String policy) {
        RolloutState state = new RolloutState();
        state.policy = policy;
        return state;
    }

    public boolean policyKnown() {
        return generation > 0;
    }

    public String uid() {
        return uid;
    }

    public long generation() {
        return generation;
    }

    public boolean aborted() {
        return aborted;
    }

    /** Whether nothing is kept: no policy, no partition's share. */
    public boolean empty() {
        return !policyKnown() && partitions.isEmpty();
    }

    /**
     * Starts rolling out a generation: failures of older generations no longer count and an abort is lifted. A new uid
     * (the name deleted and created again) drops the shares of the old incarnation.
     */
    public void startGeneration(String policyUid, long nextGeneration, String nextMaxUnavailable) {
        partitions.values().removeIf(share -> !share.uid().equals(policyUid));
        uid = policyUid;
        generation = nextGeneration;
        maxUnavailable = nextMaxUnavailable;
        aborted = false;
    }

    /** Records a partition's request; false when it speaks of another incarnation of the policy. */
    public boolean record(SlotRequest request) {
        if (policyKnown() && !uid.equals(request.uid())) {
            return false;
        }
        PartitionShare before = partitions.get(request.partition());
        if (request.gone()) {
            if (before != null && before.uid().equals(request.uid())) {
                partitions.remove(request.partition());
            }
            return true;
        }
        if (before != null && before.uid().equals(request.uid())) {
            before.update(request);
        } else {
            partitions.put(request.partition(), new PartitionShare(request));
        }
        return true;
    }

    /**
     * Nodes the current generation matches, over the partitions that matched it so far. A partition still at an older
     * generation counts nothing: its count is the old selector's, which may match more nodes than the new one, and a limit
     * over it could lease more slots than the new generation's maxUnavailable allows.
     */
    public int matched() {
        int matched = 0;
        for (PartitionShare share : partitions.values()) {
            matched += share.generation() == generation ? share.latest().matched() : 0;
        }
        return matched;
    }

    /** Whether each of the {@code partitionCount} node partitions has matched the current generation. */
    public boolean everyPartitionMatched(int partitionCount) {
        for (int partition = 0; partition < partitionCount; partition++) {
            PartitionShare share = partitions.get(partition);
            if (share == null || share.generation() != generation) {
                return false;
            }
        }
        return true;
    }

    /**
     * maxUnavailable as a number of nodes, for the nodes matched so far: until every partition has matched the generation
     * it is at most the final one, so what is leased meanwhile stays within the final limit.
     */
    public int limit() {
        return MaxUnavailable.parse(policy, maxUnavailable).limit(matched());
    }

    /** Failures of the current generation: each keeps its slot. */
    public int failures() {
        int failures = 0;
        for (PartitionShare share : partitions.values()) {
            failures += share.generation() == generation ? share.latest().failures() : 0;
        }
        return failures;
    }

    /** Slots leased to the partitions (or used by them, if more) and not given back. */
    public long leased() {
        long leased = 0;
        for (PartitionShare share : partitions.values()) {
            leased += share.leased();
        }
        return leased;
    }

    /**
     * Shares out the slots after a change: aborts once this generation's failures reach the limit, otherwise leases free
     * slots to the partitions with nodes waiting for this generation, taking turns, while the leases add up to less than
     * the limit; while they add up to more (the limit shrank), every partition is told to give back the slots that free.
     * Until each of the {@code partitionCount} node partitions has matched the generation, the limit is only a lower bound
     * of the final one: slots are leased within it, but nothing is aborted and no partition is told the limit is reached.
     * Returns the leases that tell a partition something new, and an answer to {@code answering} (the partition whose
     * request this is, -1 for none) whenever it has nodes left waiting, so that it can tell them why.
     */
    public List<SlotLease> distribute(int answering, int partitionCount) {
        List<SlotLease> leases = new ArrayList<>();
        if (!policyKnown()) {
            return leases;
        }
        int limit = limit();
        int failures = failures();
        boolean everyMatched = everyPartitionMatched(partitionCount);
        if (!aborted && everyMatched && failures > 0 && failures >= limit) {
            aborted = true;
        }
        if (!aborted) {
            long free = limit - leased();
            List<Integer> order = new ArrayList<>(partitions.tailMap(nextPartition).keySet());
            order.addAll(partitions.headMap(nextPartition).keySet());
            for (int partition : order) {
                if (free <= 0) {
                    break;
                }
                PartitionShare share = partitions.get(partition);
                long grant = Math.min(share.unmet(generation), free);
                if (grant > 0) {
                    share.grant(grant);
                    free -= grant;
                    nextPartition = partition + 1;
                }
            }
        }
        boolean overLimit = leased() > limit;
        for (Map.Entry<Integer, PartitionShare> entry : partitions.entrySet()) {
            PartitionShare share = entry.getValue();
            boolean limitReached = everyMatched && !aborted && share.unmet(generation) > 0;
            boolean asked = entry.getKey() == answering && share.generation() == generation && share.latest().waiting() > 0;
            if (share.wouldLearn(generation, limitReached, aborted, overLimit, everyMatched) || asked) {
                share.told(generation, limitReached, aborted, overLimit, everyMatched);
                leases.add(new SlotLease(policy, uid, generation, entry.getKey(), share.grantedSent(), limit, limitReached, aborted,
                    overLimit, everyMatched));
            }
        }
        return leases;
    }

    /**
     * The public count to publish, once every one of the {@code partitionCount} node partitions has matched the current
     * generation and when it differs from the last one published; null otherwise.
     */
    public RolloutEvent publication(int partitionCount, long nowMillis) {
        if (!policyKnown() || !everyPartitionMatched(partitionCount)) {
            return null;
        }
        int matched = matched();
        int limit = limit();
        if (publishedGeneration == generation && publishedMatched == matched && publishedLimit == limit) {
            return null;
        }
        publishedGeneration = generation;
        publishedMatched = matched;
        publishedLimit = limit;
        return RolloutEvent.newBuilder().setPolicy(policy).setUid(uid).setGeneration(generation).setMatchedNodes(matched)
            .setMaxUnavailableNodes(limit).setTimestamp(Instant.ofEpochMilli(nowMillis)).build();
    }

    /** Whether a count was ever published, so that the policy's deletion is published too. */
    public boolean published() {
        return publishedGeneration > 0;
    }
}
