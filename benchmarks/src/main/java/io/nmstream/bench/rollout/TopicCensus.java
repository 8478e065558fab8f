package io.nmstream.bench.rollout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * Counts what a run actually wrote: the committed records of each topic and their mean key and value sizes, read from
 * the beginning with a consumer that joins no group. The baseline is shaped from these counts, never from assumptions.
 */
public final class TopicCensus {

    /** Records of one topic and their mean sizes in bytes. */
    public record Count(String topic, long records, double meanKeyBytes, double meanValueBytes) {

        /** Mean key plus value size, rounded up. */
        public int meanRecordBytes() {
            return (int) Math.ceil(meanKeyBytes + meanValueBytes);
        }
    }

    private TopicCensus() {
    }

    /** Counts every committed record of {@code topics}, in the given order. */
    public static List<Count> count(Properties clientProperties, List<String> topics, Duration timeout) {
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        List<Count> counts = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                 new ByteArrayDeserializer())) {
            for (String topic : topics) {
                counts.add(countOne(consumer, topic, timeout));
            }
        }
        return counts;
    }

    private static Count countOne(KafkaConsumer<byte[], byte[]> consumer, String topic, Duration timeout) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
        if (infos == null || infos.isEmpty()) {
            return new Count(topic, 0, 0, 0);
        }
        List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = new LinkedHashMap<>(consumer.endOffsets(partitions, timeout));
        long records = 0;
        long keyBytes = 0;
        long valueBytes = 0;
        Instant deadline = Instant.now().plus(timeout);
        while (!end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("Counting " + topic + " did not reach its end within " + timeout);
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
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
