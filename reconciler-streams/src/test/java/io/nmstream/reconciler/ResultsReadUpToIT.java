package io.nmstream.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.kafka.KafkaClients;
import io.nmstream.embedded.EmbeddedCluster;
import io.nmstream.embedded.junit.EmbeddedClusterExtension;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * How far the reconciler has read the agents' results, on the real broker: it follows a running reconciler, stops at a
 * result nobody has processed (the reconciler is down), moves past it once a reconciler has processed it, and is not
 * held back by an aborted transaction that a reader skips.
 */
@ExtendWith(EmbeddedClusterExtension.class)
class ResultsReadUpToIT {

    private static final Duration GUARD = Duration.ofMinutes(2);

    @TempDir
    Path stateDir;

    @Test
    void staysBeforeAResultNoReconcilerHasProcessedAndPassesItOnceOneHas(EmbeddedCluster cluster) throws Exception {
        String namespace = "read-up-to-" + UUID.randomUUID().toString().substring(0, 8);
        Topics topics = cluster.createTopics(namespace);
        ClusterSettings settings = new ClusterSettings(cluster.config().with(ClusterSettings.TOPIC_NAMESPACE.name(), namespace));
        Properties client = settings.clientProperties();
        ReconcilerConfig config = ReconcilerConfig.from(settings.config()
            .with(ReconcilerConfig.APPLICATION_ID.name(), "reconciler-" + namespace)
            .with(ReconcilerConfig.STATE_DIR.name(), stateDir.toString())
            .with(ReconcilerConfig.STANDBY_REPLICAS.name(), "0"));
        try (ResultsReadUpTo readUpTo = ResultsReadUpTo.start(client, config.applicationId(), topics.enactments().name(),
                 Duration.ofMillis(200));
             KafkaProducer<String, EnactmentEvent> agent = KafkaClients.producer(client, topics.enactments(), "agent")) {
            ReconcilerService first = ReconcilerService.start(settings, config);
            try {
                await().atMost(GUARD).until(() -> first.state() == KafkaStreams.State.RUNNING);
                long running = System.currentTimeMillis();
                await("an idle reconciler has read everything").atMost(GUARD).until(() -> readUpTo.getAsLong() >= running);
            } finally {
                first.close();
            }
            // a close that runs out of its time leaves the stream thread finishing in the background
            await().atMost(GUARD).until(() -> first.state() == KafkaStreams.State.NOT_RUNNING);

            agent.send(new ProducerRecord<>(topics.enactments().name(), Topics.enactmentKey("node-1", "eth1"), report("node-1"))).get();
            // taken once the broker has the record (the first send also registers the schema, which takes its time)
            long published = System.currentTimeMillis();
            Thread.sleep(3_000);
            assertThat(readUpTo.getAsLong()).as("a result no reconciler has processed holds it back").isLessThan(published);

            abortedReport(client, topics);
            try (ReconcilerService reconciler = ReconcilerService.start(settings, config)) {
                long restarted = System.currentTimeMillis();
                await("the restarted reconciler processed the result and skipped the aborted one").atMost(GUARD)
                    .until(() -> readUpTo.getAsLong() >= restarted);
            }
        }
    }

    /** A report written in a transaction that is then aborted: a read_committed reader never sees it. */
    private static void abortedReport(Properties client, Topics topics) {
        Properties transactional = new Properties();
        transactional.putAll(client);
        transactional.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "aborting-" + topics.namespace());
        try (KafkaProducer<String, EnactmentEvent> producer = KafkaClients.producer(transactional, topics.enactments(), "aborting")) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topics.enactments().name(), Topics.enactmentKey("node-2", "eth1"), report("node-2")));
            producer.flush();
            producer.abortTransaction();
        }
    }

    private static EnactmentEvent report(String node) {
        return EnactmentEvent.newBuilder()
            .setEventId(UUID.randomUUID().toString())
            .setNode(node)
            .setPolicy("eth1")
            .setGeneration(1)
            .setCommandId(UUID.randomUUID().toString())
            .setPhase(EnactmentPhase.PROGRESSING)
            .setReason("ConfigurationProgressing")
            .setAttempt(1)
            .setTimestamp(Instant.now())
            .build();
    }
}
