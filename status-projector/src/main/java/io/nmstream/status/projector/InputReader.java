package io.nmstream.status.projector;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.nmstream.schemas.Topic;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.NodeNetworkState;
import io.nmstream.schemas.avro.PolicyEvent;
import io.nmstream.status.projector.FoldInput.InputTopic;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the fold's input topics (policies, enactments, node states) from their beginning, with a consumer of its own
 * that joins no group and commits nothing.
 *
 * <p>{@link #readToEnd} reads the history up to the end offsets of the moment and hands it over merged by
 * {@link FoldInput#ORDER}: every partition's next record is known before the earliest is handed over, so the result
 * depends only on the topics' contents, not on how fetches happened to arrive. {@link #poll} then follows new records,
 * each batch in the same order. Records that cannot be decoded are logged and skipped.
 */
public final class InputReader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InputReader.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, Decoder> decoders = new HashMap<>();
    private final Map<TopicPartition, ArrayDeque<FoldInput>> buffers = new HashMap<>();
    private long undecodable;

    /** How one input topic's values are decoded and timed. */
    private record Decoder(InputTopic source, Topic<String, ?> topic) {

        Object decode(String topicName, byte[] value) {
            return value == null ? null : topic.valueSerde().deserializer().deserialize(topicName, value);
        }
    }

    /** A reader of all three input topics. */
    public InputReader(Properties clientProperties, Topics topics, String clientId) {
        this(clientProperties, topics, clientId, EnumSet.allOf(InputTopic.class));
    }

    /** A reader of some of the input topics ({@code audit} reads no node states). */
    public InputReader(Properties clientProperties, Topics topics, String clientId, Set<InputTopic> sources) {
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.put("client.id", clientId);
        props.put("auto.offset.reset", "earliest");
        props.put("isolation.level", "read_committed");
        props.put("enable.auto.commit", "false");
        consumer = new KafkaConsumer<>(props, Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
        List<Decoder> all = List.of(new Decoder(InputTopic.POLICIES, topics.policies()),
            new Decoder(InputTopic.ENACTMENTS, topics.enactments()), new Decoder(InputTopic.NODE_STATES, topics.nodeStates()));
        for (Decoder decoder : all) {
            if (sources.contains(decoder.source())) {
                decoders.put(decoder.topic().name(), decoder);
            }
        }
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : decoders.keySet()) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                consumer.close();
                throw new IllegalStateException("Topic '" + topic + "' does not exist: create the topics first");
            }
            infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        partitions.forEach(tp -> buffers.put(tp, new ArrayDeque<>()));
    }

    /**
     * Hands every record up to the current end of the topics to {@code sink}, merged in fold order.
     *
     * @return how many records were handed over
     * @throws IllegalStateException when the end is not reached within {@code timeout}
     */
    public long readToEnd(Consumer<FoldInput> sink, Duration timeout) {
        Map<TopicPartition, Long> end = consumer.endOffsets(buffers.keySet());
        Instant deadline = Instant.now().plus(timeout);
        long handed = 0;
        while (true) {
            if (needsFetch(end)) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("Input topics not read to their end within " + timeout);
                }
                fetch(POLL);
            }
            TopicPartition next;
            while ((next = earliestHead(end)) != null) {
                sink.accept(buffers.get(next).poll());
                handed++;
            }
            if (!needsFetch(end) && buffers.values().stream().allMatch(ArrayDeque::isEmpty)) {
                return handed;
            }
        }
    }

    /** The records that arrived within {@code timeout}, in fold order. */
    public List<FoldInput> poll(Duration timeout) {
        fetch(timeout);
        List<FoldInput> batch = new ArrayList<>();
        buffers.values().forEach(buffer -> {
            batch.addAll(buffer);
            buffer.clear();
        });
        batch.sort(FoldInput.ORDER);
        return batch;
    }

    /** Records skipped because they could not be decoded. */
    public long undecodable() {
        return undecodable;
    }

    /** Wakes a thread blocked in {@link #poll}; it then throws {@link org.apache.kafka.common.errors.WakeupException}. */
    public void wakeup() {
        consumer.wakeup();
    }

    /** The consumer's client metrics (fetch rates, records lag), to bind to a registry; closing them unbinds. */
    public KafkaClientMetrics clientMetrics() {
        return new KafkaClientMetrics(consumer);
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }

    /** True while some partition has nothing buffered but records left before its end. */
    private boolean needsFetch(Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, ArrayDeque<FoldInput>> e : buffers.entrySet()) {
            if (e.getValue().isEmpty() && consumer.position(e.getKey()) < end.get(e.getKey())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The partition whose buffered head comes first, or null when some partition could still deliver an earlier record
     * (nothing buffered, end not reached) or nothing is buffered at all.
     */
    private TopicPartition earliestHead(Map<TopicPartition, Long> end) {
        TopicPartition best = null;
        FoldInput bestHead = null;
        for (Map.Entry<TopicPartition, ArrayDeque<FoldInput>> e : buffers.entrySet()) {
            FoldInput head = e.getValue().peek();
            if (head == null) {
                if (consumer.position(e.getKey()) < end.get(e.getKey())) {
                    return null;
                }
                continue;
            }
            if (bestHead == null || FoldInput.ORDER.compare(head, bestHead) < 0) {
                best = e.getKey();
                bestHead = head;
            }
        }
        return best;
    }

    private void fetch(Duration timeout) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(timeout)) {
            Decoder decoder = decoders.get(record.topic());
            Object event;
            try {
                event = decoder.decode(record.topic(), record.value());
            } catch (RuntimeException e) {
                undecodable++;
                LOG.warn("Skipping undecodable record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.toString());
                continue;
            }
            FoldInput input = new FoldInput(timeOf(event, record), decoder.source(), record.partition(), record.offset(), record.key(),
                event);
            buffers.get(new TopicPartition(record.topic(), record.partition())).add(input);
        }
    }

    private static Instant timeOf(Object event, ConsumerRecord<String, byte[]> record) {
        if (event instanceof PolicyEvent policy) {
            return policy.getEventTime();
        }
        if (event instanceof EnactmentEvent enactment) {
            return enactment.getTimestamp();
        }
        if (event instanceof NodeNetworkState state) {
            return state.getObservedAt();
        }
        return Instant.ofEpochMilli(record.timestamp());
    }
}
