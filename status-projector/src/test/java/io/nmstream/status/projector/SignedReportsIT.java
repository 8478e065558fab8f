package io.nmstream.status.projector;

import static io.nmstream.schemas.avro.EnactmentPhase.AVAILABLE;
import static io.nmstream.schemas.avro.EnactmentPhase.PROGRESSING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nmstream.common.kafka.KafkaClients;
import io.nmstream.common.kafka.RejectedRecords;
import io.nmstream.embedded.EmbeddedCluster;
import io.nmstream.embedded.junit.EmbeddedClusterExtension;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.NodeEvent;
import io.nmstream.schemas.avro.NodeNetworkState;
import io.nmstream.schemas.identity.NodeKey;
import io.nmstream.schemas.identity.NodeSignatures;
import io.nmstream.status.Events;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the reader hands to the fold from a fleet whose nodes sign their reports, among which a forger's: each genuine
 * report and node state, in whole polls of hundreds of records (where the reader verifies signatures on every core
 * before checking records one by one), and none of the forged or unsigned ones, which it counts as rejected; a
 * registration that claims a node's name with the forger's key changes nothing.
 */
@ExtendWith(EmbeddedClusterExtension.class)
class SignedReportsIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int NODES = 60;
    private static final String POLICY = "mtu";

    private final EmbeddedCluster cluster;
    private final Events events = new Events();
    private final NodeKey forger = NodeKey.generate();

    SignedReportsIT(EmbeddedCluster cluster) {
        this.cluster = cluster;
    }

    /** What was written: the genuine records (by enactment event id or node state text) and how many forged ones. */
    private static final class Written {
        final List<String> genuine = new ArrayList<>();
        int forged;
    }

    @Test
    void everyGenuineSignedReportIsFoldedAndEveryForgedOneSetAside() throws Exception {
        Topics topics = cluster.createTopics("signed-it-" + UUID.randomUUID());
        Properties props = cluster.settings().clientProperties();
        Map<String, NodeKey> keys = new HashMap<>();
        try (KafkaProducer<String, NodeEvent> nodes = KafkaClients.producer(props, topics.nodes(), "signed-it-nodes")) {
            for (int i = 0; i < NODES; i++) {
                String node = "worker-" + i;
                NodeKey key = NodeKey.generate();
                keys.put(node, key);
                nodes.send(new ProducerRecord<>(topics.nodes().name(), node, NodeSignatures.signed(registration(node), key)));
            }
            // a registration that claims a node's name with the forger's key: it must not make the forger's reports pass
            nodes.send(new ProducerRecord<>(topics.nodes().name(), "worker-0", NodeSignatures.signed(registration("worker-0"), forger)));
        }
        Written history = write(props, topics, keys, 1);

        RejectedRecords rejections = RejectedRecords.countedOnly("signed-it", new SimpleMeterRegistry());
        try (InputReader reader = new InputReader(props, topics, "signed-it-" + UUID.randomUUID(), rejections)) {
            List<FoldInput> read = new ArrayList<>();
            reader.readToEnd(read::add, WAIT);
            assertThat(identities(read)).as("records handed to the fold from the history, each once")
                .containsExactlyInAnyOrderElementsOf(history.genuine);
            assertThat(reader.rejected()).as("forged and unsigned records set aside").isEqualTo(history.forged);

            Written followed = write(props, topics, keys, 2);
            List<FoldInput> polled = new ArrayList<>();
            await().atMost(WAIT).until(() -> {
                polled.addAll(reader.poll(Duration.ofMillis(200)));
                return identities(polled).size() >= followed.genuine.size()
                    && reader.rejected() >= history.forged + followed.forged;
            });
            assertThat(identities(polled)).as("records handed to the fold while following, each once")
                .containsExactlyInAnyOrderElementsOf(followed.genuine);
            assertThat(reader.rejected()).isEqualTo(history.forged + followed.forged);
        }
    }

    /**
     * Every node's PROGRESSING and AVAILABLE reports and its network state, signed with its key; for every third node
     * also an AVAILABLE signed with the forger's key, for every fifth a network state signed with it, and for every
     * seventh an unsigned AVAILABLE.
     */
    private Written write(Properties props, Topics topics, Map<String, NodeKey> keys, long generation) {
        Written written = new Written();
        try (KafkaProducer<String, EnactmentEvent> enactments = KafkaClients.producer(props, topics.enactments(), "signed-it-reports");
             KafkaProducer<String, NodeNetworkState> states = KafkaClients.producer(props, topics.nodeStates(), "signed-it-states")) {
            for (int i = 0; i < NODES; i++) {
                String node = "worker-" + i;
                NodeKey key = keys.get(node);
                List<EnactmentEvent> reports = new ArrayList<>();
                for (EnactmentEvent report : List.of(events.enactment(node, POLICY, generation, PROGRESSING),
                         events.enactment(node, POLICY, generation, AVAILABLE))) {
                    reports.add(NodeSignatures.signed(report, key));
                    written.genuine.add(report.getEventId().toString());
                }
                if (i % 3 == 0) {
                    reports.add(NodeSignatures.signed(events.enactment(node, POLICY, generation, AVAILABLE), forger));
                    written.forged++;
                }
                if (i % 7 == 0) {
                    reports.add(events.enactment(node, POLICY, generation, AVAILABLE));
                    written.forged++;
                }
                reports.forEach(report -> enactments.send(new ProducerRecord<>(topics.enactments().name(),
                    Topics.enactmentKey(node, POLICY), report)));
                String state = "{\"generation\":" + generation + ",\"node\":\"" + node + "\"}";
                states.send(new ProducerRecord<>(topics.nodeStates().name(), node,
                    NodeSignatures.signed(events.nodeState(node, state), key)));
                written.genuine.add(state);
                if (i % 5 == 0) {
                    states.send(new ProducerRecord<>(topics.nodeStates().name(), node,
                        NodeSignatures.signed(events.nodeState(node, "{\"forged\":true}"), forger)));
                    written.forged++;
                }
            }
        }
        return written;
    }

    private static NodeEvent registration(String node) {
        return NodeEvent.newBuilder().setName(node).setLabels(Map.of()).setReady(true).setRemoved(false).setLastSeen(Instant.now()).build();
    }

    /** The enactments' event ids and the node states' texts among {@code inputs}, once for each time it was handed over. */
    private static List<String> identities(List<FoldInput> inputs) {
        List<String> out = new ArrayList<>();
        for (FoldInput input : inputs) {
            if (input.event() instanceof EnactmentEvent enactment) {
                out.add(enactment.getEventId().toString());
            } else if (input.event() instanceof NodeNetworkState state) {
                out.add(state.getCurrentState().toString());
            }
        }
        return out;
    }
}
