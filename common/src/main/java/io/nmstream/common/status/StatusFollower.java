package io.nmstream.common.status;

import io.nmstream.common.kafka.KafkaClients;
import io.nmstream.common.kafka.MissingTopicException;
import io.nmstream.common.kafka.ReadTimeoutException;
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
 *
 * <p>It keeps the latest status of every key it has read, so that waits one after the other (one per policy of a
 * directory applied with {@code --wait}) share one follower and read the topic once, rather than once each.
 */
public final class StatusFollower implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final Deserializer<ResourceStatus> values;
    private final RejectedRecords rejections;
    private final String topic;
    private final List<TopicPartition> partitions = new ArrayList<>();
    /** The latest status of every key read so far, in the order first written; a key whose latest record is a tombstone is left out. */
    private final Map<String, ResourceStatus> latest = new LinkedHashMap<>();

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
                throw new MissingTopicException(this.topic);
            }
            infos.forEach(info -> partitions.add(new TopicPartition(this.topic, info.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        } catch (RuntimeException e) {
            KafkaClients.closeReader(consumer);
            throw e;
        }
    }

    /**
     * Reads up to the end the topic has now: the latest status of every key, in the order first written (a key whose
     * latest record is a tombstone is left out), including what earlier reads of this follower returned.
     *
     * @throws ReadTimeoutException when that end is not reached within {@code timeout}
     */
    public Map<String, ResourceStatus> catchUp(Duration timeout) {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        Instant deadline = Instant.now().plus(timeout);
        while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
            if (Instant.now().isAfter(deadline)) {
                throw new ReadTimeoutException("Topic '" + topic + "'", timeout);
            }
            consumer.poll(Duration.ofMillis(200)).forEach(this::remember);
        }
        return new LinkedHashMap<>(latest);
    }

    /** The statuses written since the last read, in the order written; empty when none came within {@code wait}. */
    public List<ResourceStatus> poll(Duration wait) {
        List<ResourceStatus> changed = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : consumer.poll(wait)) {
            ResourceStatus status = remember(record);
            if (status != null) {
                changed.add(status);
            }
        }
        return changed;
    }

    /** Keeps {@code record} as its key's latest status; returns the status, or null for a tombstone or a record set aside. */
    private ResourceStatus remember(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            latest.remove(record.key());
            return null;
        }
        ResourceStatus status = decode(record);
        if (status != null) {
            latest.put(record.key(), status);
        }
        return status;
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
        KafkaClients.closeReader(consumer);
    }
}
