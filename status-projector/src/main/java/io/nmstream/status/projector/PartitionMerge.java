package io.nmstream.status.projector;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Merges the records of several partitions, each arriving in offset order, into {@link FoldInput#ORDER}.
 *
 * <p>A record is handed over only when every partition that has not ended has a record buffered, so the result depends
 * only on the partitions' contents, never on how their fetches happened to arrive. The partitions with buffered records
 * sit in a heap ordered by their next record: handing one over costs O(log P), and a run of records of one partition
 * that all come before every other partition's next record goes out without touching the heap. Not thread-safe.
 */
final class PartitionMerge {

    /** One partition's buffered records and whether it can still deliver more. */
    private static final class Lane {
        final ArrayDeque<FoldInput> buffered = new ArrayDeque<>();
        boolean ended;

        FoldInput head() {
            return buffered.peekFirst();
        }

        /** True when this partition may still deliver a record earlier than every buffered one. */
        boolean starving() {
            return buffered.isEmpty() && !ended;
        }
    }

    private final Map<TopicPartition, Lane> lanes = new HashMap<>();
    private final PriorityQueue<Lane> byHead = new PriorityQueue<>((a, b) -> FoldInput.ORDER.compare(a.head(), b.head()));
    private int starving;
    private int unended;

    /** A merge of {@code partitions}, none of which has ended yet. */
    PartitionMerge(Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            lanes.put(partition, new Lane());
        }
        starving = lanes.size();
        unended = lanes.size();
    }

    /** Buffers records of {@code partition} that follow, in offset order, every record added for it before. */
    void add(TopicPartition partition, List<FoldInput> records) {
        if (records.isEmpty()) {
            return;
        }
        Lane lane = lane(partition);
        if (lane.buffered.isEmpty()) {
            if (lane.starving()) {
                starving--;
            }
            lane.buffered.addAll(records);
            byHead.add(lane);
        } else {
            lane.buffered.addAll(records);
        }
    }

    /**
     * Notes whether {@code partition} has more to deliver right now: a following reader's partition that is caught up
     * with the broker holds nothing back, and one that lags does, until its records arrive.
     */
    void caughtUp(TopicPartition partition, boolean caughtUp) {
        Lane lane = lane(partition);
        if (caughtUp) {
            end(partition);
        } else if (lane.ended) {
            lane.ended = false;
            unended++;
            if (lane.starving()) {
                starving++;
            }
        }
    }

    /** The offset of the first record of {@code partition} buffered and not handed over; null when none is. */
    Long firstBufferedOffset(TopicPartition partition) {
        FoldInput head = lane(partition).head();
        return head == null ? null : head.offset();
    }

    /** Notes that {@code partition} delivers nothing beyond what was added for it. */
    void end(TopicPartition partition) {
        Lane lane = lane(partition);
        if (lane.ended) {
            return;
        }
        if (lane.starving()) {
            starving--;
        }
        lane.ended = true;
        unended--;
    }

    /**
     * Hands over, in fold order, every buffered record that no partition can still precede.
     *
     * @return how many records were handed over
     */
    long drain(Consumer<FoldInput> sink) {
        long handed = 0;
        while (starving == 0 && !byHead.isEmpty()) {
            Lane lane = byHead.poll();
            Lane next = byHead.peek();
            do {
                sink.accept(lane.buffered.pollFirst());
                handed++;
            } while (!lane.buffered.isEmpty() && (next == null || FoldInput.ORDER.compare(lane.head(), next.head()) < 0));
            if (!lane.buffered.isEmpty()) {
                byHead.add(lane);
            } else if (lane.starving()) {
                starving++;
            }
        }
        return handed;
    }

    /** True when every partition has ended and everything was handed over. */
    boolean finished() {
        return unended == 0 && byHead.isEmpty();
    }

    private Lane lane(TopicPartition partition) {
        Lane lane = lanes.get(partition);
        if (lane == null) {
            throw new IllegalArgumentException("Partition " + partition + " is not merged here");
        }
        return lane;
    }
}
