package io.nmstream.status.projector;

import io.nmstream.common.kafka.KafkaClients;
import io.nmstream.common.kafka.MissingTopicException;
import io.nmstream.common.kafka.ReadTimeoutException;
import io.nmstream.common.kafka.RejectedRecords;
import io.nmstream.schemas.Topic;
import io.nmstream.schemas.avro.ResourceStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The live projection as the status topic holds it at one moment: the latest status of every resource (deleted ones
 * included) and the {@link ProjectionMark} of the latest publish, which says up to which input positions it was folded.
 *
 * <p>The projector publishes each batch of statuses in one transaction, but a transaction becomes visible partition by
 * partition. {@link #read} therefore reads on until it sees every status of the latest publish, so the statuses it
 * returns are exactly the projection at that publish's positions, never a mix of two publishes.
 *
 * @param statuses the latest status of every key, deleted ones included, by key
 * @param mark the mark of the latest publish; empty when no status carries one
 */
public record LiveProjection(Map<String, ResourceStatus> statuses, Optional<ProjectionMark> mark) {

    /**
     * Reads {@code topic} from its beginning until the end and the latest publish is whole. A record it cannot decode is
     * set aside ({@link RejectedRecords}) and its key left out, so that the projector publishes that resource's status
     * again over it.
     *
     * @throws IllegalStateException when the topic does not exist or no whole publish is reached within {@code timeout}
     */
    public static LiveProjection read(Properties clientProperties, Topic<String, ResourceStatus> topic, String clientId,
                                      Duration timeout, RejectedRecords rejections) {
        Map<String, ResourceStatus> latest = new TreeMap<>();
        Deserializer<ResourceStatus> values = topic.valueSerde().deserializer();
        AtomicReference<ProjectionMark> newest = new AtomicReference<>();
        Map<Long, Integer> seen = new HashMap<>();
        Instant deadline = Instant.now().plus(timeout);
        KafkaConsumer<String, byte[]> consumer = KafkaClients.consumer(clientProperties, topic.asValueBytes(), null, clientId);
        try {
            List<TopicPartition> partitions = partitionsOf(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
            while (true) {
                if (partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp))) {
                    ProjectionMark mark = newest.get();
                    if (mark == null || seen.get(mark.sequence()) >= mark.size()) {
                        return new LiveProjection(latest, Optional.ofNullable(mark));
                    }
                    // the rest of the latest publish is committed but not yet visible in every partition: read on
                    end.putAll(consumer.endOffsets(partitions));
                }
                failAfter(deadline, "Topic '" + topic.name() + "' (to the end of a whole publish)", timeout);
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    ProjectionMark.of(record.headers()).ifPresent(mark -> {
                        newest.accumulateAndGet(mark, (a, b) -> a == null || b.sequence() > a.sequence() ? b : a);
                        seen.merge(mark.sequence(), 1, Integer::sum);
                    });
                    ResourceStatus status = rejections.decodeOrReject(record, values);
                    if (status == null) {
                        latest.remove(record.key());
                    } else {
                        latest.put(record.key(), status);
                    }
                }
            }
        } finally {
            KafkaClients.closeReader(consumer);
        }
    }

    private static List<TopicPartition> partitionsOf(KafkaConsumer<?, ?> consumer, Topic<String, ResourceStatus> topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic.name(), Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
            throw new MissingTopicException(topic.name());
        }
        List<TopicPartition> partitions = new ArrayList<>();
        infos.forEach(info -> partitions.add(new TopicPartition(topic.name(), info.partition())));
        return partitions;
    }

    private static void failAfter(Instant deadline, String what, Duration timeout) {
        if (Instant.now().isAfter(deadline)) {
            throw new ReadTimeoutException(what, timeout);
        }
    }
}
