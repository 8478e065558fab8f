package io.nmstream.status.cli;

import static io.nmstream.schemas.avro.EnactmentPhase.AVAILABLE;
import static io.nmstream.schemas.avro.EnactmentPhase.PROGRESSING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nmstream.embedded.EmbeddedCluster;
import io.nmstream.embedded.junit.EmbeddedClusterExtension;
import io.nmstream.schemas.Topics;
import io.nmstream.status.EventLog;
import io.nmstream.status.Events;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

@ExtendWith(EmbeddedClusterExtension.class)
class AuditFollowIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final EmbeddedCluster cluster;
    private final Events events = new Events();

    AuditFollowIT(EmbeddedCluster cluster) {
        this.cluster = cluster;
    }

    @Test
    void followPrintsTheHistoryThenNewStepsAsTheyHappen() throws Exception {
        Topics topics = cluster.createTopics("status-audit-" + UUID.randomUUID());
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new AuditCommand()).setOut(new PrintWriter(out, true));
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (EventLog log = new EventLog(cluster.settings().clientProperties(), topics)) {
            log.send(events.upsert("br1", 1));
            Future<Integer> audit = executor.submit(() -> cli.execute("--bootstrap-servers", cluster.bootstrapServers(),
                "--registry-url", cluster.registryUrl(), "--namespace", topics.namespace(), "--follow", "--policy", "br1"));
            await().atMost(WAIT).until(() -> out.toString().contains("\"action\":\"policy.upsert\""));

            log.send(events.enactment("worker-0", "br1", 1, PROGRESSING));
            log.send(events.enactment("worker-0", "br1", 1, AVAILABLE));
            log.send(events.enactment("worker-0", "other", 1, AVAILABLE));

            await().atMost(WAIT).until(() -> out.toString().contains("\"action\":\"enactment.available\""));
            assertThat(out.toString().lines()).hasSize(3);
            assertThat(out.toString()).doesNotContain("\"policy\":\"other\"");
            audit.cancel(true);
        } finally {
            executor.shutdownNow();
            assertThat(executor.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
    }
}
