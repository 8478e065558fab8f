package io.nmstream.executor.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.kafka.KafkaClients;
import io.nmstream.embedded.EmbeddedCluster;
import io.nmstream.embedded.junit.EmbeddedClusterExtension;
import io.nmstream.executor.NodeExecutorMain;
import io.nmstream.nmstate.InterfaceSpec;
import io.nmstream.nmstate.NetworkState;
import io.nmstream.nmstate.NmstateParser;
import io.nmstream.executor.nm.NetworkManagerBackend;
import io.nmstream.executor.sandbox.NetworkManagerSandbox;
import io.nmstream.executor.sandbox.NetworkManagerSandboxExtension;
import io.nmstream.executor.testing.Commands;
import io.nmstream.executor.testing.TopicRecords;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.CommandKind;
import io.nmstream.schemas.avro.DesiredStateCommand;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;
import io.nmstream.schemas.avro.NodeNetworkState;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent as a separate process against a real NetworkManager and the real broker, killed with SIGKILL between
 * checkpoint and commit: the restarted agent must roll the half-applied host back before anything else, then apply the
 * command again and report it AVAILABLE.
 */
@ExtendWith({EmbeddedClusterExtension.class, NetworkManagerSandboxExtension.class})
class NodeAgentCrashRecoveryIT {

    private static final String NODE = "crash-node";
    private static final String DESIRED = """
        interfaces:
        - name: v9
          type: ethernet
          state: up
          mtu: 9000
          ipv4: {enabled: true, dhcp: false, address: [{ip: 198.18.0.9, prefix-length: 24}]}
        """;

    @TempDir
    Path dir;

    @Test
    void agentKilledBeforeCommitLeavesNoHalfAppliedHostAndTheRestartedAgentReportsAvailable(EmbeddedCluster cluster,
                                                                                           NetworkManagerSandbox sandbox) throws Exception {
        String namespace = "crash-" + UUID.randomUUID().toString().substring(0, 8);
        Topics topics = cluster.createTopics(namespace);
        ClusterSettings settings = new ClusterSettings(cluster.config().with(ClusterSettings.TOPIC_NAMESPACE.name(), namespace));
        Path marker = dir.resolve("paused-before-commit");
        try (NetworkManagerBackend nm = NetworkManagerBackend.connect(sandbox.busAddress());
             KafkaProducer<String, DesiredStateCommand> producer = KafkaClients.producer(settings.clientProperties(), topics.commands(),
                 "test");
             TopicRecords<EnactmentEvent> enactments = new TopicRecords<>(settings, topics.enactments());
             TopicRecords<NodeNetworkState> states = new TopicRecords<>(settings, topics.nodeStates())) {
            InterfaceSpec before = nm.currentState().find("v9").orElseThrow();

            Process first = startAgent(cluster, sandbox, namespace, marker, "first");
            DesiredStateCommand command = Commands.apply(NODE, "jumbo-v9", 1, DESIRED);
            producer.send(new ProducerRecord<>(topics.commands().name(), NODE, command)).get();
            await().atMost(Duration.ofSeconds(90)).until(() -> Files.exists(marker));
            assertThat(nm.checkpoints()).as("the apply is held between checkpoint and commit").hasSize(1);
            assertThat(nm.currentState().find("v9").orElseThrow().mtu()).isEqualTo(9000);
            int statesBeforeRestart = states.values().size();

            first.destroyForcibly();
            first.waitFor();

            Process second = startAgent(cluster, sandbox, namespace, null, "second");
            try {
                await().atMost(Duration.ofSeconds(90)).until(() -> enactments.values().stream()
                    .anyMatch(e -> e.getPhase() == EnactmentPhase.AVAILABLE));
                List<NodeNetworkState> published = states.values();
                NetworkState firstSeenByRestartedAgent = NmstateParser.parse(published.get(statesBeforeRestart).getCurrentState());
                assertThat(firstSeenByRestartedAgent.find("v9")).as("rolled back before anything else").contains(before);
                assertThat(enactments.values()).extracting(EnactmentEvent::getPhase)
                    .containsExactly(EnactmentPhase.PROGRESSING, EnactmentPhase.PROGRESSING, EnactmentPhase.AVAILABLE);
                assertThat(enactments.values()).allSatisfy(e -> assertThat(e.getCommandId()).isEqualTo(command.getCommandId()));
                assertThat(nm.currentState().find("v9").orElseThrow().mtu()).isEqualTo(9000);
                assertThat(sandbox.ip("addr", "show", "dev", "v9")).contains("inet 198.18.0.9/24");
                assertThat(nm.checkpoints()).isEmpty();
            } finally {
                second.destroy();
                second.waitFor();
            }
        }
    }

