package io.nmstream.executor.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nmstream.common.config.Config;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.kafka.KafkaClients;
import io.nmstream.common.kafka.RejectedRecords;
import io.nmstream.embedded.EmbeddedCluster;
import io.nmstream.embedded.junit.EmbeddedClusterExtension;
import io.nmstream.embedded.junit.PoisonRecords;
import io.nmstream.embedded.junit.PoisonRecords.Poison;
import io.nmstream.executor.agent.NodeAgentSettings;
import io.nmstream.executor.agent.NodeLabels;
import io.nmstream.nmstate.NetworkState;
import io.nmstream.nmstate.NmstateParser;
import io.nmstream.executor.testing.Commands;
import io.nmstream.executor.testing.TopicRecords;
import io.nmstream.schemas.DeadLetterHeaders;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.DesiredStateCommand;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;
import io.nmstream.schemas.avro.NodeEvent;
import io.nmstream.schemas.avro.NodeNetworkState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Simulated agents against the real embedded broker and registry, each test on its own topics. */
@ExtendWith(EmbeddedClusterExtension.class)
class SimulatedFleetIT {

    private static final String JUMBO = """
        interfaces:
        - name: ens8f0np0
          type: ethernet
          state: up
          mtu: 9000
          ipv4: {enabled: true, dhcp: false, address: [{ip: 10.10.1.50, prefix-length: 24}]}
        """;

    private final EmbeddedCluster cluster;
    private final ClusterSettings settings;
    private final Topics topics;
    private final KafkaProducer<String, DesiredStateCommand> commands;
    private SimulatedFleet fleet;

    SimulatedFleetIT(EmbeddedCluster cluster) {
        this.cluster = cluster;
        String namespace = "fleet-" + UUID.randomUUID().toString().substring(0, 8);
        this.topics = cluster.createTopics(namespace);
        this.settings = new ClusterSettings(cluster.config().with(ClusterSettings.TOPIC_NAMESPACE.name(), namespace));
        this.commands = KafkaClients.producer(settings.clientProperties(), topics.commands(), "test-reconciler");
    }

    @AfterEach
    void stop() {
        if (fleet != null) {
            fleet.close();
        }
        commands.close();
    }

    private SimulatedFleet start(int nodes, FailureRules rules) {
        NodeAgentSettings agent = new NodeAgentSettings(Config.of(Map.of(NodeAgentSettings.STATE_DIR.name(), "",
            NodeAgentSettings.BACKOFF_INITIAL.name(), "10ms", NodeAgentSettings.BACKOFF_MAX.name(), "40ms",
            NodeAgentSettings.APPLY_ATTEMPTS.name(), "3", NodeAgentSettings.VERIFY_INTERVAL.name(), "10ms",
            NodeAgentSettings.STATE_INTERVAL.name(), "200ms")));
        fleet = SimulatedFleet.start(settings, new SimulatedFleet.Options(nodes, "sim-", Map.of("rack", "r1"), rules, Duration.ofMillis(20),
            agent));
        return fleet;
    }

    private void send(DesiredStateCommand command) throws ExecutionException, InterruptedException {
        commands.send(new ProducerRecord<>(topics.commands().name(), command.getNode(), command)).get();
    }

    private static List<EnactmentPhase> phases(List<EnactmentEvent> events, String node, String policy) {
        return events.stream().filter(e -> e.getNode().equals(node) && e.getPolicy().equals(policy)).map(EnactmentEvent::getPhase).toList();
    }

