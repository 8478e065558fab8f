package io.nmstream.executor.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nmstream.common.config.Config;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.kafka.KafkaClients;
import io.nmstream.embedded.EmbeddedCluster;
import io.nmstream.embedded.junit.EmbeddedClusterExtension;
import io.nmstream.nmstate.NetworkState;
import io.nmstream.executor.nm.NetworkManagerBackend;
import io.nmstream.executor.sandbox.NetworkManagerSandbox;
import io.nmstream.executor.sandbox.NetworkManagerSandboxExtension;
import io.nmstream.executor.testing.Commands;
import io.nmstream.executor.testing.TopicRecords;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.DesiredStateCommand;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;
import io.nmstream.schemas.avro.NodeEvent;
import io.nmstream.schemas.avro.NodeNetworkState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** One node agent in this process, on a real NetworkManager and the real broker. */
@ExtendWith({EmbeddedClusterExtension.class, NetworkManagerSandboxExtension.class})
class NodeAgentNetworkManagerIT {

    @Test
    void bondOnAKernelWithoutBondingIsReportedFailingWithTheKernelsReasonAndTheHostUnchanged(EmbeddedCluster cluster,
                                                                                           NetworkManagerSandbox sandbox) throws Exception {
        String namespace = "nm-agent-" + UUID.randomUUID().toString().substring(0, 8);
        Topics topics = cluster.createTopics(namespace);
        ClusterSettings settings = new ClusterSettings(cluster.config().with(ClusterSettings.TOPIC_NAMESPACE.name(), namespace));
        NodeAgentSettings agentSettings = new NodeAgentSettings(Config.of(Map.of(NodeAgentSettings.NODE_NAME.name(), "nm-node",
            NodeAgentSettings.NODE_LABELS.name(), "rack=r7", NodeAgentSettings.STATE_DIR.name(), "")));
        try (NetworkManagerBackend nm = NetworkManagerBackend.connect(sandbox.busAddress());
             NetworkManagerBackend agentBackend = NetworkManagerBackend.connect(sandbox.busAddress());
             NodeAgent agent = new NodeAgent(settings, agentSettings, agentBackend).start();
             KafkaProducer<String, DesiredStateCommand> producer = KafkaClients.producer(settings.clientProperties(), topics.commands(),
                 "test");
             TopicRecords<EnactmentEvent> enactments = new TopicRecords<>(settings, topics.enactments());
             TopicRecords<NodeEvent> nodes = new TopicRecords<>(settings, topics.nodes());
             TopicRecords<NodeNetworkState> states = new TopicRecords<>(settings, topics.nodeStates())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> !nodes.values().isEmpty());
            NodeEvent registered = nodes.values().get(0);
            assertThat(registered.getName()).isEqualTo("nm-node");
            assertThat(registered.getLabels()).containsEntry("rack", "r7").containsEntry(NodeLabels.HOSTNAME, "nm-node")
                .containsEntry(NodeLabels.OS, "linux");
            assertThat(registered.getNetworkManagerVersion()).isEqualTo(nm.version()).startsWith("1.");
            await().atMost(Duration.ofSeconds(60)).until(() -> !states.values().isEmpty());
            assertThat(states.values().get(0).getNetworkManagerVersion()).as("the NNS's hostNetworkManagerVersion")
                .isEqualTo(registered.getNetworkManagerVersion());
            NetworkState before = nm.currentState();

            producer.send(new ProducerRecord<>(topics.commands().name(), "nm-node", Commands.apply("nm-node", "bonded", 1, """
                interfaces:
                - name: bond9
                  type: bond
                  link-aggregation: {mode: 802.3ad, port: [v1]}
                  ipv4: {enabled: true, address: [{ip: 198.18.1.9, prefix-length: 24}]}
                """))).get();

            await().atMost(Duration.ofSeconds(60)).until(() -> enactments.values().stream()
                .anyMatch(e -> e.getPhase() == EnactmentPhase.FAILING));
            List<EnactmentEvent> events = enactments.values();
            assertThat(events).extracting(EnactmentEvent::getPhase).containsExactly(EnactmentPhase.PROGRESSING, EnactmentPhase.FAILING);
            EnactmentEvent failing = events.get(1);
            assertThat(failing.getMessage()).startsWith("Interface bond9: activation failed").contains("Operation not supported");
            assertThat(failing.getErrorDetail()).contains("rolled back");
            assertThat(nm.currentState()).isEqualTo(before);
            assertThat(nm.checkpoints()).isEmpty();
            assertThat(sandbox.ip("link", "show")).doesNotContain("bond9");
        }
    }
}
