package io.nmstream.status.cli;

import static io.nmstream.schemas.avro.EnactmentPhase.AVAILABLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nmstream.common.kafka.RejectedRecords;
import io.nmstream.embedded.EmbeddedCluster;
import io.nmstream.embedded.junit.EmbeddedClusterExtension;
import io.nmstream.embedded.junit.PoisonRecords;
import io.nmstream.embedded.junit.PoisonRecords.Poison;
import io.nmstream.schemas.DeadLetterHeaders;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.ResourceKind;
import io.nmstream.schemas.contract.ContractViolation.Rule;
import io.nmstream.status.EventLog;
import io.nmstream.status.Events;
import io.nmstream.status.fold.StatusKey;
import io.nmstream.status.projector.StatusProjector;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/**
 * Records the reconciler refuses (undecodable bytes, policies breaking the event contract, an enactment under a key
 * that is not its node and policy, an enactment about a node that never registered) are never shown by {@code get},
 * {@code audit} or {@code replay}: the projector sets each aside as a dead letter with its reason, and replay matches the
 * live status.
 */
@ExtendWith(EmbeddedClusterExtension.class)
class PoisonRecordsIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final EmbeddedCluster cluster;
    private final Events events = new Events();
    private Topics topics;

    PoisonRecordsIT(EmbeddedCluster cluster) {
        this.cluster = cluster;
    }

    @Test
    void poisonIsNeitherShownNorAuditedNorReplayedAndTheProjectorWritesItsDeadLetters() throws Exception {
        topics = cluster.createTopics("status-poison-" + UUID.randomUUID());
        List<Poison> poison = new ArrayList<>(PoisonRecords.policies(topics));
        PoisonRecords.send(cluster, topics.policies(), poison);
        try (EventLog log = new EventLog(cluster.settings().clientProperties(), topics)) {
            log.send(events.upsert("br1", 1));
            log.send(events.enactment("worker-0", "br1", 1, AVAILABLE));
        }
        // well formed, but about a node that never registered: no node of the fleet wrote it
        EnactmentEvent ghost = events.enactment("ghost-0", "br1", 1, AVAILABLE);
        Poison unknownNode = new Poison("ghost-0.br1", topics.enactments().valueSerde().serializer()
            .serialize(topics.enactments().name(), ghost), Rule.NODE.tag());
        PoisonRecords.send(cluster, topics.enactments(), List.of(unknownNode));
        poison.add(unknownNode);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();

        try (StatusProjector projector = StatusProjector.start(cluster.config(), topics, List.of(), meters)) {
            assertThat(projector.awaitCaughtUp(WAIT)).isTrue();
            // one more after the history: the live path sets it aside too
            EnactmentEvent misKeyed = events.enactment("worker-1", "br1", 1, AVAILABLE);
            Poison enactment = new Poison("worker-9.br1", topics.enactments().valueSerde().serializer()
                .serialize(topics.enactments().name(), misKeyed), Rule.KEY.tag());
            PoisonRecords.send(cluster, topics.enactments(), List.of(enactment));
            poison.add(enactment);
            await().atMost(WAIT).until(() -> deadLetters().size() == poison.size());

            assertThat(run(new GetCommand(), "nncp").out).isEqualTo("""
                NAME   STATUS      REASON
                br1    Available   SuccessfullyConfigured
                """);
            assertThat(run(new GetCommand(), "nnce").out)
                .matches("NAME +STATUS +STATUS AGE +REASON\n" + "worker-0\\.br1 +Available +\\d+[smhdy0-9]* +SuccessfullyConfigured\n");
            Result audit = run(new AuditCommand());
            // the generation as the audit writes it: a bare "-7" also matches random event ids such as "9ffcd2da-748b-..."
            assertThat(audit.code).isZero();
            assertThat(audit.out.lines()).hasSize(2).noneMatch(line -> line.contains("eth1-policy") || line.contains("negative")
                || line.contains("bad-digest") || line.contains("worker-1") || line.contains("ghost-0")
                || line.contains("\"generation\":-7"));
            Result replay = run(new ReplayCommand());
            assertThat(replay.code).as(replay.out).isZero();
            assertThat(replay.out).contains("events:     2", "skipped:    7 records", "match:      yes");

            Map<String, String> reasons = deadLetters().stream().collect(Collectors.toMap(
                letter -> new String(letter.key(), StandardCharsets.UTF_8), letter -> header(letter, DeadLetterHeaders.REASON)));
            assertThat(reasons.get("unknown-schema")).contains("schema id");
            assertThat(reasons.get("not-the-key")).contains("field name has value 'eth1-policy'");
            assertThat(reasons.get("negative")).contains("field generation has value '-7'");
            assertThat(reasons.get("bad-digest")).contains("field desiredStateDigest has value 'd1'");
            assertThat(reasons.get("worker-9.br1")).contains("fields node and policy make 'worker-1.br1'");
            assertThat(reasons.get("ghost-0.br1")).contains("field node has value 'ghost-0'; no node of that name is in the inventory");
            assertThat(reasons).containsKey("garbage");
            assertThat(meters.get(RejectedRecords.METRIC).tags("topic", topics.policies().name(), "reason", RejectedRecords.UNDECODABLE)
                .counter().count()).isEqualTo(2);
            assertThat(meters.get(RejectedRecords.METRIC).tags("topic", topics.enactments().name(), "reason", Rule.KEY.tag())
                .counter().count()).isEqualTo(1);
            assertThat(meters.get(RejectedRecords.METRIC).tags("topic", topics.enactments().name(), "reason", Rule.NODE.tag())
                .counter().count()).isEqualTo(1);
        }
    }

    @Test
    void undecodableStatusRecordsStopNeitherGetNorWaitNorTheProjectorsRestartWhichWritesTheStatusAgainOverThem() throws Exception {
        topics = cluster.createTopics("status-topic-poison-" + UUID.randomUUID());
        try (EventLog log = new EventLog(cluster.settings().clientProperties(), topics)) {
            log.send(events.upsert("br1", 1));
            log.send(events.enactment("worker-0", "br1", 1, AVAILABLE));
        }
        try (StatusProjector projector = StatusProjector.start(cluster.config(), topics, List.of(), new SimpleMeterRegistry())) {
            assertThat(projector.awaitCaughtUp(WAIT)).isTrue();
        }
        // whatever a client wrote to the status topic: bytes, and a record over br1's own status that no one can read
        List<Poison> statusPoison = PoisonRecords.policies(topics).stream()
            .filter(p -> p.reason().equals(RejectedRecords.UNDECODABLE)).toList();
        PoisonRecords.send(cluster, topics.status(), statusPoison);
        PoisonRecords.send(cluster, topics.status(), List.of(new Poison(StatusKey.of(ResourceKind.NNCP, "br1"),
            statusPoison.get(0).value(), RejectedRecords.UNDECODABLE)));
        PoisonRecords.send(cluster, topics.policies(), PoisonRecords.policies(topics));

        Result unreadable = run(new GetCommand(), "nncp");
        assertThat(unreadable.code).as(unreadable.err).isZero();
        assertThat(unreadable.out).as("br1's latest status cannot be read: not shown as if it were known").isEmpty();

        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (StatusProjector projector = StatusProjector.start(cluster.config(), topics, List.of(), meters)) {
            assertThat(projector.awaitCaughtUp(WAIT)).isTrue();
            // the projector's commit has returned, but the broker writes a transaction's commit markers after that, and
            // a read_committed reader (get) sees the records only then: get shows br1 once they are written
            await().atMost(WAIT).untilAsserted(() -> assertThat(run(new GetCommand(), "nncp").out).isEqualTo("""
                NAME   STATUS      REASON
                br1    Available   SuccessfullyConfigured
                """));
            Result waited = run(new WaitCommand(), "nncp/br1", "--for=condition=Available", "--timeout=30s");
            assertThat(waited.code).as(waited.err).isZero();
            assertThat(meters.get(RejectedRecords.METRIC).tags("topic", topics.status().name(), "reason", RejectedRecords.UNDECODABLE)
                .counter().count()).isEqualTo(3);
        }
    }

    private List<ConsumerRecord<byte[], byte[]>> deadLetters() {
        return PoisonRecords.deadLetters(cluster, topics);
    }

    private static String header(ConsumerRecord<byte[], byte[]> letter, String name) {
        return new String(letter.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private record Result(int code, String out, String err) {
    }

    private Result run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        List<String> all = new ArrayList<>(List.of("--bootstrap-servers", cluster.bootstrapServers(), "--registry-url",
            cluster.registryUrl(), "--namespace", topics.namespace()));
        all.addAll(List.of(args));
        int code = cli.execute(all.toArray(String[]::new));
        return new Result(code, out.toString(), err.toString());
    }
}
