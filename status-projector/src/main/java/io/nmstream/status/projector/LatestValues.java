package io.nmstream.status.projector;

import io.nmstream.common.kafka.KafkaClients;
import io.nmstream.schemas.Topic;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/** Reads a compacted topic from its beginning to its current end and keeps the latest value of each key. */
public final class LatestValues {

    private LatestValues() {
    }

    /**
     * The latest value of every key of {@code topic}; keys whose latest record is a tombstone are left out.
     *
     * @throws IllegalStateException when the topic does not exist or its end is not reached within {@code timeout}
     */
    public static <V> Map<String, V> read(Properties clientProperties, Topic<String, V> topic, String clientId, Duration timeout) {
        Map<String, V> latest = new LinkedHashMap<>();
        try (KafkaConsumer<String, V> consumer = KafkaClients.consumer(clientProperties, topic, null, clientId)) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic.name(), Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("Topic '" + topic.name() + "' does not exist: create the topics first");
            }
            List<TopicPartition> partitions = new ArrayList<>();
            infos.forEach(info -> partitions.add(new TopicPartition(topic.name(), info.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Instant deadline = Instant.now().plus(timeout);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("Topic '" + topic.name() + "' not read to its end within " + timeout);
                }
                for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() == null) {
                        latest.remove(record.key());
                    } else {
                        latest.put(record.key(), record.value());
                    }
                }
            }
        }
        return latest;
    }
}