    @Test
    void networkManagerRollsBackByItselfWhenTheAgentDiesAndDoesNotComeBack(EmbeddedCluster cluster, NetworkManagerSandbox sandbox)
        throws Exception {
        String namespace = "dead-" + UUID.randomUUID().toString().substring(0, 8);
        Topics topics = cluster.createTopics(namespace);
        ClusterSettings settings = new ClusterSettings(cluster.config().with(ClusterSettings.TOPIC_NAMESPACE.name(), namespace));
        Path marker = dir.resolve("paused-before-commit");
        try (NetworkManagerBackend nm = NetworkManagerBackend.connect(sandbox.busAddress());
             KafkaProducer<String, DesiredStateCommand> producer = KafkaClients.producer(settings.clientProperties(), topics.commands(),
                 "test")) {
            NetworkState before = nm.currentState();
            Process agent = startAgent(cluster, sandbox, namespace, marker, "dead");
            producer.send(new ProducerRecord<>(topics.commands().name(), NODE, Commands.build(NODE, "jumbo-v11", 1,
                DESIRED.replace("v9", "v11").replace("198.18.0.9", "198.18.0.11"), CommandKind.APPLY, 5))).get();
            await().atMost(Duration.ofSeconds(90)).until(() -> Files.exists(marker));
            assertThat(nm.currentState().find("v11").orElseThrow().mtu()).isEqualTo(9000);

            agent.destroyForcibly();
            agent.waitFor();

            // the command asked for a 5 s checkpoint timeout
            await().atMost(Duration.ofSeconds(60)).until(() -> nm.checkpoints().isEmpty());
            // NetworkManager drops the checkpoint when its rollback starts; the device is deactivated, and its MTU restored,
            // a few milliseconds later, and its D-Bus properties follow after that: the host must be as before once
            // NetworkManager has finished, which takes far less than the checkpoint's own timeout
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(nm.currentState().find("v11")).isEqualTo(before.find("v11"));
                assertThat(sandbox.ip("addr", "show", "dev", "v11")).doesNotContain("198.18.0.11").doesNotContain("mtu 9000");
            });
        }
    }

    private Process startAgent(EmbeddedCluster cluster, NetworkManagerSandbox sandbox, String namespace, Path marker, String name)
        throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.nmstream.schemas.avro",
            "-cp", System.getProperty("java.class.path"), NodeExecutorMain.class.getName(),
            "--set", "kafka.bootstrap.servers=" + cluster.bootstrapServers(),
            "--set", "registry.url=" + cluster.registryUrl(),
            "--set", "topics.namespace=" + namespace,
            "--set", "node.name=" + NODE,
            "--set", "networkmanager.bus.address=" + sandbox.busAddress(),
            "--set", "agent.state.dir=" + dir.resolve("state"),
            "--set", "agent.verify.interval=200ms"));
        if (marker != null) {
            command.add("--set");
            command.add("agent.fault.pause-before-commit=" + marker);
        }
        File log = dir.resolve("agent-" + name + ".log").toFile();
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
    }
}
