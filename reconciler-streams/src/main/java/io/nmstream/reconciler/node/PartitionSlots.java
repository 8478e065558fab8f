package io.nmstream.reconciler.node;

import io.nmstream.reconciler.PolicySpec;
import io.nmstream.reconciler.SortableKeys;
import io.nmstream.reconciler.rollout.SlotLease;
import io.nmstream.reconciler.rollout.SlotRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The node partition's side of every policy's rollout: one {@link PartitionRollout} per policy, and the partition's
 * first-come queue of waiting nodes per policy generation.
 *
 * <p>A record is read once per processed input and kept here until {@link #flush()}, so that a rollout step touching
 * thousands of nodes does not decode and encode it once per node. The policies whose record changed since the last
 * flush are what the node reconciler must settle (admit, abort, give back) and report on.
 */
final class PartitionSlots {

    /** Store of {@link PartitionRollout} by policy name. */
    static final String STORE = "reconciler-rollouts";
    /** Store of waiting nodes by {@code policy|generation|sequence}: the partition's first-come queue of each generation. */
    static final String QUEUE_STORE = "reconciler-rollout-queue";

    private static final char SEPARATOR = '|';

    private final KeyValueStore<String, PartitionRollout> store;
    private final KeyValueStore<String, String> queue;
    private final Map<String, PartitionRollout> cache = new HashMap<>();
    private final Set<String> changed = new LinkedHashSet<>();
    private final Set<String> unsettled = new LinkedHashSet<>();

    /** A node waiting in a policy's queue. */
    record Waiting(String node, long generation) {
    }

    PartitionSlots(KeyValueStore<String, PartitionRollout> store, KeyValueStore<String, String> queue) {
        this.store = store;
        this.queue = queue;
    }

    /** The policy's rollout in this partition, or null when the partition has not seen the policy. */
    PartitionRollout get(String policy) {
        PartitionRollout rollout = cache.get(policy);
        if (rollout == null) {
            rollout = store.get(policy);
            if (rollout != null) {
                cache.put(policy, rollout);
            }
        }
        return rollout;
    }

    /** Starts the rollout of a policy generation in this partition; the older generations' queues are dropped. */
    void startGeneration(PolicySpec spec) {
        PartitionRollout rollout = get(spec.name());
        boolean limited = !spec.rolloutLimit().unlimited();
        if (rollout == null) {
            rollout = PartitionRollout.of(spec.uid(), spec.generation(), limited);
            cache.put(spec.name(), rollout);
        } else {
            rollout.startGeneration(spec.uid(), spec.generation(), limited);
        }
        deleteQueued(queuePrefix(spec.name(), 0), queuePrefix(spec.name(), spec.generation()));
        changed(spec.name());
    }

    /** Forgets a deleted policy's rollout; returns what it was, for a last word to the coordinator. */
    PartitionRollout forget(String policy) {
        PartitionRollout rollout = get(policy);
        cache.remove(policy);
        changed.remove(policy);
        unsettled.remove(policy);
        store.delete(policy);
        deleteQueued(policy + SEPARATOR, policy + (char) (SEPARATOR + 1));
        return rollout;
    }

    /** Counts one node's change: its shares before and after, for every policy either holds. */
    void count(Map<String, RolloutShare> before, Map<String, RolloutShare> after) {
        for (Map.Entry<String, RolloutShare> entry : after.entrySet()) {
            count(entry.getKey(), before.getOrDefault(entry.getKey(), RolloutShare.NONE), entry.getValue());
        }
        for (Map.Entry<String, RolloutShare> entry : before.entrySet()) {
            if (!after.containsKey(entry.getKey())) {
                count(entry.getKey(), entry.getValue(), RolloutShare.NONE);
            }
        }
    }

    private void count(String policy, RolloutShare before, RolloutShare after) {
        PartitionRollout rollout = get(policy);
        if (rollout != null && rollout.count(before, after)) {
            changed(policy);
        }
    }

    /** Takes a lease from the policy's coordinator. */
    void lease(SlotLease lease) {
        PartitionRollout rollout = get(lease.policy());
        if (rollout != null && rollout.lease(lease.uid(), lease.generation(), lease.granted(), lease.limit(), lease.limitReached(),
            lease.aborted(), lease.overLimit(), lease.everyPartitionMatched())) {
            changed(lease.policy());
        }
    }

    /** Gives back the slots of a policy that no node of the partition uses, when they are not to go to queued nodes. */
    void giveBackUnused(String policy) {
        PartitionRollout rollout = get(policy);
        if (rollout.free() > 0 && rollout.givesBack()) {
            rollout.giveBack(rollout.free());
            changed(policy);
        }
    }

    /** Puts a node at the end of the policy's queue for {@code generation}. */
    void enqueue(String policy, long generation, String node) {
        PartitionRollout rollout = get(policy);
        queue.put(queueKey(policy, generation, rollout.takeSeq()), node);
        changed(policy);
    }

    /** Takes the first node of the current generation's queue; null when it is empty. */
    Waiting next(String policy) {
        PartitionRollout rollout = get(policy);
        // The head is almost always at queueHead (a generation's queue starts there and is taken from the front), so it is
        // looked up first: a range over the caching store copies every cached key of the range into a new set (Kafka
        // Streams' NamedCache.keyRange), which made each admission cost the length of the queue.
        String headKey = queueKey(policy, rollout.generation(), rollout.queueHead());
        String node = queue.get(headKey);
        if (node == null) {
            // empty, or a gap before the head (a node enqueued under the generation before)
            try (KeyValueIterator<String, String> it = queue.range(headKey, queueKey(policy, rollout.generation(), Long.MAX_VALUE))) {
                if (!it.hasNext()) {
                    return null;
                }
                KeyValue<String, String> head = it.next();
                headKey = head.key;
                node = head.value;
            }
        }
        queue.delete(headKey);
        rollout.queueHead(sequenceOf(headKey) + 1);
        changed(policy);
        return new Waiting(node, rollout.generation());
    }

    /** The nodes of the current generation's queue that were not yet told why they wait, in queue order. */
    List<Waiting> untold(String policy) {
        PartitionRollout rollout = get(policy);
        return queued(policy, Math.max(rollout.pendingUpTo(), rollout.queueHead()));
    }

    /** Every node of the current generation's queue, told why it waits or not. */
    List<Waiting> queued(String policy) {
        return queued(policy, get(policy).queueHead());
    }

    private List<Waiting> queued(String policy, long from) {
        PartitionRollout rollout = get(policy);
        List<Waiting> queued = new ArrayList<>();
        try (KeyValueIterator<String, String> it = queue.range(queueKey(policy, rollout.generation(), from),
            queueKey(policy, rollout.generation(), Long.MAX_VALUE))) {
            it.forEachRemaining(entry -> queued.add(new Waiting(entry.value, rollout.generation())));
        }
        return queued;
    }

    /** The request to send the policy's coordinator now, or null when it can wait ({@code deferred} sends what is due). */
    SlotRequest request(String policy, int partition, boolean deferred) {
        PartitionRollout rollout = get(policy);
        if (rollout == null || !(deferred ? rollout.reportDue() : rollout.reportNow())) {
            return null;
        }
        SlotRequest request = rollout.request(policy, partition);
        rollout.reported(request);
        changed(policy);
        return request;
    }

    /** Every policy whose rollout in this partition exists, for the periodic sending of deferred requests. */
    List<String> policies() {
        List<String> names = new ArrayList<>();
        try (KeyValueIterator<String, PartitionRollout> it = store.all()) {
            it.forEachRemaining(entry -> names.add(entry.key));
        }
        return names;
    }

    /** Takes the policies changed since the last call, which must be settled. */
    List<String> takeUnsettled() {
        List<String> policies = new ArrayList<>(unsettled);
        unsettled.clear();
        return policies;
    }

    /** Policies whose rollout changed since the last flush. */
    List<String> changed() {
        return new ArrayList<>(changed);
    }

    /** Writes every changed rollout to the store and forgets what was read. */
    void flush() {
        for (String policy : changed) {
            PartitionRollout rollout = cache.get(policy);
            if (rollout != null) {
                store.put(policy, rollout);
            }
        }
        changed.clear();
        unsettled.clear();
        cache.clear();
    }

    private void changed(String policy) {
        changed.add(policy);
        unsettled.add(policy);
    }

    private void deleteQueued(String from, String to) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, String> it = queue.range(from, to)) {
            it.forEachRemaining(entry -> keys.add(entry.key));
        }
        keys.stream().filter(key -> key.compareTo(to) < 0).forEach(queue::delete);
    }

    private static long sequenceOf(String key) {
        return Long.parseLong(key.substring(key.lastIndexOf(SEPARATOR) + 1));
    }

    private static String queuePrefix(String policy, long generation) {
        return policy + SEPARATOR + SortableKeys.number(generation) + SEPARATOR;
    }

    private static String queueKey(String policy, long generation, long seq) {
        return queuePrefix(policy, generation) + SortableKeys.number(seq);
    }
}
