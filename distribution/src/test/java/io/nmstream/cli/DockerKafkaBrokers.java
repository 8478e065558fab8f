package io.nmstream.cli;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import io.nmstream.embedded.LoopbackPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.lifecycle.Startables;

/**
 * Three {@code apache/kafka} containers in one KRaft quorum (each a combined broker and controller), for the
 * {@code docker-kafka} profile: the same cluster shape as the embedded quorum, run by Docker. Compiled only in that
 * profile, which adds Testcontainers; found by name from {@link KafkaBrokers}.
 */
final class DockerKafkaBrokers implements KafkaBrokers {

    private static final String IMAGE = "apache/kafka:4.1.0";
    private static final int CLIENT_PORT = 9092;

    private final Network network;
    private final List<GenericContainer<?>> nodes = new ArrayList<>();
    private final List<Integer> hostPorts = new ArrayList<>();

    DockerKafkaBrokers(int size, Path logDir) {
        // without Docker the test is skipped, not failed: the embedded brokers run the same test in every build
        Assumptions.assumeTrue(DockerClientFactory.instance().isDockerAvailable(),
            "Docker is not available; the docker-kafka profile runs this test on apache/kafka containers only with Docker");
        network = Network.newNetwork();
        String voters = IntStream.rangeClosed(1, size).mapToObj(i -> i + "@kafka-" + i + ":9093").collect(Collectors.joining(","));
        String clusterId = org.apache.kafka.common.Uuid.randomUuid().toString();
        for (int id = 1; id <= size; id++) {
            int hostPort = LoopbackPorts.free();
            hostPorts.add(hostPort);
            Path log = logDir.resolve("broker-docker-" + id + ".log");
            @SuppressWarnings("resource") // closed in close()
            GenericContainer<?> node = new GenericContainer<>(IMAGE)
                .withNetwork(network)
                .withNetworkAliases("kafka-" + id)
                .withExposedPorts(CLIENT_PORT)
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withPortBindings(
                    new PortBinding(Ports.Binding.bindPort(hostPort), new ExposedPort(CLIENT_PORT))))
                .withEnv("CLUSTER_ID", clusterId)
                .withEnv("KAFKA_NODE_ID", Integer.toString(id))
                .withEnv("KAFKA_PROCESS_ROLES", "broker,controller")
                .withEnv("KAFKA_CONTROLLER_QUORUM_VOTERS", voters)
                .withEnv("KAFKA_LISTENERS", "EXTERNAL://0.0.0.0:9092,INTERNAL://0.0.0.0:19092,CONTROLLER://0.0.0.0:9093")
                .withEnv("KAFKA_ADVERTISED_LISTENERS", "EXTERNAL://127.0.0.1:" + hostPort + ",INTERNAL://kafka-" + id + ":19092")
                .withEnv("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", "EXTERNAL:PLAINTEXT,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT")
                .withEnv("KAFKA_INTER_BROKER_LISTENER_NAME", "INTERNAL")
                .withEnv("KAFKA_CONTROLLER_LISTENER_NAMES", "CONTROLLER")
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
                .withEnv("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "3")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "3")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "2")
                .withEnv("KAFKA_DEFAULT_REPLICATION_FACTOR", "3")
                .withEnv("KAFKA_MIN_INSYNC_REPLICAS", "2")
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                .withLogConsumer(frame -> append(log, frame.getUtf8String()))
                .waitingFor(Wait.forLogMessage(".*Kafka Server started.*", 1));
            nodes.add(node);
        }
        Startables.deepStart(nodes).join();
    }

    private static void append(Path log, String text) {
        try {
            Files.writeString(log, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String bootstrapServers() {
        return hostPorts.stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
    }

    @Override
    public String kill(int nodeId) {
        GenericContainer<?> victim = nodes.get(nodeId - 1);
        DockerClientFactory.instance().client().killContainerCmd(victim.getContainerId()).withSignal("KILL").exec();
        return "container kafka-" + nodeId + " (127.0.0.1:" + hostPorts.get(nodeId - 1) + ")";
    }

    @Override
    public void close() {
        nodes.forEach(GenericContainer::stop);
        network.close();
    }
}
