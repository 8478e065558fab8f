package io.nmstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nmstream.common.config.Config;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.kafka.KafkaClients;
import io.nmstream.embedded.LoopbackPorts;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nmstream up} killed with SIGKILL in the middle of a {@code maxUnavailable: 10%} rollout over 200 simulated
 * nodes, together with its broker (nothing gets to shut down cleanly), and started again on the same data directory:
 * the rollout finishes, every node with one result for the generation, never more than the limit applying at once
 * across the crash, no node blamed for the control plane's downtime, and a replay that matches. The killed process
 * leaves no copy of RocksDB's native library in its {@code java.io.tmpdir}; the one in the data directory goes at the
 * restart.
 */
class UpCrashRecoveryIT {

    private static final int NODES = 200;
    private static final int LIMIT = 20;
    private static final String POLICY_NAME = "worker-mtu";
    private static final String POLICY = """
        apiVersion: nmstate.io/v1
        kind: NodeNetworkConfigurationPolicy
        metadata:
          name: worker-mtu
        spec:
          nodeSelector:
            node-role.kubernetes.io/worker: ""
          maxUnavailable: 10%
          desiredState:
            interfaces:
              - name: ens8f0np0
                type: ethernet
                state: up
                mtu: 9000
        """;

    private final int kafkaPort = LoopbackPorts.free();
    private final int registryPort = LoopbackPorts.free();
    private final int httpPort = LoopbackPorts.free();

    @Test
    void aRolloutKilledMidwayFinishesAfterARestartWithinMaxUnavailable(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        Path manifest = Files.writeString(dir.resolve("worker-mtu.yaml"), POLICY);
        Path tmp = Files.createDirectories(dir.resolve("tmp"));

        Process up = startUp(dir.resolve("first.txt"), data, tmp);
        int availableAtKill;
        try {
            NmstreamJar.Run apply = nmstream(dir.resolve("apply"), "policy", "apply", "-f", manifest.toString());
            assertThat(apply.exitCode()).as(apply.stdout()).isZero();
            try (EnactmentLog log = new EnactmentLog()) {
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
                    .until(() -> available(log.poll()) >= NODES / 5);
                killWithItsBroker(up);
                availableAtKill = available(log.poll());
            }
        } finally {
            killWithItsBroker(up);
        }
        assertThat(availableAtKill).as("killed mid-rollout").isLessThan(NODES);
        Path copies = data.resolve("streams").resolve("native");
        assertThat(rocksDbLibraries(tmp)).as("RocksDB's native library left in java.io.tmpdir by the killed process").isEmpty();
        assertThat(rocksDbLibraries(copies.resolve(Long.toString(up.pid())))).as("the killed process's copy of it").hasSize(1);

        Instant restarted = Instant.now();
        Process again = startUp(dir.resolve("second.txt"), data, tmp);
        try {
            assertThat(rocksDbLibraries(tmp)).isEmpty();
            try (Stream<Path> directories = Files.list(copies)) {
                assertThat(directories.map(p -> p.getFileName().toString())).as("the killed process's copy is gone")
                    .containsExactly(Long.toString(again.pid()));
            }
            List<EnactmentEvent> events;
            try (EnactmentLog log = new EnactmentLog()) {
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                    .until(() -> available(log.poll()) == NODES);
                System.out.printf("Killed with %d/%d nodes available; %s from the restart to %d/%d%n", availableAtKill, NODES,
                    Duration.between(restarted, Instant.now()), NODES, NODES);
                events = log.poll().stream().map(ConsumerRecord::value).toList();
            }

            assertThat(RolloutLog.maxApplyingAtOnce(events)).as("nodes applying at once, across the crash").isLessThanOrEqualTo(LIMIT);
            assertThat(events).as("the control plane's downtime is no node's failure")
                .noneMatch(e -> e.getPhase() == EnactmentPhase.FAILING || e.getPhase() == EnactmentPhase.ABORTED);
            Set<String> nodes = IntStream.range(0, NODES).mapToObj(i -> "worker-" + i).collect(Collectors.toSet());
            int ledgerAnswers = RolloutLog.assertOneFinalResultPerNode(events, POLICY_NAME, 1, nodes);
            System.out.printf("%d of %d results were answered again from a node's ledger after the restart%n", ledgerAnswers, NODES);

            NmstreamJar.Run nncp = nmstream(dir.resolve("get"), "get", "nncp", "-o", "wide");
            assertThat(nncp.stdout()).containsPattern(POLICY_NAME + "\\s+Available\\s+SuccessfullyConfigured\\s+1\\s+200/200 nodes");
            NmstreamJar.Run replay = nmstream(dir.resolve("replay"), "replay");
            assertThat(replay.stdout()).contains("match:      yes");
            assertThat(replay.exitCode()).isZero();
        } finally {
            stop(again);
        }
    }

