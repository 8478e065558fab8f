package io.nmstream.common.status;

import io.nmstream.common.kafka.KafkaClients;
import io.nmstream.common.kafka.RejectedRecords;
import io.nmstream.schemas.Topic;
import io.nmstream.schemas.avro.ResourceStatus;
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
 * Follows the status topic the way {@code kubectl get -w} follows the API server: first everything it holds now, then
 * each status written after, as it is written. A record it cannot decode is set aside ({@link RejectedRecords}) and
 * skipped, so one bad record never stops a watch.
 */
public final class StatusFollower implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final Deserializer<ResourceStatus> values;
    private final RejectedRecords rejections;
    private final String topic;
    private final List<TopicPartition> partitions = new ArrayList<>();

    /**
     * Assigns every partition of {@code topic}, from its beginning.
     *
     * @throws IllegalStateException when the topic does not exist
     */
    public StatusFollower(Properties clientProperties, Topic<String, ResourceStatus> topic, String clientId,
                          RejectedRecords rejections) {
        this.topic = topic.name();
        this.values = topic.valueSerde().deserializer();
        this.rejections = rejections;
        this.consumer = KafkaClients.consumer(clientProperties, topic.asValueBytes(), null, clientId);
        try {
            List<PartitionInfo> infos = consumer.partitionsFor(this.topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("Topic '" + this.topic + "' does not exist: create the topics first");
            }
            infos.forEach(info -> partitions.add(new TopicPartition(this.topic, info.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
    }

    /**
     * Reads up to the end the topic has now: the latest status of every key, in the order first written (a key whose
     * latest record is a tombstone is left out).
     *
     * @throws IllegalStateException when that end is not reached within {@code timeout}
     */
    public Map<String, ResourceStatus> catchUp(Duration timeout) {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        Map<String, ResourceStatus> latest = new LinkedHashMap<>();
        Instant deadline = Instant.now().plus(timeout);
        while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("Topic '" + topic + "' not read to its end within " + timeout);
            }
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.value() == null) {
                    latest.remove(record.key());
                    continue;
                }
                ResourceStatus status = decode(record);
                if (status != null) {
                    latest.put(record.key(), status);
                }
            }
        }
        return latest;
    }

    /** The statuses written since the last read, in the order written; empty when none came within {@code wait}. */
    public List<ResourceStatus> poll(Duration wait) {
        List<ResourceStatus> changed = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : consumer.poll(wait)) {
            ResourceStatus status = record.value() == null ? null : decode(record);
            if (status != null) {
                changed.add(status);
            }
        }
        return changed;
    }

    /** How many records were skipped because they could not be decoded. */
    public long skipped() {
        return rejections.count();
    }

    private ResourceStatus decode(ConsumerRecord<String, byte[]> record) {
        return rejections.decodeOrReject(record, values);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
