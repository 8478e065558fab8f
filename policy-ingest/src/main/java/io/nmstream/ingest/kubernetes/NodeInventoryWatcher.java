package io.nmstream.ingest.kubernetes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.nmstream.schemas.Topic;
import io.nmstream.schemas.avro.NodeEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the node inventory of a Kubernetes cluster: one {@link NodeEvent} per node with its labels and whether it is
 * Ready, and {@code removed=true} when the node object is deleted. Status heartbeats that change neither labels nor
 * readiness publish nothing.
 *
 * <p>The watcher owns the producer it is given and closes it.
 */
public final class NodeInventoryWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NodeInventoryWatcher.class);
    private static final long RESYNC_MILLIS = 10 * 60 * 1000L;

    /** What a node event says, to skip heartbeats that say nothing new. */
    private record Summary(Map<String, String> labels, boolean ready) {
    }

    private final KubernetesClient client;
    private final Producer<String, NodeEvent> producer;
    private final Topic<String, NodeEvent> topic;
    private final Clock clock;
    private final Map<String, Summary> published = new ConcurrentHashMap<>();
    private SharedIndexInformer<Node> informer;

    public NodeInventoryWatcher(KubernetesClient client, Producer<String, NodeEvent> producer, Topic<String, NodeEvent> topic,
        Clock clock) {
        this.client = client;
        this.producer = producer;
        this.topic = topic;
        this.clock = clock;
    }

    public void start() {
        informer = client.nodes().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Node node) {
                publish(node, false);
            }

            @Override
            public void onUpdate(Node before, Node after) {
                publish(after, false);
            }

            @Override
            public void onDelete(Node node, boolean finalStateUnknown) {
                publish(node, true);
            }
        }, RESYNC_MILLIS);
    }

    private void publish(Node node, boolean removed) {
        String name = node.getMetadata().getName();
        Map<String, String> labels = new TreeMap<>(node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels());
        Summary summary = new Summary(labels, !removed && ready(node));
        if (removed) {
            published.remove(name);
        } else if (summary.equals(published.put(name, summary))) {
            return;
        }
        NodeEvent event = NodeEvent.newBuilder().setName(name).setLabels(labels).setReady(summary.ready()).setRemoved(removed)
            .setLastSeen(clock.instant()).build();
        producer.send(new ProducerRecord<>(topic.name(), name, event), (metadata, error) -> {
            if (error != null) {
                // forget it, so that the next update or resync publishes it again
                published.remove(name);
                LOG.error("Node {} could not be published: {}", name, error.getMessage());
            }
        });
        LOG.info("Node {} published (ready={}, removed={})", name, event.getReady(), removed);
    }

    private static boolean ready(Node node) {
        if (node.getStatus() == null || node.getStatus().getConditions() == null) {
            return false;
        }
        return node.getStatus().getConditions().stream().filter(c -> Objects.equals(c.getType(), "Ready"))
            .map(NodeCondition::getStatus).anyMatch("True"::equals);
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
