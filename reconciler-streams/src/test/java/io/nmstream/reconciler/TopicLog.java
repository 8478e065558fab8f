package io.nmstream.reconciler;

import io.nmstream.common.kafka.KafkaClients;
import io.nmstream.schemas.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Reads a whole topic from the beginning (committed records only), as a user auditing the log would. */
final class TopicLog<K, V> implements AutoCloseable {

    private final KafkaConsumer<K, V> consumer;
    private final List<ConsumerRecord<K, V>> records = new ArrayList<>();

    TopicLog(Properties client, Topic<K, V> topic) {
        consumer = KafkaClients.consumer(client, topic, null, "audit-" + topic.name());
        List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
            .map(p -> new TopicPartition(topic.name(), p.partition())).collect(Collectors.toList());
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Reads what has been committed since the last call; returns every record read so far. */
    List<ConsumerRecord<K, V>> poll() {
        for (ConsumerRecord<K, V> record : consumer.poll(Duration.ofMillis(200))) {
            records.add(record);
        }
        return records;
    }

    /** Every value read so far. */
    List<V> values() {
        return records.stream().map(ConsumerRecord::value).collect(Collectors.toList());
    }

    @Override
    public void close() {
        consumer.close();
    }
}
