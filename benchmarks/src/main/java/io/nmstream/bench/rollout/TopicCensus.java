package io.nmstream.bench.rollout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Counts what a run actually wrote: the committed records each topic received between two points (the end offsets
 * taken before the run, and the topic's end now), with their mean key and value sizes, read by a consumer that joins no
 * group. The baseline is shaped from these counts, never from assumptions.
 */
public final class TopicCensus {

    /** Records of one topic and their mean sizes in bytes. */
    public record Count(String topic, long records, double meanKeyBytes, double meanValueBytes) {
    }

    private TopicCensus() {
    }

    /** The end offset of every partition of {@code topics} now: where the next run's census starts. */
    public static Map<TopicPartition, Long> endOffsets(Properties clientProperties, List<String> topics, Duration timeout) {
        Map<TopicPartition, Long> ends = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(clientProperties)) {
            for (String topic : topics) {
                ends.putAll(consumer.endOffsets(partitions(consumer, topic, timeout), timeout));
            }
        }
        return ends;
    }

    /**
     * How far each of {@code topics} advanced since {@code from}: records and transaction markers written, whether or not
     * they are still there (Kafka Streams purges its repartition topics once it has read them).
     */
    public static Map<String, Long> offsetsAdvanced(Properties clientProperties, List<String> topics, Map<TopicPartition, Long> from,
                                                    Duration timeout) {
        Map<String, Long> advanced = new java.util.TreeMap<>();
        endOffsets(clientProperties, topics, timeout).forEach((partition, end) ->
            advanced.merge(partition.topic(), end - from.getOrDefault(partition, 0L), Long::sum));
        return advanced;
    }

    /** Counts the committed records of {@code topics} after {@code from} (from the beginning where it has no offset), in order. */
    public static List<Count> count(Properties clientProperties, List<String> topics, Map<TopicPartition, Long> from, Duration timeout) {
        List<Count> counts = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(clientProperties)) {
            for (String topic : topics) {
                counts.add(countOne(consumer, topic, from, timeout));
            }
        }
        return counts;
    }

    private static KafkaConsumer<byte[], byte[]> consumer(Properties clientProperties) {
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic, Duration timeout) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
        if (infos == null) {
            return List.of();
        }
        return infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    private static Count countOne(KafkaConsumer<byte[], byte[]> consumer, String topic, Map<TopicPartition, Long> from, Duration timeout) {
        List<TopicPartition> partitions = partitions(consumer, topic, timeout);
        if (partitions.isEmpty()) {
            return new Count(topic, 0, 0, 0);
        }
        consumer.assign(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, timeout);
        for (TopicPartition partition : partitions) {
            consumer.seek(partition, Math.max(from.getOrDefault(partition, 0L), begin.get(partition)));
        }
        long records = 0;
        long keyBytes = 0;
        long valueBytes = 0;
        Instant deadline = Instant.now().plus(timeout);
        while (!end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("Counting " + topic + " did not reach its end within " + timeout);
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.offset() >= end.get(new TopicPartition(record.topic(), record.partition()))) {
                    continue;
                }
                records++;
                keyBytes += Math.max(record.serializedKeySize(), 0);
                valueBytes += Math.max(record.serializedValueSize(), 0);
            }
        }
        consumer.unsubscribe();
        return records == 0 ? new Count(topic, 0, 0, 0)
            : new Count(topic, records, (double) keyBytes / records, (double) valueBytes / records);
    }
}
