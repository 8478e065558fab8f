package io.nmstream.executor.agent;

import io.nmstream.schemas.Topic;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.utils.Utils;

/**
 * The partition a node's commands land in: what Kafka's default producer partitioner picks for a record keyed by the
 * node name (murmur2 of the serialized key, made positive, modulo the partition count). An agent reads only that one.
 */
public final class NodePartitioner {

    private NodePartitioner() {
    }

    /**
     * The partitions of {@code topic}, waiting up to a minute for a topic that was just created to appear in the
     * metadata; fails naming the topic when it does not exist.
     */
    public static List<PartitionInfo> partitionsOf(Consumer<?, ?> consumer, Topic<?, ?> topic) {
        for (int attempt = 0; attempt < 60; attempt++) {
            try {
                List<PartitionInfo> partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(1));
                if (!partitions.isEmpty()) {
                    return partitions;
                }
            } catch (TimeoutException e) {
                // no metadata within the second (a busy or recovering cluster): ask again, as for a topic not there yet
            }
        }
        throw new IllegalStateException("Topic " + topic.name() + " does not exist (create the topics first: nmstream topics create)");
    }

    public static int partitionFor(String node, Topic<String, ?> topic, int partitions) {
        byte[] key = topic.keySerde().serializer().serialize(topic.name(), node);
        return Utils.toPositive(Utils.murmur2(key)) % partitions;
    }
}