    /** Nodes whose latest event is AVAILABLE. */
    private static int available(List<ConsumerRecord<String, EnactmentEvent>> records) {
        return (int) latestPhases(records).values().stream().filter(p -> p == EnactmentPhase.AVAILABLE).count();
    }

    /** Each node's latest phase (a node's events are in one partition, in order). */
    private static Map<String, EnactmentPhase> latestPhases(List<?> eventsOrRecords) {
        Map<String, EnactmentPhase> latest = new LinkedHashMap<>();
        for (Object item : eventsOrRecords) {
            EnactmentEvent event = item instanceof ConsumerRecord<?, ?> record ? (EnactmentEvent) record.value() : (EnactmentEvent) item;
            latest.put(event.getNode(), event.getPhase());
        }
        return latest;
    }

    /** The copies of RocksDB's native library in {@code dir}. */
    private static List<String> rocksDbLibraries(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(name -> name.startsWith("librocksdbjni")).toList();
        }
    }

    /** Starts nmstream up on {@code data}, with {@code tmp} as its java.io.tmpdir. */
    private Process startUp(Path stdout, Path data, Path tmp) throws IOException {
        Process up = NmstreamJar.start(stdout, Map.of("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + tmp), "up", "--data-dir",
            data.toString(), "--kafka-port", String.valueOf(kafkaPort), "--registry-port", String.valueOf(registryPort), "--http-port",
            String.valueOf(httpPort), "--simulated-nodes", String.valueOf(NODES), "--simulated-apply-latency", "PT1S",
            "--command-timeout", "PT2M");
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
            .until(() -> !up.isAlive() || Files.readString(stdout, StandardCharsets.UTF_8).contains("nmstream is up"));
        if (!up.isAlive()) {
            throw new AssertionError("nmstream up exited with " + up.exitValue() + "; its output:\n" + NmstreamJar.tail(stdout, 40)
                + "\nits log:\n" + NmstreamJar.tail(Path.of(stdout + ".log"), 80)
                + "\nits broker's log:\n" + NmstreamJar.tail(data.resolve("kafka").resolve("broker.log"), 40));
        }
        return up;
    }

    private NmstreamJar.Run nmstream(Path dir, String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap-servers", "127.0.0.1:" + kafkaPort, "--registry-url", "http://127.0.0.1:" + registryPort));
        return NmstreamJar.run(Files.createDirectories(dir), 180, all.toArray(String[]::new));
    }

    /** SIGKILL to nmstream up and to its broker: the whole all-in-one dies at once, as in a power cut. */
    private static void killWithItsBroker(Process up) throws InterruptedException {
        List<ProcessHandle> all = Stream.concat(Stream.of(up.toHandle()), up.toHandle().descendants()).toList();
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle process : all) {
            process.onExit().orTimeout(30, TimeUnit.SECONDS).join();
        }
    }

    /** Ctrl-C, as an operator stops it. */
    private static void stop(Process up) throws InterruptedException {
        up.destroy();
        if (!up.waitFor(90, TimeUnit.SECONDS)) {
            killWithItsBroker(up);
        }
    }

    /** The enactment log of the running all-in-one, read from the beginning. */
    private final class EnactmentLog implements AutoCloseable {

        private final KafkaConsumer<String, EnactmentEvent> consumer;
        private final List<ConsumerRecord<String, EnactmentEvent>> records = new ArrayList<>();

        EnactmentLog() {
            ClusterSettings cluster = new ClusterSettings(Config.of(Map.of(
                ClusterSettings.BOOTSTRAP_SERVERS.name(), "127.0.0.1:" + kafkaPort,
                ClusterSettings.REGISTRY_URL.name(), "http://127.0.0.1:" + registryPort)));
            Topics topics = cluster.topics(cluster.registryClient());
            consumer = KafkaClients.consumer(cluster.clientProperties(), topics.enactments(), null, "up-crash-recovery-it");
            List<TopicPartition> partitions = consumer.partitionsFor(topics.enactments().name()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        /** Every record so far, after reading what is new. */
        List<ConsumerRecord<String, EnactmentEvent>> poll() {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            return List.copyOf(records);
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
