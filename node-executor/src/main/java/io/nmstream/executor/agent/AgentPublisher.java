package io.nmstream.executor.agent;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.nmstream.common.kafka.KafkaClients;
import io.nmstream.schemas.Topic;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.NodeEvent;
import io.nmstream.schemas.avro.NodeNetworkState;
import io.nmstream.schemas.identity.NodeKey;
import io.nmstream.schemas.identity.NodeSignatures;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;

/**
 * Writes what agents report: enactment events, node registrations and node states, each acknowledged by the brokers
 * before the call returns (an agent must not move past a command whose result is not durable). Thread-safe: a
 * simulated fleet shares one.
 *
 * <p>All three topics go through one producer: one network thread, one connection per broker, one buffer pool and one
 * set of client metrics per agent, instead of one of each per topic. Records are serialized here with each topic's own
 * serdes, exactly as a producer typed for that topic would.
 */
public final class AgentPublisher implements EnactmentSink, AutoCloseable {

    /** Longest wait for records still unacknowledged when the agent closes. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(3);

    private final Topics topics;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Function<String, NodeKey> keys;

    /**
     * @param keys each node's key, which signs everything published about the node and whose public half its
     *     registration carries
     */
    public AgentPublisher(Properties clientProperties, Topics topics, String clientId, Function<String, NodeKey> keys) {
        this.topics = topics;
        this.keys = keys;
        this.producer = KafkaClients.producer(clientProperties, topics.enactments().asBytes(), clientId);
    }

    @Override
    public void publish(EnactmentEvent event) {
        EnactmentEvent signed = NodeSignatures.signed(event, key(event.getNode().toString()));
        await(send(topics.enactments(), Topics.enactmentKey(event.getNode(), event.getPolicy()), signed));
    }

    /**
     * Publishes a node's report with the network state it leaves, signed together (one signature for both); returns
     * once both are acknowledged.
     */
    public void publish(EnactmentEvent event, NodeNetworkState state) {
        if (!event.getNode().equals(state.getNode())) {
            throw new IllegalArgumentException("a report of node " + event.getNode() + " cannot be signed with a state of node "
                + state.getNode());
        }
        NodeSignatures.SignedTogether signed = NodeSignatures.signedTogether(event, state, key(event.getNode()));
        Future<RecordMetadata> report = send(topics.enactments(), Topics.enactmentKey(event.getNode(), event.getPolicy()),
            signed.enactment());
        Future<RecordMetadata> newState = send(topics.nodeStates(), state.getNode(), signed.state());
        await(report);
        await(newState);
    }

    public void register(NodeEvent node) {
        await(send(topics.nodes(), node.getName(), signed(node)));
    }

    public void publishState(NodeNetworkState state) {
        await(send(topics.nodeStates(), state.getNode(), signed(state)));
    }

    private NodeEvent signed(NodeEvent node) {
        return NodeSignatures.signed(node, key(node.getName().toString()));
    }

    private NodeNetworkState signed(NodeNetworkState state) {
        return NodeSignatures.signed(state, key(state.getNode().toString()));
    }

    private NodeKey key(String node) {
        NodeKey key = keys.apply(node);
        if (key == null) {
            throw new IllegalArgumentException("no key for node " + node + ": this publisher does not speak for it");
        }
        return key;
    }

    /**
     * Registers every node of {@code nodes}: all are sent before any acknowledgement is awaited, so that a fleet
     * registers in a few batched round trips rather than one round trip per node. Returns once every one is acknowledged.
     */
    public void registerAll(Collection<NodeEvent> nodes) {
        sendAll(topics.nodes(), NodeEvent::getName, nodes.stream().map(this::signed).toList());
    }

    /** Publishes every state of {@code states}, all sent before any acknowledgement is awaited (see {@link #registerAll}). */
    public void publishStates(Collection<NodeNetworkState> states) {
        sendAll(topics.nodeStates(), NodeNetworkState::getNode, states.stream().map(this::signed).toList());
    }

    /**
     * The registration of a node that is up: its labels, the NetworkManager version it runs and when it was seen.
     */
    public static NodeEvent registration(String node, Map<String, String> labels, String networkManagerVersion, Instant seen) {
        return NodeEvent.newBuilder().setName(node).setLabels(Map.copyOf(labels)).setReady(true)
            .setNetworkManagerVersion(networkManagerVersion).setLastSeen(seen).setRemoved(false).build();
    }

    private <V> void sendAll(Topic<String, V> topic, Function<V, String> key, Collection<V> values) {
        List<Future<RecordMetadata>> acks = new ArrayList<>(values.size());
        values.forEach(value -> acks.add(send(topic, key.apply(value), value)));
        acks.forEach(AgentPublisher::await);
    }

    private <V> Future<RecordMetadata> send(Topic<String, V> topic, String key, V value) {
        byte[] serializedKey = topic.keySerde().serializer().serialize(topic.name(), key);
        byte[] serializedValue = topic.valueSerde().serializer().serialize(topic.name(), value);
        return producer.send(new ProducerRecord<>(topic.name(), serializedKey, serializedValue));
    }

    private static void await(Future<?> ack) {
        try {
            ack.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("Interrupted while waiting for an acknowledgement", e);
        } catch (ExecutionException e) {
            throw new KafkaException("Cannot publish: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * Binds the producer's client metrics (send rates, errors, buffer use) to {@code meters}, refreshed on
     * {@code scheduler} (which the caller owns); closing them unbinds.
     */
    KafkaClientMetrics bindMetrics(MeterRegistry meters, ScheduledExecutorService scheduler) {
        KafkaClientMetrics metrics = new KafkaClientMetrics(producer, Tags.empty(), scheduler);
        metrics.bindTo(meters);
        return metrics;
    }

    @Override
    public void close() {
        // bounded, so that an agent whose broker is gone still stops; what is unsent by then is failed, not waited for
        producer.close(CLOSE_TIMEOUT);
    }
}
