package io.nmstream.executor.testing;

import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.kafka.KafkaClients;
import io.nmstream.schemas.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Everything written to one topic so far, read from the beginning: what a test checks a service published. */
public final class TopicRecords<V> implements AutoCloseable {

    private final KafkaConsumer<String, V> consumer;
    private final List<ConsumerRecord<String, V>> seen = new ArrayList<>();

    public TopicRecords(ClusterSettings cluster, Topic<String, V> topic) {
        consumer = KafkaClients.consumer(cluster.clientProperties(), topic, null, "test-reader-" + UUID.randomUUID());
        // a topic created a moment ago may not be in the metadata yet
        List<TopicPartition> partitions = List.of();
        for (int attempt = 0; attempt < 60 && partitions.isEmpty(); attempt++) {
            partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(1)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        }
        if (partitions.isEmpty()) {
            throw new IllegalStateException("Topic " + topic.name() + " has no partitions");
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Every record so far, in the order read. */
    public synchronized List<ConsumerRecord<String, V>> records() {
        consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
        return List.copyOf(seen);
    }

    /** Every value so far. */
    public List<V> values() {
        return records().stream().map(ConsumerRecord::value).toList();
    }

    @Override
    public synchronized void close() {
        consumer.close();
    }
}