    @Test
    void eachNodeAppliesOnlyItsOwnCommandsAndReportsProgressingThenAvailable() throws Exception {
        start(3, FailureRules.none());
        NetworkState untouched = fleet.host("sim-0003").currentState();
        DesiredStateCommand command = Commands.apply("sim-0001", "jumbo", 1, JUMBO);
        send(command);
        send(Commands.apply("not-in-this-fleet", "jumbo", 1, JUMBO));

        try (TopicRecords<EnactmentEvent> enactments = new TopicRecords<>(settings, topics.enactments())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> phases(enactments.values(), "sim-0001", "jumbo")
                .contains(EnactmentPhase.AVAILABLE));
            List<EnactmentEvent> events = enactments.values();
            assertThat(phases(events, "sim-0001", "jumbo")).containsExactly(EnactmentPhase.PROGRESSING, EnactmentPhase.AVAILABLE);
            assertThat(events).allSatisfy(e -> {
                assertThat(e.getCommandId()).isEqualTo(command.getCommandId());
                assertThat(e.getDesiredStateDigest()).isEqualTo(command.getDesiredStateDigest());
            });
            assertThat(enactments.records()).allSatisfy(r -> assertThat(r.key()).isEqualTo(Topics.enactmentKey("sim-0001", "jumbo")));
        }
        assertThat(fleet.host("sim-0001").currentState().find("ens8f0np0").orElseThrow().mtu()).isEqualTo(9000);
        assertThat(fleet.host("sim-0003").currentState()).isEqualTo(untouched);
    }

    @Test
    void commandsTheFleetCannotReadAreDeadLettersAndTheNextCommandIsStillApplied() throws Exception {
        start(2, FailureRules.none());
        List<Poison> poison = PoisonRecords.policies(topics).stream().filter(p -> p.reason().equals(RejectedRecords.UNDECODABLE))
            .map(p -> new Poison("sim-0001", p.value(), p.reason())).toList();
        PoisonRecords.send(cluster, topics.commands(), poison);
        // decodes, but filed under another node's key: sim-0002 must not apply sim-0001's command
        commands.send(new ProducerRecord<>(topics.commands().name(), "sim-0002", Commands.apply("sim-0001", "stray", 1, JUMBO))).get();
        DesiredStateCommand command = Commands.apply("sim-0001", "jumbo", 1, JUMBO);
        send(command);

        try (TopicRecords<EnactmentEvent> enactments = new TopicRecords<>(settings, topics.enactments())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> phases(enactments.values(), "sim-0001", "jumbo")
                .contains(EnactmentPhase.AVAILABLE));
            assertThat(enactments.values()).noneMatch(e -> e.getPolicy().equals("stray"));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> PoisonRecords.deadLetters(cluster, topics).size() == 3);
        assertThat(PoisonRecords.deadLetters(cluster, topics)).extracting(letter -> new String(
                letter.headers().lastHeader(DeadLetterHeaders.REASON).value(), StandardCharsets.UTF_8))
            .anySatisfy(reason -> assertThat(reason).contains("names schema id"))
            .anySatisfy(reason -> assertThat(reason).contains("Command keyed 'sim-0002': field node has value 'sim-0001'"));
        assertThat(fleet.host("sim-0002").currentState().find("ens8f0np0").orElseThrow().mtu()).isNotEqualTo(9000);
    }

    @Test
    void mtuAboveTheDriverLimitIsRetriedWithBackoffThenReportedFailingInTheUsersTerms() throws Exception {
        start(1, FailureRules.none().withMaxMtu("ens8f0np0", 1500));
        NetworkState before = fleet.host("sim-0001").currentState();
        send(Commands.apply("sim-0001", "jumbo", 1, JUMBO));
        try (TopicRecords<EnactmentEvent> enactments = new TopicRecords<>(settings, topics.enactments())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> phases(enactments.values(), "sim-0001", "jumbo")
                .contains(EnactmentPhase.FAILING));
            List<EnactmentEvent> events = enactments.values();
            assertThat(phases(events, "sim-0001", "jumbo")).containsExactly(EnactmentPhase.PROGRESSING, EnactmentPhase.RETRYING,
                EnactmentPhase.RETRYING, EnactmentPhase.FAILING);
            EnactmentEvent failing = events.get(events.size() - 1);
            assertThat(failing.getMessage()).isEqualTo("Interface ens8f0np0: MTU 9000 exceeds the maximum supported by the driver");
            assertThat(failing.getAttempt()).isEqualTo(3);
            assertThat(failing.getReason()).isEqualTo("FailedToConfigure");
            assertThat(events.get(1).getAttempt()).isEqualTo(1);
            assertThat(events.get(2).getAttempt()).isEqualTo(2);
        }
        assertThat(fleet.host("sim-0001").currentState()).isEqualTo(before);
        assertThat(fleet.host("sim-0001").checkpoints()).isEmpty();
    }

    @Test
    void sameGenerationAgainIsAnsweredWithoutReapplyingAndAnOlderGenerationIsSkipped() throws Exception {
        start(1, FailureRules.none());
        DesiredStateCommand second = Commands.apply("sim-0001", "jumbo", 2, JUMBO);
        send(second);
        send(Commands.apply("sim-0001", "jumbo", 2, JUMBO));
        send(Commands.apply("sim-0001", "jumbo", 1, JUMBO.replace("9000", "4000")));
        try (TopicRecords<EnactmentEvent> enactments = new TopicRecords<>(settings, topics.enactments())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> phases(enactments.values(), "sim-0001", "jumbo")
                .contains(EnactmentPhase.ABORTED));
            List<EnactmentEvent> events = enactments.values();
            assertThat(phases(events, "sim-0001", "jumbo")).containsExactly(EnactmentPhase.PROGRESSING, EnactmentPhase.AVAILABLE,
                EnactmentPhase.AVAILABLE, EnactmentPhase.ABORTED);
            assertThat(events.get(2).getMessage()).isEqualTo("Already applied; verified without changes");
            assertThat(events.get(2).getAttempt()).as("no attempt was made").isZero();
            assertThat(events.get(3).getReason()).isEqualTo("StaleGeneration");
            assertThat(events.get(3).getGeneration()).isEqualTo(1);
        }
        assertThat(fleet.host("sim-0001").currentState().find("ens8f0np0").orElseThrow().mtu()).isEqualTo(9000);
    }

    @Test
    void everyNodeIsRegisteredAndHasPublishedItsStateWhenStartReturns() throws Exception {
        start(500, FailureRules.none());

        // no waiting: start() returned, so every registration and first state is already acknowledged
        assertThat(recordsWritten(topics.nodes().name())).isEqualTo(500);
        assertThat(recordsWritten(topics.nodeStates().name())).isEqualTo(500);
        try (TopicRecords<NodeEvent> nodes = new TopicRecords<>(settings, topics.nodes())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> nodes.values().size() == 500);
            assertThat(nodes.values().stream().map(NodeEvent::getName)).containsExactlyInAnyOrderElementsOf(fleet.nodes());
        }
    }

    private long recordsWritten(String topic) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(settings.clientProperties(), new StringDeserializer(),
            new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition()))
                .toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    @Test
    void nodesRegisterWithTheirLabelsAndPublishTheirStateOnlyWhenItChanges() throws Exception {
        start(2, FailureRules.none());
        try (TopicRecords<NodeEvent> nodes = new TopicRecords<>(settings, topics.nodes());
             TopicRecords<NodeNetworkState> states = new TopicRecords<>(settings, topics.nodeStates())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> nodes.values().size() == 2);
            assertThat(nodes.values()).allSatisfy(n -> {
                assertThat(n.getLabels()).containsEntry("rack", "r1").containsEntry(NodeLabels.HOSTNAME, n.getName())
                    .containsEntry(NodeLabels.OS, "linux");
                assertThat(n.getNetworkManagerVersion()).isEqualTo("simulated");
            });
            send(Commands.apply("sim-0001", "jumbo", 1, JUMBO));
            await().atMost(Duration.ofSeconds(30)).until(() -> states.values().stream().filter(s -> s.getNode().equals("sim-0001"))
                .anyMatch(s -> NmstateParser.parse(s.getCurrentState()).find("ens8f0np0").orElseThrow().mtu() == 9000));
            // several 200 ms state checks pass; an unchanged node sends nothing more
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() ->
                states.values().stream().filter(s -> s.getNode().equals("sim-0002")).count() == 1
                    && states.values().stream().filter(s -> s.getNode().equals("sim-0001")).count() == 2);
            NodeNetworkState latest = states.values().stream().filter(s -> s.getNode().equals("sim-0001"))
                .reduce((a, b) -> b).orElseThrow();
            assertThat(NmstateParser.parse(latest.getCurrentState())).isEqualTo(fleet.host("sim-0001").currentState());
        }
    }
}
