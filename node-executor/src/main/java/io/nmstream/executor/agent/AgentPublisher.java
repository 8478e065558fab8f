package io.nmstream.executor.agent;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.nmstream.common.kafka.KafkaClients;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.NodeEvent;
import io.nmstream.schemas.avro.NodeNetworkState;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * Writes what agents report: enactment events, node registrations and node states, each acknowledged by the brokers
 * before the call returns (an agent must not move past a command whose result is not durable). Thread-safe: a
 * simulated fleet shares one.
 */
public final class AgentPublisher implements EnactmentSink, AutoCloseable {

    private final Topics topics;
    private final KafkaProducer<String, EnactmentEvent> enactments;
    private final KafkaProducer<String, NodeEvent> nodes;
    private final KafkaProducer<String, NodeNetworkState> states;

    public AgentPublisher(Properties clientProperties, Topics topics, String clientId) {
        this.topics = topics;
        this.enactments = KafkaClients.producer(clientProperties, topics.enactments(), clientId + "-enactments");
        this.nodes = KafkaClients.producer(clientProperties, topics.nodes(), clientId + "-nodes");
        this.states = KafkaClients.producer(clientProperties, topics.nodeStates(), clientId + "-states");
    }

    @Override
    public void publish(EnactmentEvent event) {
        await(enactments.send(new ProducerRecord<>(topics.enactments().name(), Topics.enactmentKey(event.getNode(), event.getPolicy()),
            event)));
    }

    public void register(NodeEvent node) {
        await(nodes.send(new ProducerRecord<>(topics.nodes().name(), node.getName(), node)));
    }

    public void publishState(NodeNetworkState state) {
        await(states.send(new ProducerRecord<>(topics.nodeStates().name(), state.getNode(), state)));
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

    /** Binds the producers' client metrics (send rates, errors, buffer use) to {@code meters}; closing them unbinds. */
    List<KafkaClientMetrics> bindMetrics(MeterRegistry meters) {
        List<KafkaClientMetrics> bound = List.of(new KafkaClientMetrics(enactments), new KafkaClientMetrics(nodes),
            new KafkaClientMetrics(states));
        bound.forEach(metrics -> metrics.bindTo(meters));
        return bound;
    }

    @Override
    public void close() {
        enactments.close();
        nodes.close();
        states.close();
    }
}
