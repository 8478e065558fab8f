package io.nmstream.status;

import io.nmstream.common.kafka.KafkaClients;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.NodeEvent;
import io.nmstream.schemas.avro.NodeNetworkState;
import io.nmstream.schemas.avro.PolicyEvent;
import io.nmstream.schemas.avro.RolloutEvent;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes events to the real input topics, one at a time and acknowledged, as policy-ingest, the reconciler and the node
 * agents would: a node is in the inventory (the nodes topic) before the first event about it, as a node registers before
 * the reconciler sends it anything.
 */
public final class EventLog implements AutoCloseable {

    private final Topics topics;
    private final KafkaProducer<String, PolicyEvent> policies;
    private final KafkaProducer<String, EnactmentEvent> enactments;
    private final KafkaProducer<String, NodeNetworkState> nodeStates;
    private final KafkaProducer<String, RolloutEvent> rollouts;
    private final KafkaProducer<String, NodeEvent> nodes;
    private final Set<String> registered = new HashSet<>();

    public EventLog(Properties clientProperties, Topics topics) {
        this.topics = topics;
        policies = KafkaClients.producer(clientProperties, topics.policies(), "test-policies");
        enactments = KafkaClients.producer(clientProperties, topics.enactments(), "test-enactments");
        nodeStates = KafkaClients.producer(clientProperties, topics.nodeStates(), "test-node-states");
        rollouts = KafkaClients.producer(clientProperties, topics.rollouts(), "test-rollouts");
        nodes = KafkaClients.producer(clientProperties, topics.nodes(), "test-nodes");
    }

    /** Puts {@code node} in the inventory, unless this log already did. */
    public void register(String node) {
        if (registered.add(node)) {
            NodeEvent event = NodeEvent.newBuilder().setName(node).setLabels(Map.of()).setReady(true).setRemoved(false)
                .setLastSeen(Instant.now()).build();
            await(nodes.send(new ProducerRecord<>(topics.nodes().name(), node, event)));
        }
    }

    public void send(PolicyEvent event) {
        await(policies.send(new ProducerRecord<>(topics.policies().name(), event.getName(), event)));
    }

    public void send(EnactmentEvent event) {
        register(event.getNode());
        String key = Topics.enactmentKey(event.getNode(), event.getPolicy());
        await(enactments.send(new ProducerRecord<>(topics.enactments().name(), key, event)));
    }

    public void send(NodeNetworkState state) {
        register(state.getNode());
        await(nodeStates.send(new ProducerRecord<>(topics.nodeStates().name(), state.getNode(), state)));
    }

    public void send(RolloutEvent event) {
        await(rollouts.send(new ProducerRecord<>(topics.rollouts().name(), event.getPolicy(), event)));
    }

    private static void await(Future<?> sent) {
        try {
            sent.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        policies.close();
        enactments.close();
        nodeStates.close();
        rollouts.close();
        nodes.close();
    }
}
