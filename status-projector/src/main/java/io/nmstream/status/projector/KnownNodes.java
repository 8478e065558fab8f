package io.nmstream.status.projector;

import io.nmstream.schemas.Topic;
import io.nmstream.schemas.avro.NodeEvent;
import io.nmstream.schemas.contract.EventContract;
import io.nmstream.schemas.registry.SchemaRegistryException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Tells whether the inventory (the nodes topic) holds a node, for the event contract's known-node rule.
 *
 * <p>Names are learnt by reading the nodes topic, and only when asked about a name not learnt yet: the topic is then read
 * to its end of that moment. That is exact for every genuine record, because the reconciler sends a command only to a node
 * it read from the topic, so a node's registration is in the topic before anything about the node is written. A record
 * that does not decode or breaks the contract teaches nothing, as the reconciler refuses it too (it sets it aside; this
 * reader leaves the dead letter to the reconciler). A node that left stays known: its removal record is kept.
 *
 * <p>Not thread-safe: one thread at a time asks (the reader's decoding thread of the moment).
 */
final class KnownNodes implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Topic<String, NodeEvent> topic;
    private final Deserializer<NodeEvent> deserializer;
    private final List<TopicPartition> partitions = new ArrayList<>();
    private final Set<String> known = new HashSet<>();

    KnownNodes(Properties clientProperties, Topic<String, NodeEvent> topic, String clientId) {
        this.topic = topic;
        this.deserializer = topic.valueSerde().deserializer();
        consumer = InputReader.undecodedConsumer(clientProperties, topic, clientId);
        partitions.addAll(InputReader.assignFromBeginning(consumer, List.of(topic.name())));
    }

    /** Whether the nodes topic holds a valid record of {@code node}, reading what was added since the last question. */
    boolean contains(String node) {
        if (known.contains(node)) {
            return true;
        }
        readToEnd();
        return known.contains(node);
    }

    private void readToEnd() {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        Instant deadline = Instant.now().plus(CATCH_UP_TIMEOUT);
        while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("Topic '" + topic.name() + "' not read to its end within " + CATCH_UP_TIMEOUT);
            }
            for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                learn(record);
            }
        }
    }

    private void learn(ConsumerRecord<String, byte[]> record) {
        try {
            // a tombstone, like a removal record, is a node that left: still one the fleet had
            NodeEvent event = record.value() == null ? null : deserializer.deserialize(record.topic(), record.value());
            EventContract.checkNode(record.key(), event);
            known.add(record.key());
        } catch (SchemaRegistryException e) {
            throw e;
        } catch (RuntimeException e) {
            // the reconciler sets this record aside with its reason; it names no node here either
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
