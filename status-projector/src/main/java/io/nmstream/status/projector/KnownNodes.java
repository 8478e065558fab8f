package io.nmstream.status.projector;

import io.nmstream.common.kafka.KafkaClients;
import io.nmstream.schemas.Topic;
import io.nmstream.schemas.avro.NodeEvent;
import io.nmstream.schemas.avro.NodeIdentity;
import io.nmstream.schemas.contract.EventContract;
import io.nmstream.schemas.identity.NodeSignatures;
import io.nmstream.schemas.registry.SchemaRegistryException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
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
    /**
     * Longest a read of the inventory may go without reading a record before it gives up. Not a limit on the whole read:
     * a large fleet's inventory (a third of a million keyed nodes) takes longer than this to read and verify.
     */
    static final Duration STALL_TIMEOUT = Duration.ofSeconds(30);

    /**
     * The inventory could not be read to its end (the broker does not answer, the read was interrupted): no fault of the
     * record that asked about a node, which must not be set aside for it.
     */
    static final class InventoryUnavailable extends RuntimeException {

        InventoryUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final Topic<String, NodeEvent> topic;
    private final Duration stallTimeout;
    private final Deserializer<NodeEvent> deserializer;
    private final Topic<String, NodeIdentity> identities;
    private final Deserializer<NodeIdentity> identityDeserializer;
    private final List<TopicPartition> partitions = new ArrayList<>();
    private final Set<String> known = new HashSet<>();
    /**
     * The keys of every node that registered with one (see {@link EventContract#checkRegistrationSigned}). Each list is
     * immutable and replaced when a key is added, so that verifications on other threads may hold it.
     */
    private final Map<String, List<String>> keys = new HashMap<>();
    /** Registrations (heartbeats included) whose signature verified, shared with the readers before and after this one. */
    private final VerifiedSignatures verified;

    /**
     * @param topic the nodes topic (registrations and the keys they introduce)
     * @param identities the node-identities topic (keys operators added)
     * @param stallTimeout longest a read of the inventory may go without reading a record ({@link #STALL_TIMEOUT})
     */
    KnownNodes(Properties clientProperties, Topic<String, NodeEvent> topic, Topic<String, NodeIdentity> identities, String clientId,
               VerifiedSignatures verified, Duration stallTimeout) {
        this.topic = topic;
        this.stallTimeout = stallTimeout;
        this.verified = verified;
        this.deserializer = topic.valueSerde().deserializer();
        this.identities = identities;
        this.identityDeserializer = identities.valueSerde().deserializer();
        consumer = InputReader.undecodedConsumer(clientProperties, topic, clientId);
        partitions.addAll(InputReader.assignFromBeginning(consumer, List.of(topic.name(), identities.name())));
    }

    /** Whether the nodes topic holds a valid record of {@code node}, reading what was added since the last question. */
    boolean contains(String node) {
        if (known.contains(node)) {
            return true;
        }
        readToEnd();
        return known.contains(node);
    }

    /**
     * The keys of each of {@code nodes} that has one, reading the inventory to its end first (once) when one of them is not
     * known yet, as {@link #contains} would.
     */
    Map<String, List<String>> keysOf(Set<String> nodes) {
        if (!known.containsAll(nodes)) {
            readToEnd();
        }
        Map<String, List<String>> out = new HashMap<>();
        for (String node : nodes) {
            List<String> nodeKeys = keys.get(node);
            if (nodeKeys != null && !nodeKeys.isEmpty()) {
                out.put(node, nodeKeys);
            }
        }
        return out;
    }

    /**
     * Checks that a record about {@code node} came from it ({@link EventContract#checkSignedByNode}). The inventory is
     * read again first when the record does not verify against the keys learnt so far but may against newer ones: a
     * signed record of a node not known to have a key, or a record its known keys do not verify.
     *
     * @param signed whether the record carries a signature at all
     * @param verifies whether the record's signature verifies against one of the given keys
     */
    void checkSigned(String kind, String key, String node, boolean signed, Predicate<Collection<String>> verifies) {
        List<String> nodeKeys = keys.getOrDefault(node, List.of());
        boolean verified = !nodeKeys.isEmpty() && verifies.test(nodeKeys);
        if (!verified && (signed || !nodeKeys.isEmpty())) {
            readToEnd();
            nodeKeys = keys.getOrDefault(node, List.of());
            verified = !nodeKeys.isEmpty() && verifies.test(nodeKeys);
        }
        EventContract.checkSignedByNode(kind, key, node, nodeKeys, verified);
    }

    /** Reads the inventory to its end of this moment; throws {@link InventoryUnavailable} when it cannot. */
    private void readToEnd() {
        try {
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Instant lastRead = Instant.now();
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
                if (!Instant.now().isBefore(lastRead.plus(stallTimeout))) {
                    throw new InventoryUnavailable("Topic '" + topic.name() + "' not read to its end: no record read for "
                        + stallTimeout, null);
                }
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                if (!records.isEmpty()) {
                    lastRead = Instant.now();
                }
                learnPolled(records);
            }
        } catch (InventoryUnavailable e) {
            throw e;
        } catch (KafkaException e) {
            // wakeup and interrupt included (WakeupException, InterruptException)
            throw new InventoryUnavailable("Topic '" + topic.name() + "' could not be read to its end: " + e, e);
        }
    }

    /** Learns a poll's registrations and identities, in the order polled. */
    private void learnPolled(ConsumerRecords<String, byte[]> records) {
        List<DecodedRecord<NodeEvent>> registrations = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            if (!isIdentity(record)) {
                // a tombstone, like a removal record, is a node that left: still one the fleet had
                registrations.add(DecodedRecord.decode(record, deserializer));
            }
        }
        verifyAhead(registrations);
        Iterator<DecodedRecord<NodeEvent>> next = registrations.iterator();
        for (ConsumerRecord<String, byte[]> record : records) {
            if (isIdentity(record)) {
                learnIdentity(record);
            } else {
                learn(next.next());
            }
        }
    }

    private boolean isIdentity(ConsumerRecord<String, byte[]> record) {
        return record.topic().equals(identities.name());
    }

    /**
     * Verifies the signatures of {@code polled} registrations ({@link VerificationAhead}): against their node's keys, or,
     * for a node without one so far, against the key the registration introduces, which {@link #learn} decides in order
     * (a registration before it may introduce the node's key first).
     */
    private void verifyAhead(List<DecodedRecord<NodeEvent>> polled) {
        List<VerificationAhead.Candidate> candidates = new ArrayList<>();
        for (DecodedRecord<NodeEvent> registration : polled) {
            NodeEvent event = registration.event();
            if (event == null || event.getSignature() == null || verified.contains(registration.record())) {
                continue;
            }
            List<String> nodeKeys = keys.getOrDefault(registration.record().key(), List.of());
            candidates.add(nodeKeys.isEmpty()
                ? new VerificationAhead.Candidate(registration.record(), () -> NodeSignatures.selfSigned(event), false)
                : new VerificationAhead.Candidate(registration.record(), () -> NodeSignatures.verifies(event, nodeKeys), true));
        }
        VerificationAhead.verify(candidates, verified);
    }

    private void learn(DecodedRecord<NodeEvent> registration) {
        ConsumerRecord<String, byte[]> record = registration.record();
        try {
            NodeEvent event = registration.eventOrThrow();
            EventContract.checkNode(record.key(), event);
            List<String> nodeKeys = keys.getOrDefault(record.key(), List.of());
            String introduced;
            if (event != null && verified.contains(record)) {
                introduced = EventContract.introducedKey(event, nodeKeys);
            } else {
                introduced = EventContract.checkRegistrationSigned(record.key(), event, nodeKeys);
                if (event != null && (!nodeKeys.isEmpty() || introduced != null)) {
                    // its signature verified against the node's key, or against the key it introduces
                    verified.add(record);
                }
            }
            if (introduced != null) {
                addKey(record.key(), introduced);
            }
            known.add(record.key());
        } catch (SchemaRegistryException e) {
            throw e;
        } catch (RuntimeException e) {
            // the reconciler sets this record aside with its reason; it names no node here either
        }
    }

    private void learnIdentity(ConsumerRecord<String, byte[]> record) {
        try {
            NodeIdentity identity = record.value() == null ? null : identityDeserializer.deserialize(record.topic(), record.value());
            EventContract.checkIdentity(record.key(), identity);
            if (!keys.getOrDefault(record.key(), List.of()).contains(identity.getPublicKey().toString())) {
                addKey(record.key(), identity.getPublicKey().toString());
            }
        } catch (SchemaRegistryException e) {
            throw e;
        } catch (RuntimeException e) {
            // the reconciler sets this record aside with its reason
        }
    }

    private void addKey(String node, String key) {
        List<String> nodeKeys = new ArrayList<>(keys.getOrDefault(node, List.of()));
        nodeKeys.add(key);
        keys.put(node, List.copyOf(nodeKeys));
    }

    @Override
    public void close() {
        KafkaClients.closeReader(consumer);
    }
}
