package io.nmstream.executor.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nmstream.common.config.Config;
import io.nmstream.common.metrics.MetricsEndpoint;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.kafka.KafkaClients;
import io.nmstream.common.kafka.RejectedRecords;
import io.nmstream.embedded.EmbeddedCluster;
import io.nmstream.embedded.junit.EmbeddedClusterExtension;
import io.nmstream.embedded.junit.PoisonRecords;
import io.nmstream.embedded.junit.PoisonRecords.Poison;
import io.nmstream.nmstate.NetworkState;
import io.nmstream.executor.simulated.FailureRules;
import io.nmstream.executor.simulated.SimulatedBackend;
import io.nmstream.executor.testing.Commands;
import io.nmstream.executor.testing.TopicRecords;
import io.nmstream.schemas.DeadLetterHeaders;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.DesiredStateCommand;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;
import io.nmstream.schemas.avro.NodeEvent;
import io.nmstream.schemas.avro.NodeNetworkState;
import io.nmstream.schemas.contract.ContractViolation.Rule;
import io.nmstream.schemas.identity.NodeSignatures;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Single node agents (the same class a host runs) against the real embedded broker, on simulated hosts. */
@ExtendWith(EmbeddedClusterExtension.class)
class NodeAgentIT {

    private final EmbeddedCluster cluster;
    private final ClusterSettings settings;
    private final Topics topics;

    NodeAgentIT(EmbeddedCluster cluster) {
        this.cluster = cluster;
        String namespace = "agent-" + UUID.randomUUID().toString().substring(0, 8);
        this.topics = cluster.createTopics(namespace);
        this.settings = new ClusterSettings(cluster.config().with(ClusterSettings.TOPIC_NAMESPACE.name(), namespace));
    }

    @Test
    void agentComputesThePartitionTheProducerPicksForItsNode() throws Exception {
        int partitions = settings.config().get(ClusterSettings.TOPIC_PARTITIONS);
        try (KafkaProducer<String, DesiredStateCommand> producer = KafkaClients.producer(settings.clientProperties(), topics.commands(),
            "test")) {
            for (String node : new String[] {"worker-1", "worker-2", "edge-17.example.com", "ñode"}) {
                RecordMetadata sent = producer.send(new ProducerRecord<>(topics.commands().name(), node,
                    Commands.apply(node, "p", 1, "interfaces: []"))).get();
                assertThat(NodePartitioner.partitionFor(node, topics.commands(), partitions)).as(node).isEqualTo(sent.partition());
            }
        }
    }

    @Test
    void eachAgentAppliesOnlyCommandsKeyedByItsNode() throws Exception {
        SimulatedBackend hostA = new SimulatedBackend(SimulatedBackend.typicalHost(1), Duration.ZERO, FailureRules.none());
        SimulatedBackend hostB = new SimulatedBackend(SimulatedBackend.typicalHost(2), Duration.ZERO, FailureRules.none());
        NetworkState beforeB = hostB.currentState();
        try (NodeAgent a = new NodeAgent(settings, agentSettings("node-a"), hostA).start();
             NodeAgent b = new NodeAgent(settings, agentSettings("node-b"), hostB).start();
             KafkaProducer<String, DesiredStateCommand> producer = KafkaClients.producer(settings.clientProperties(), topics.commands(),
                 "test");
             TopicRecords<EnactmentEvent> enactments = new TopicRecords<>(settings, topics.enactments())) {
            producer.send(new ProducerRecord<>(topics.commands().name(), "node-a",
                Commands.apply("node-a", "jumbo", 1, "interfaces: [{name: ens8f0np0, state: up, mtu: 9000}]"))).get();
            await().atMost(Duration.ofSeconds(60)).until(() -> enactments.values().stream()
                .anyMatch(e -> e.getNode().equals("node-a") && e.getPhase() == EnactmentPhase.AVAILABLE));
            assertThat(hostA.currentState().find("ens8f0np0").orElseThrow().mtu()).isEqualTo(9000);
            assertThat(enactments.values()).allSatisfy(e -> assertThat(e.getNode()).isEqualTo("node-a"));
            assertThat(hostB.currentState()).isEqualTo(beforeB);
        }
    }

    @Test
    void theReportThatFinishesAnApplyAndTheStateItLeftCarryOneSignatureThatVerifiesForEach() throws Exception {
        SimulatedBackend host = new SimulatedBackend(SimulatedBackend.typicalHost(1), Duration.ZERO, FailureRules.none());
        try (NodeAgent agent = new NodeAgent(settings, agentSettings("node-s"), host).start();
             KafkaProducer<String, DesiredStateCommand> producer = KafkaClients.producer(settings.clientProperties(), topics.commands(),
                 "test");
             TopicRecords<NodeEvent> nodes = new TopicRecords<>(settings, topics.nodes());
             TopicRecords<EnactmentEvent> enactments = new TopicRecords<>(settings, topics.enactments());
             TopicRecords<NodeNetworkState> states = new TopicRecords<>(settings, topics.nodeStates())) {
            producer.send(new ProducerRecord<>(topics.commands().name(), "node-s",
                Commands.apply("node-s", "jumbo", 1, "interfaces: [{name: ens8f0np0, state: up, mtu: 9000}]"))).get();
            await().atMost(Duration.ofSeconds(60)).until(() -> states.values().size() == 2 && enactments.values().stream()
                .anyMatch(e -> e.getPhase() == EnactmentPhase.AVAILABLE));
            List<String> key = List.of(nodes.values().get(0).getPublicKey());
            EnactmentEvent progressing = enactments.values().get(0);
            EnactmentEvent available = enactments.values().get(1);
            NodeNetworkState before = states.values().get(0);
            NodeNetworkState after = states.values().get(1);

            assertThat(after.getCurrentState()).as("the state the apply left").contains("9000");
            assertThat(after.getSignature()).as("signed with its report").isEqualTo(available.getSignature());
            assertThat(available.getSignedWithState()).isNotNull();
            assertThat(after.getSignedWithEnactment()).isNotNull();
            assertThat(NodeSignatures.verifies(after, key)).isTrue();
            assertThat(NodeSignatures.verifies(available, key)).isTrue();
            assertThat(progressing.getSignedWithState()).as("a report that changed nothing yet, signed alone").isNull();
            assertThat(NodeSignatures.verifies(progressing, key)).isTrue();
            assertThat(before.getSignedWithEnactment()).as("the state at start, signed alone").isNull();
            assertThat(NodeSignatures.verifies(before, key)).isTrue();
        }
    }

