package io.nmstream.schemas;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a topic must be created: partitions, replication, cleanup policy and retention.
 *
 * @param partitions number of partitions
 * @param replicationFactor replication factor (1 on the embedded single broker)
 * @param compacted {@code cleanup.policy=compact} when true, {@code delete} otherwise
 * @param retentionMs {@code retention.ms}; -1 keeps records forever
 */
public record TopicSettings(int partitions, short replicationFactor, boolean compacted, long retentionMs) {

    public TopicSettings {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replicationFactor must be at least 1, was " + replicationFactor);
        }
    }

    public static TopicSettings compacted(int partitions, short replicationFactor) {
        return new TopicSettings(partitions, replicationFactor, true, -1L);
    }

    public static TopicSettings retained(int partitions, short replicationFactor, long retentionMs) {
        return new TopicSettings(partitions, replicationFactor, false, retentionMs);
    }

    /** The topic-level configs that express these settings, as {@code AdminClient.createTopics} takes them. */
    public Map<String, String> configs() {
        Map<String, String> configs = new LinkedHashMap<>();
        configs.put("cleanup.policy", compacted ? "compact" : "delete");
        configs.put("retention.ms", Long.toString(retentionMs));
        return configs;
    }
}
