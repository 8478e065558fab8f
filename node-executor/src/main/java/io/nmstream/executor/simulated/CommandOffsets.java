package io.nmstream.executor.simulated;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The offsets a simulated fleet may commit: in each partition, up to the first command whose result is not yet
 * published. The fleet's nodes finish their commands out of order (each node has its own queue), so the committed offset
 * of a partition never passes a command still being carried out, and a fleet killed at any moment reads again every
 * command it had not answered. Read by the fleet's poll loop, updated by its node threads as commands finish.
 */
final class CommandOffsets {

    /** One partition's progress. */
    private static final class Partition {
        private final ConcurrentSkipListSet<Long> unfinished = new ConcurrentSkipListSet<>();
        private volatile long next = -1;
        private long committed = -1;

        long committable() {
            // ceiling, not isEmpty() then first(): a node thread may finish the last command in between
            Long first = unfinished.ceiling(Long.MIN_VALUE);
            return first != null ? first : next;
        }
    }

    private final Map<TopicPartition, Partition> partitions = new ConcurrentHashMap<>();

    /** A record was read; {@code command} says whether a node now carries it out (and will call {@link #finished}). */
    void read(TopicPartition partition, long offset, boolean command) {
        Partition p = partitions.computeIfAbsent(partition, key -> new Partition());
        if (command) {
            p.unfinished.add(offset);
        }
        p.next = offset + 1;
    }

    /** The command at {@code offset} has its result published. */
    void finished(TopicPartition partition, long offset) {
        partitions.get(partition).unfinished.remove(offset);
    }

    /** The offsets that moved since the last call, to commit now. */
    Map<TopicPartition, OffsetAndMetadata> toCommit() {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        partitions.forEach((partition, p) -> {
            long offset = p.committable();
            if (offset > p.committed) {
                out.put(partition, new OffsetAndMetadata(offset));
                p.committed = offset;
            }
        });
        return out;
    }
}
