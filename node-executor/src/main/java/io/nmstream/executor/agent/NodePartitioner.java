package io.nmstream.executor.agent;

import io.nmstream.schemas.Topic;
import org.apache.kafka.common.utils.Utils;

/**
 * The partition a node's commands land in: what Kafka's default producer partitioner picks for a record keyed by the
 * node name (murmur2 of the serialized key, made positive, modulo the partition count). An agent reads only that one.
 */
public final class NodePartitioner {

    private NodePartitioner() {
    }

    public static int partitionFor(String node, Topic<String, ?> topic, int partitions) {
        byte[] key = topic.keySerde().serializer().serialize(topic.name(), node);
        return Utils.toPositive(Utils.murmur2(key)) % partitions;
    }
}
