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
import io.nmstream.schemas.avro.PolicyEvent;
import io.nmstream.schemas.avro.ResourceKind;
import io.nmstream.schemas.avro.ResourceStatus;
import io.nmstream.schemas.avro.StatusCondition;
import io.nmstream.status.EventLog;
import io.nmstream.status.Events;
import io.nmstream.status.cli.ReplayCommand;
import io.nmstream.status.fold.StatusKey;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/**
 * {@code replay} compares the rebuilt status with the live projection at the input positions the live projection was
 * folded up to, so it matches on every healthy run: after poison records, after the projector was killed mid-fold, and
 * while records keep arriving; and a status that is wrong in the status topic is reported with both values.
 */
@ExtendWith(EmbeddedClusterExtension.class)
class ReplayIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String POLICY = "br1";

    private final EmbeddedCluster cluster;
    private final Events events = new Events();

    ReplayIT(EmbeddedCluster cluster) {
        this.cluster = cluster;
    }

    @Test
    void replayMatchesAfterGarbageAndContractBreakingRecordsInThePolicyAndEnactmentTopics() throws Exception {
        Topics topics = cluster.createTopics("replay-it-" + UUID.randomUUID());
        Properties props = cluster.settings().clientProperties();
        try (EventLog log = new EventLog(props, topics);
             KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
             StatusProjector projector = StatusProjector.start(cluster.config(), topics)) {
            assertThat(projector.awaitCaughtUp(WAIT)).isTrue();
            log.send(events.upsert(POLICY, 1));
            log.send(events.matched(POLICY, 1, 3));
            byte[] garbage = "not avro at all".getBytes(StandardCharsets.UTF_8);
            raw.send(new ProducerRecord<>(topics.policies().name(), bytes(POLICY), garbage)).get();
            raw.send(new ProducerRecord<>(topics.enactments().name(), bytes("worker-0." + POLICY), garbage)).get();
            raw.send(new ProducerRecord<>(topics.rollouts().name(), bytes(POLICY), garbage)).get();
            // decodable, but keyed under another name than the one they carry
            PolicyEvent misnamed = events.upsert("other", 1);
            raw.send(new ProducerRecord<>(topics.policies().name(), bytes(POLICY),
                topics.policies().valueSerde().serializer().serialize(topics.policies().name(), misnamed))).get();
            EnactmentEvent misplaced = events.enactment("worker-9", POLICY, 1, AVAILABLE);
            raw.send(new ProducerRecord<>(topics.enactments().name(), bytes("worker-0." + POLICY),
                topics.enactments().valueSerde().serializer().serialize(topics.enactments().name(), misplaced))).get();
            rollOut(log, 0, 3);
            await().atMost(WAIT).untilAsserted(() -> assertThat(available(projector)).isEqualTo("3/3 nodes successfully configured"));

            Replay.Report report = Replay.run(cluster.settings(), topics, WAIT);

            assertThat(report.mismatchedKeys()).isEmpty();
            assertThat(report.matches()).isTrue();
            assertThat(report.rejected()).isGreaterThanOrEqualTo(3);
            assertThat(report.rebuiltByKind()).containsEntry(ResourceKind.NNCP, 1).containsEntry(ResourceKind.NNCE, 3);
        }
    }

    @Test
    void replayMatchesAfterTheProjectorIsKilledMidFoldAndAfterItsSuccessorCaughtUp() throws Exception {
        Topics topics = cluster.createTopics("replay-it-" + UUID.randomUUID());
        try (EventLog log = new EventLog(cluster.settings().clientProperties(), topics);
             Rollout rollout = new Rollout(log)) {
            log.send(events.upsert(POLICY, 1));
            Process child = startProjectorProcess(topics);
            try {
                await().atMost(WAIT).until(() -> liveSequence(topics) >= 1);
                rollout.start();
                // the child has published again while enactments keep arriving: it is in the middle of folding
                await().atMost(WAIT).until(() -> liveSequence(topics) >= 3);
            } finally {
                child.destroyForcibly();
                child.waitFor();
            }
            assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);

            Replay.Report afterCrash = Replay.run(cluster.settings(), topics, WAIT);

            assertThat(afterCrash.mismatchedKeys()).isEmpty();
            assertThat(afterCrash.matches()).isTrue();

            rollout.stop();
            try (StatusProjector successor = StatusProjector.start(cluster.config(), topics)) {
                assertThat(successor.awaitCaughtUp(WAIT)).isTrue();
                String all = rollout.nodes() + "/" + rollout.nodes() + " nodes successfully configured";
                await().atMost(WAIT).untilAsserted(() -> assertThat(available(successor)).isEqualTo(all));

                Replay.Report afterRestart = Replay.run(cluster.settings(), topics, WAIT);

                assertThat(afterRestart.mismatchedKeys()).isEmpty();
                assertThat(afterRestart.matches()).isTrue();
                assertThat(afterRestart.rebuiltByKind()).containsEntry(ResourceKind.NNCE, rollout.nodes());
                assertThat(afterRestart.events()).isEqualTo(1 + 2L * rollout.nodes());
            }
        }
    }

    @Test
    void replayMatchesWhileARolloutKeepsPublishing() throws Exception {
        Topics topics = cluster.createTopics("replay-it-" + UUID.randomUUID());
        try (EventLog log = new EventLog(cluster.settings().clientProperties(), topics);
             StatusProjector projector = StatusProjector.start(cluster.config(), topics);
             Rollout rollout = new Rollout(log)) {
            assertThat(projector.awaitCaughtUp(WAIT)).isTrue();
            log.send(events.upsert(POLICY, 1));
            rollout.start();
            await().atMost(WAIT).until(() -> liveSequence(topics) >= 3);

            for (int run = 0; run < 3; run++) {
                int sentBefore = rollout.sent();
                Replay.Report report = Replay.run(cluster.settings(), topics, WAIT);
                assertThat(rollout.sent()).as("records arrived while replay ran").isGreaterThan(sentBefore);

                assertThat(report.mismatchedKeys()).as("replay %d", run).isEmpty();
                assertThat(report.matches()).isTrue();
                assertThat(report.foldedTo()).isPresent();
            }
        }
    }

    @Test
    void replayMatchesWhenAnEarlierEventArrivesAfterALaterOneWasFolded() throws Exception {
        Topics topics = cluster.createTopics("replay-it-" + UUID.randomUUID());
        try (EventLog log = new EventLog(cluster.settings().clientProperties(), topics);
             StatusProjector projector = StatusProjector.start(cluster.config(), topics)) {
            assertThat(projector.awaitCaughtUp(WAIT)).isTrue();
            log.send(events.upsert(POLICY, 1));
            EnactmentEvent earlier = events.enactment("worker-b", POLICY, 1, AVAILABLE);
            EnactmentEvent later = events.enactment("worker-a", POLICY, 1, AVAILABLE);
            log.send(later);
            await().atMost(WAIT).until(() -> projector.view().get(ResourceKind.NNCE, "worker-a." + POLICY).isPresent());
            log.send(earlier);
            await().atMost(WAIT).untilAsserted(() -> assertThat(available(projector)).isEqualTo("2/2 nodes successfully configured"));

            Replay.Report report = Replay.run(cluster.settings(), topics, WAIT);

            assertThat(report.mismatchedKeys()).isEmpty();
            assertThat(report.matches()).isTrue();
            // folded in event-time order, as a fold from the beginning folds them: the policy last changed with the later one
            assertThat(projector.view().get(ResourceKind.NNCP, POLICY).orElseThrow().getUpdatedAt()).isEqualTo(later.getTimestamp());
        }
    }

    @Test
    void replayReportsAWrongLiveStatusWithBothValues() throws Exception {
        Topics topics = cluster.createTopics("replay-it-" + UUID.randomUUID());
        try (EventLog log = new EventLog(cluster.settings().clientProperties(), topics);
             StatusProjector projector = StatusProjector.start(cluster.config(), topics)) {
            assertThat(projector.awaitCaughtUp(WAIT)).isTrue();
            log.send(events.upsert(POLICY, 1));
            rollOut(log, 0, 2);
            await().atMost(WAIT).untilAsserted(() -> assertThat(available(projector)).isEqualTo("2/2 nodes successfully configured"));
            await().atMost(WAIT).until(() -> Replay.run(cluster.settings(), topics, WAIT).matches());

            ResourceStatus right = projector.view().get(ResourceKind.NNCP, POLICY).orElseThrow();
            ResourceStatus wrong = ResourceStatus.newBuilder(right).setConditions(withMessage(right.getConditions(),
                "1/2 nodes successfully configured")).build();
            try (KafkaProducer<String, ResourceStatus> producer = KafkaClients.producer(cluster.settings().clientProperties(),
                topics.status(), "test-corrupter")) {
                producer.send(new ProducerRecord<>(topics.status().name(), StatusKey.of(wrong), wrong)).get();
            }

            StringWriter out = new StringWriter();
            int code = new CommandLine(new ReplayCommand()).setOut(new PrintWriter(out)).execute("--bootstrap-servers",
                cluster.bootstrapServers(), "--registry-url", cluster.registryUrl(), "--namespace", topics.namespace());

            assertThat(code).isEqualTo(1);
            List<String> lines = out.toString().lines().toList();
            assertThat(lines).contains("match:      no (1 differ: " + StatusKey.of(right) + ")", "first:      " + StatusKey.of(right));
            assertThat(lines).filteredOn(line -> line.startsWith("  rebuilt:  ")).singleElement().asString()
                .contains("2/2 nodes successfully configured").doesNotContain("1/2 nodes");
            assertThat(lines).filteredOn(line -> line.startsWith("  live:     ")).singleElement().asString()
                .contains("1/2 nodes successfully configured").doesNotContain("2/2 nodes");
        }
    }

    /** A rollout of one policy (published before) that keeps reaching new nodes, on a thread of its own, until stopped. */
    private final class Rollout implements AutoCloseable {

        private final EventLog log;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger nodes = new AtomicInteger();
        private final AtomicInteger sent = new AtomicInteger();
        private final Thread thread;

        Rollout(EventLog log) {
            this.log = log;
            this.thread = new Thread(this::run, "test-rollout");
        }

        void start() {
            thread.start();
        }

        private void run() {
            while (running.get()) {
                int node = nodes.get();
                rollOut(log, node, node + 1);
                nodes.incrementAndGet();
                sent.addAndGet(2);
            }
        }

        int nodes() {
            return nodes.get();
        }

        int sent() {
            return sent.get();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join();
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }
    }

    /** Nodes {@code from} to {@code to - 1} go from Progressing to Available. */
    private void rollOut(EventLog log, int from, int to) {
        for (int node = from; node < to; node++) {
            log.send(events.enactment(String.format("worker-%04d", node), POLICY, 1, PROGRESSING));
            log.send(events.enactment(String.format("worker-%04d", node), POLICY, 1, AVAILABLE));
        }
    }

    /** The status projector service in a JVM of its own, with this test's classpath. */
    private Process startProjectorProcess(Topics topics) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.nmstream.schemas.avro", "-cp", System.getProperty("java.class.path"),
            StatusProjectorMain.class.getName(),
            "--set", "kafka.bootstrap.servers=" + cluster.bootstrapServers(), "--set", "registry.url=" + cluster.registryUrl(),
            "--set", "topics.namespace=" + topics.namespace()));
        File output = new File("target/" + getClass().getSimpleName() + "-projector.log");
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(output)).start();
    }

    private long liveSequence(Topics topics) {
        return LiveProjection.read(cluster.settings().clientProperties(), topics.status(), "test-live-reader", WAIT,
            RejectedRecords.countedOnly("test", new SimpleMeterRegistry())).mark()
            .map(ProjectionMark::sequence).orElse(0L);
    }

    private static String available(StatusProjector projector) {
        return projector.view().get(ResourceKind.NNCP, POLICY).flatMap(status -> status.getConditions().stream()
            .filter(c -> c.getType().equals("Available") && c.getStatus().equals("True")).findFirst())
            .map(StatusCondition::getMessage).orElse(null);
    }

    private static List<StatusCondition> withMessage(List<StatusCondition> conditions, String message) {
        return conditions.stream().map(c -> c.getType().equals("Available") ? StatusCondition.newBuilder(c).setMessage(message).build() : c)
            .toList();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
