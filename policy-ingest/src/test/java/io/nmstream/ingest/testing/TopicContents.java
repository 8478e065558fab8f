package io.nmstream.ingest.testing;

import io.nmstream.common.kafka.KafkaClients;
import io.nmstream.embedded.EmbeddedCluster;
import io.nmstream.schemas.Topic;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

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
            Map<TopicPartition, Long> end = highWatermarks(cluster, partitions);
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

    /**
     * The end of each partition with every transaction committed so far: a read_committed consumer's end offsets stop at
     * the first transaction whose commit markers are not written yet, and commitTransaction returns before they are, so
     * a read right after a publish could end before it.
     */
    private static Map<TopicPartition, Long> highWatermarks(EmbeddedCluster cluster, List<TopicPartition> partitions) {
        Properties props = new Properties();
        props.putAll(cluster.settings().clientProperties());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                 new ByteArrayDeserializer())) {
            return consumer.endOffsets(partitions);
        }
    }
}
