package io.nmstream.status.projector;

import static io.nmstream.schemas.avro.EnactmentPhase.ABORTED;
import static io.nmstream.schemas.avro.EnactmentPhase.AVAILABLE;
import static io.nmstream.schemas.avro.EnactmentPhase.FAILING;
import static io.nmstream.schemas.avro.EnactmentPhase.PENDING;
import static io.nmstream.schemas.avro.EnactmentPhase.PROGRESSING;
import static io.nmstream.schemas.avro.EnactmentPhase.REMOVED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nmstream.common.kafka.RejectedRecords;
import io.nmstream.embedded.EmbeddedCluster;
import io.nmstream.embedded.junit.EmbeddedClusterExtension;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.ResourceKind;
import io.nmstream.schemas.avro.ResourceStatus;
import io.nmstream.schemas.avro.StatusCondition;
import io.nmstream.status.EventLog;
import io.nmstream.status.Events;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedClusterExtension.class)
class StatusProjectorIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final EmbeddedCluster cluster;
    private final Events events = new Events();

    StatusProjectorIT(EmbeddedCluster cluster) {
        this.cluster = cluster;
    }

    @Test
    void projectsARolloutIntoPolicyAndEnactmentStatusAndPublishesIt() throws Exception {
        Topics topics = cluster.createTopics("status-it-" + UUID.randomUUID());
        try (EventLog log = new EventLog(cluster.settings().clientProperties(), topics);
             StatusProjector projector = StatusProjector.start(cluster.config(), topics)) {
            assertThat(projector.awaitCaughtUp(WAIT)).isTrue();

            log.send(events.upsert("br1", 1));
            log.send(events.matched("br1", 1, 3));
            await().atMost(WAIT).untilAsserted(() -> assertThat(message(projector, "br1", "Progressing"))
                .as("from the moment the reconciler matched it").isEqualTo("Policy is progressing 0/3 nodes finished, 3 pending"));
            log.send(events.enactment("worker-0", "br1", 1, PROGRESSING));
            log.send(events.enactment("worker-1", "br1", 1, PENDING));
            log.send(events.enactment("worker-2", "br1", 1, PENDING));
            await().atMost(WAIT).untilAsserted(() -> assertThat(message(projector, "br1", "Progressing"))
                .isEqualTo("Policy is progressing 0/3 nodes finished, 2 pending"));

            log.send(events.enactment("worker-0", "br1", 1, AVAILABLE));
            log.send(events.enactment("worker-1", "br1", 1, PROGRESSING));
            log.send(events.enactment("worker-1", "br1", 1, FAILING, "Interface ens8f0np0: MTU 9000 exceeds the maximum supported"));
            log.send(events.enactment("worker-2", "br1", 1, ABORTED));
            log.send(events.nodeState("worker-0", "{\"interfaces\":[{\"name\":\"ens8f0np0\",\"mtu\":9000}]}"));

            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(message(projector, "br1", "Degraded")).isEqualTo("1/3 nodes failed to configure, 1 nodes aborted configuration");
                assertThat(projector.view().get(ResourceKind.NNS, "worker-0")).isPresent();
            });
            ResourceStatus failing = projector.view().get(ResourceKind.NNCE, "worker-1.br1").orElseThrow();
            assertThat(condition(failing, "Failing").getMessage()).isEqualTo("Interface ens8f0np0: MTU 9000 exceeds the maximum supported");
            assertThat(projector.view().list(ResourceKind.NNCE)).extracting(ResourceStatus::getName)
                .containsExactly("worker-0.br1", "worker-1.br1", "worker-2.br1");

            await().atMost(WAIT).untilAsserted(() -> assertThat(published(topics)).isEqualTo(projector.view().snapshot()));

            try (StatusHttpServer http = StatusHttpServer.start(projector.view(), 0)) {
                HttpResponse<String> policy = get(http, "/status/nncp/br1");
                assertThat(policy.statusCode()).isEqualTo(200);
                assertThat(policy.body()).contains("\"kind\":\"NodeNetworkConfigurationPolicy\"")
                    .contains("1/3 nodes failed to configure, 1 nodes aborted configuration");
                assertThat(get(http, "/status/nnce").body()).contains("worker-0.br1").contains("worker-2.br1");
                HttpResponse<String> missing = get(http, "/status/nncp/nope");
                assertThat(missing.statusCode()).isEqualTo(404);
                assertThat(missing.body()).isEqualTo("{\"error\":\"nncp \\\"nope\\\" not found\"}");
                assertThat(get(http, "/status/nncp").headers().firstValue("Content-Type")).hasValue("application/json");
            }
        }
    }

    private static HttpResponse<String> get(StatusHttpServer http, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void replayOfTheRecordedHistoryReproducesTheLiveStatusExactly() throws Exception {
        Topics topics = cluster.createTopics("status-it-" + UUID.randomUUID());
        try (EventLog log = new EventLog(cluster.settings().clientProperties(), topics)) {
            try (StatusProjector projector = StatusProjector.start(cluster.config(), topics)) {
                assertThat(projector.awaitCaughtUp(WAIT)).isTrue();
                recordTwoGenerationsWithANodeThatStopsMatching(log);
                await().atMost(WAIT).untilAsserted(() -> assertThat(message(projector, "br1", "Available"))
                    .isEqualTo("2/2 nodes successfully configured"));
                await().atMost(WAIT).untilAsserted(() -> assertThat(published(topics)).isEqualTo(projector.view().snapshot()));
            }

            Replay.Report report = Replay.run(cluster.settings(), topics, WAIT);

            assertThat(report.mismatchedKeys()).isEmpty();
            assertThat(report.matches()).isTrue();
            assertThat(report.events()).isEqualTo(13);
            assertThat(report.rebuiltByKind()).containsEntry(ResourceKind.NNCP, 1).containsEntry(ResourceKind.NNCE, 2);
            assertThat(report.liveCount()).isEqualTo(3);
        }
    }

    @Test
    void restartedProjectorRebuildsTheSameStatusAndPublishesNothing() throws Exception {
        Topics topics = cluster.createTopics("status-it-" + UUID.randomUUID());
        try (EventLog log = new EventLog(cluster.settings().clientProperties(), topics)) {
            Map<String, ResourceStatus> before;
            try (StatusProjector projector = StatusProjector.start(cluster.config(), topics)) {
                assertThat(projector.awaitCaughtUp(WAIT)).isTrue();
                recordTwoGenerationsWithANodeThatStopsMatching(log);
                await().atMost(WAIT).untilAsserted(() -> assertThat(published(topics)).hasSize(3)
                    .isEqualTo(projector.view().snapshot()));
                before = projector.view().snapshot();
            }
            try (StatusProjector restarted = StatusProjector.start(cluster.config(), topics)) {
                assertThat(restarted.awaitCaughtUp(WAIT)).isTrue();
                assertThat(restarted.view().snapshot()).isEqualTo(before);
                assertThat(restarted.statusesPublished()).isZero();
            }
        }
    }

    @Test
    void undecodableRecordIsSkippedAndFoldingGoesOn() throws Exception {
        Topics topics = cluster.createTopics("status-it-" + UUID.randomUUID());
        Properties props = cluster.settings().clientProperties();
        try (EventLog log = new EventLog(props, topics);
             KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
             StatusProjector projector = StatusProjector.start(cluster.config(), topics)) {
            assertThat(projector.awaitCaughtUp(WAIT)).isTrue();
            raw.send(new ProducerRecord<>(topics.enactments().name(), "a.br1".getBytes(StandardCharsets.UTF_8),
                "not avro".getBytes(StandardCharsets.UTF_8))).get();
            log.send(events.enactment("a", "br1", 1, AVAILABLE));

            await().atMost(WAIT).untilAsserted(() -> assertThat(message(projector, "br1", "Available"))
                .isEqualTo("1/1 nodes successfully configured"));
            assertThat(projector.isRunning()).isTrue();
        }
    }

    /** Generation 1 on three nodes, generation 2 on the two that still match: 13 events. */
    private void recordTwoGenerationsWithANodeThatStopsMatching(EventLog log) {
        log.send(events.upsert("br1", 1));
        for (String node : new String[] {"a", "b", "c"}) {
            log.send(events.enactment(node, "br1", 1, PROGRESSING));
            log.send(events.enactment(node, "br1", 1, AVAILABLE));
        }
        log.send(events.upsert("br1", 2));
        log.send(events.enactment("c", "br1", 1, REMOVED));
        log.send(events.enactment("a", "br1", 2, PROGRESSING));
        log.send(events.enactment("a", "br1", 2, AVAILABLE));
        log.send(events.enactment("b", "br1", 2, PROGRESSING));
        log.send(events.enactment("b", "br1", 2, AVAILABLE));
    }

    private Map<String, ResourceStatus> published(Topics topics) {
        Map<String, ResourceStatus> live = new TreeMap<>();
        Map<String, ResourceStatus> latest = LatestValues.read(cluster.settings().clientProperties(), topics.status(),
            "test-status-reader", WAIT,
            RejectedRecords.countedOnly("test", new SimpleMeterRegistry()));
        latest.forEach((k, v) -> {
            if (!v.getDeleted()) {
                live.put(k, v);
            }
        });
        return live;
    }

    private static String message(StatusProjector projector, String policy, String type) {
        return projector.view().get(ResourceKind.NNCP, policy).map(s -> condition(s, type))
            .filter(c -> c.getStatus().equals("True")).map(StatusCondition::getMessage).orElse(null);
    }

    private static StatusCondition condition(ResourceStatus status, String type) {
        return status.getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
    }
}
