package io.nmstream.status.projector;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * The latest event time read so far in each input partition: the order time of each record ({@link FoldInput}).
 *
 * <p>Every reader of the fold's inputs reads each partition from its beginning, so every reader gives a record the same
 * order time. Not thread-safe: one decoding thread at a time, as for the rest of a reader's decoding state.
 */
final class PartitionClocks {

    private final Map<TopicPartition, Instant> latest = new HashMap<>();

    /** The order time of the next record of {@code partition}, stamped {@code time}: the later of it and the partition's. */
    Instant advance(TopicPartition partition, Instant time) {
        Instant before = latest.get(partition);
        if (before != null && !time.isAfter(before)) {
            return before;
        }
        latest.put(partition, time);
        return time;
    }
}