    @Test
    void servesApplyLatencyByOutcomeAndItsKafkaClientMetricsOnThePrometheusEndpoint() throws Exception {
        SimulatedBackend host = new SimulatedBackend(SimulatedBackend.typicalHost(1), Duration.ZERO, FailureRules.none());
        try (MetricsEndpoint metrics = MetricsEndpoint.start(0);
             NodeAgent agent = new NodeAgent(settings, agentSettings("node-m"), host, metrics.registry()).start();
             KafkaProducer<String, DesiredStateCommand> producer = KafkaClients.producer(settings.clientProperties(), topics.commands(),
                 "test");
             TopicRecords<EnactmentEvent> enactments = new TopicRecords<>(settings, topics.enactments())) {
            producer.send(new ProducerRecord<>(topics.commands().name(), "node-m",
                Commands.apply("node-m", "jumbo", 1, "interfaces: [{name: ens8f0np0, state: up, mtu: 9000}]"))).get();
            await().atMost(Duration.ofSeconds(60)).until(() -> enactments.values().stream()
                .anyMatch(e -> e.getNode().equals("node-m") && e.getPhase() == EnactmentPhase.AVAILABLE));

            HttpResponse<String> scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + metrics.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.body()).containsPattern("nmstream_apply_duration_seconds_count\\{outcome=\"applied\",?} 1")
                .contains("nmstream_apply_duration_seconds_bucket").contains("kafka_consumer_").contains("kafka_producer_");
        }
    }

    @Test
    void skipsACommandItCannotReadOrThatBreaksTheContractAndAppliesTheNextOne(@TempDir Path stateDir) throws Exception {
        SimulatedBackend host = new SimulatedBackend(SimulatedBackend.typicalHost(1), Duration.ZERO, FailureRules.none());
        NodeAgentSettings agentSettings = new NodeAgentSettings(Config.of(Map.of(NodeAgentSettings.NODE_NAME.name(), "node-p",
            NodeAgentSettings.STATE_DIR.name(), stateDir.toString())));
        DesiredStateCommand wrongDigest = DesiredStateCommand.newBuilder(Commands.apply("node-p", "poisoned", 1,
            "interfaces: [{name: ens8f0np0, state: up, mtu: 1400}]")).setDesiredStateDigest("d1").build();
        byte[] garbage = "not a command at all".getBytes(StandardCharsets.UTF_8);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (NodeAgent agent = new NodeAgent(settings, agentSettings, host, meters).start();
             KafkaProducer<String, DesiredStateCommand> producer = KafkaClients.producer(settings.clientProperties(), topics.commands(),
                 "test");
             TopicRecords<EnactmentEvent> enactments = new TopicRecords<>(settings, topics.enactments())) {
            PoisonRecords.send(cluster, topics.commands(), List.of(new Poison("node-p", garbage, RejectedRecords.UNDECODABLE),
                new Poison("node-p", topics.commands().valueSerde().serializer().serialize(topics.commands().name(), wrongDigest),
                    Rule.DIGEST.tag())));
            producer.send(new ProducerRecord<>(topics.commands().name(), "node-p",
                Commands.apply("node-p", "after-poison", 1, "interfaces: [{name: ens8f0np0, state: up, mtu: 9000}]"))).get();

            await().atMost(Duration.ofSeconds(60)).until(() -> enactments.values().stream()
                .anyMatch(e -> e.getNode().equals("node-p") && e.getPhase() == EnactmentPhase.AVAILABLE));
            assertThat(host.currentState().find("ens8f0np0").orElseThrow().mtu()).isEqualTo(9000);
            assertThat(enactments.values()).extracting(EnactmentEvent::getPolicy).containsOnly("after-poison");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(PoisonRecords.deadLetters(cluster, topics))
                .extracting(letter -> new String(letter.headers().lastHeader(DeadLetterHeaders.REASON).value(), StandardCharsets.UTF_8))
                .hasSize(2).anySatisfy(reason -> assertThat(reason).contains("field desiredStateDigest has value 'd1'")));
            assertThat(meters.get(RejectedRecords.METRIC).tags("topic", topics.commands().name(), "reason",
                RejectedRecords.UNDECODABLE).counter().count()).isEqualTo(1);
        }
    }

    private static NodeAgentSettings agentSettings(String node) {
        return new NodeAgentSettings(Config.of(Map.of(NodeAgentSettings.NODE_NAME.name(), node, NodeAgentSettings.STATE_DIR.name(), "",
            NodeAgentSettings.NODE_LABELS.name(), "role=worker")));
    }
}
