package io.nmstream.status.projector;

import io.nmstream.common.kafka.KafkaClients;
import io.nmstream.common.kafka.MissingTopicException;
import io.nmstream.common.kafka.ReadTimeoutException;
import io.nmstream.common.kafka.RejectedRecords;
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
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads a compacted topic from its beginning to its current end and keeps the latest value of each key. A record it
 * cannot decode is set aside ({@link RejectedRecords}) and its key left out: its latest value is not known.
 */
public final class LatestValues {

    private LatestValues() {
    }

    /**
     * The latest value of every key of {@code topic}; keys whose latest record is a tombstone or cannot be decoded are left
     * out.
     *
     * @throws MissingTopicException when the topic does not exist
     * @throws ReadTimeoutException when its end is not reached within {@code timeout}
     */
    public static <V> Map<String, V> read(Properties clientProperties, Topic<String, V> topic, String clientId, Duration timeout,
                                          RejectedRecords rejections) {
        Map<String, V> latest = new LinkedHashMap<>();
        Deserializer<V> values = topic.valueSerde().deserializer();
        KafkaConsumer<String, byte[]> consumer = KafkaClients.consumer(clientProperties, topic.asValueBytes(), null, clientId);
        try {
            List<PartitionInfo> infos = consumer.partitionsFor(topic.name(), Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new MissingTopicException(topic.name());
            }
            List<TopicPartition> partitions = new ArrayList<>();
            infos.forEach(info -> partitions.add(new TopicPartition(topic.name(), info.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Instant deadline = Instant.now().plus(timeout);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (Instant.now().isAfter(deadline)) {
                    throw new ReadTimeoutException("Topic '" + topic.name() + "'", timeout);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    V value = rejections.decodeOrReject(record, values);
                    if (value == null) {
                        latest.remove(record.key());
                    } else {
                        latest.put(record.key(), value);
                    }
                }
            }
        } finally {
            KafkaClients.closeReader(consumer);
        }
        return latest;
    }
}
