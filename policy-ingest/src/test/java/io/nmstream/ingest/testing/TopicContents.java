package io.nmstream.ingest.testing;

import io.nmstream.common.kafka.KafkaClients;
import io.nmstream.embedded.EmbeddedCluster;
import io.nmstream.schemas.Topic;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Reads a whole topic as it is now, the way a user inspecting it would, independently of the code under test. */
public final class TopicContents {

    private TopicContents() {
    }

    /** Every record of {@code topic}, up to its current end offsets. */
    public static <K, V> List<ConsumerRecord<K, V>> records(EmbeddedCluster cluster, Topic<K, V> topic) {
        try (KafkaConsumer<K, V> consumer = KafkaClients.consumer(cluster.settings().clientProperties(), topic, null, "test-reader")) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<K, V>> records = new ArrayList<>();
            Instant deadline = Instant.now().plusSeconds(30);
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("could not read " + topic.name() + " to its end");
                }
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
            return records;
        }
    }

    /** The values of every record of {@code topic}. */
    public static <K, V> List<V> values(EmbeddedCluster cluster, Topic<K, V> topic) {
        return records(cluster, topic).stream().map(ConsumerRecord::value).toList();
    }
}
