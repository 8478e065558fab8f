package io.nmstream.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.nmstream.common.config.Config;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.kafka.KafkaClients;
import io.nmstream.embedded.EmbeddedCluster;
import io.nmstream.embedded.junit.EmbeddedClusterExtension;
import io.nmstream.schemas.DeadLetterHeaders;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.CommandKind;
import io.nmstream.schemas.avro.DesiredStateCommand;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;
import io.nmstream.schemas.avro.NodeEvent;
import io.nmstream.schemas.avro.PolicyEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconciler on the real broker, rolling a policy over a thousand simulated nodes; the guarantees are checked by
 * reading the enactment log afterwards, as an auditor would.
 */
@ExtendWith(EmbeddedClusterExtension.class)
class ReconcilerIT {

    private static final Logger LOG = LoggerFactory.getLogger(ReconcilerIT.class);
    private static final int NODES = 1000;
    private static final int TEN_PERCENT = 100;
    private static final Duration APPLY_TIME = Duration.ofMillis(300);
    /**
     * Guards against a reconciler that never gets its tasks, never a performance check. A fresh reconciler reached
     * RUNNING in 36-62 s on the loaded 2-core build machine (it creates 12 internal topics and a rebalance follows
     * their creation), a restarted one in 11-12 s now that it finds the group left by its predecessor; before, it
     * waited out the old member's 45 s session. Twice the slowest healthy start.
     */
    private static final Duration START_LIMIT = Duration.ofMinutes(2);
    /**
     * Guards against a hung rollout once the reconciler runs: ten waves of 100 nodes at 300 ms each took 10-40 s here
     * (a quarter of them, before the restart, at most 60 s with the start-up's second rebalance). Two minutes is three
     * times that, and short enough that the stall once seen here (two silent 60 s waits after RUNNING) fails the test
     * instead of hiding in a longer guard.
     */
    private static final Duration ROLLOUT_LIMIT = Duration.ofMinutes(2);

    @TempDir
    Path stateDirs;

    @Test
    void rollsOutAPolicyOverAThousandNodesWithAtMostTenPercentProgressingAtOnce(EmbeddedCluster cluster) throws Exception {
        String namespace = namespace("rollout");
        Topics topics = cluster.createTopics(namespace);
        ClusterSettings settings = new ClusterSettings(cluster.config().with(ClusterSettings.TOPIC_NAMESPACE.name(), namespace));
        Properties client = settings.clientProperties();
        byte[] poison = "not a policy event".getBytes(StandardCharsets.UTF_8);
        ListAppender<ILoggingEvent> settingsWarnings = new ListAppender<>();
        settingsWarnings.start();
        ch.qos.logback.classic.Logger streamsConfigLog = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(StreamsConfig.class);
        streamsConfigLog.addAppender(settingsWarnings);

        try (SimulatedNodeAgents agents = new SimulatedNodeAgents(client, topics, APPLY_TIME);
             ReconcilerService reconciler = ReconcilerService.start(settings, reconcilerConfig(cluster, namespace, "first"));
             TopicLog<String, EnactmentEvent> log = new TopicLog<>(client, topics.enactments())) {
            awaitRunning(reconciler);
            streamsConfigLog.detachAppender(settingsWarnings);
            assertThat(settingsWarnings.list).as("what Kafka Streams says of the reconciler's settings, in its log at every start")
                .noneMatch(event -> event.getLevel().isGreaterOrEqual(Level.WARN));
            publishNodes(client, topics);
            publishRaw(client, topics, poison);
            publishPolicy(client, topics);

            await().atMost(ROLLOUT_LIMIT).pollInterval(Duration.ofMillis(500))
                .until(() -> nodesAvailable(log.poll()) == NODES || agents.failure() != null);
            assertThat(agents.failure()).isNull();
        }

        List<EnactmentEvent> events = readAll(client, topics);
        LOG.info("Rollout over {} nodes: at most {} PROGRESSING at once (limit {})", NODES, maxProgressingAtOnce(events), TEN_PERCENT);
        assertThat(maxProgressingAtOnce(events)).isLessThanOrEqualTo(TEN_PERCENT).isGreaterThan(TEN_PERCENT / 2);
        assertThat(latestPhaseByNode(events)).hasSize(NODES)
            .allSatisfy((node, phase) -> assertThat(phase).isEqualTo(EnactmentPhase.AVAILABLE));
        assertThat(events).anyMatch(e -> ReconcilerEnactments.MAX_UNAVAILABLE_LIMIT_REACHED.equals(e.getReason()));
        assertThat(commandsByNode(client, topics)).hasSize(NODES).allSatisfy((node, count) -> assertThat(count).isEqualTo(1));
        assertPoisonRecordIsADeadLetter(client, topics, poison);
    }

    @Test
    void reconcilerRestartedMidRolloutKeepsTheLimitAndFinishesTheRollout(EmbeddedCluster cluster) throws Exception {
        String namespace = namespace("restart");
        Topics topics = cluster.createTopics(namespace);
        ClusterSettings settings = new ClusterSettings(cluster.config().with(ClusterSettings.TOPIC_NAMESPACE.name(), namespace));
        Properties client = settings.clientProperties();
        int availableAtRestart;

        try (SimulatedNodeAgents agents = new SimulatedNodeAgents(client, topics, APPLY_TIME);
             TopicLog<String, EnactmentEvent> log = new TopicLog<>(client, topics.enactments())) {
            try (ReconcilerService first = ReconcilerService.start(settings, reconcilerConfig(cluster, namespace, "first"))) {
                awaitRunning(first);
                publishNodes(client, topics);
                publishPolicy(client, topics);
                await().atMost(ROLLOUT_LIMIT).pollInterval(Duration.ofMillis(200)).until(() -> nodesAvailable(log.poll()) >= NODES / 4);
            }
            availableAtRestart = nodesAvailable(log.poll());
            assertThat(availableAtRestart).as("stopped mid-rollout").isLessThan(NODES);

            // a new instance with an empty state directory: everything it knows comes back from the changelogs
            try (ReconcilerService second = ReconcilerService.start(settings, reconcilerConfig(cluster, namespace, "second"))) {
                awaitRunning(second);
                await().atMost(ROLLOUT_LIMIT).pollInterval(Duration.ofMillis(500))
                    .until(() -> nodesAvailable(log.poll()) == NODES || agents.failure() != null);
            }
            assertThat(agents.failure()).isNull();
        }

        List<EnactmentEvent> events = readAll(client, topics);
        LOG.info("Rollout over {} nodes restarted after {} were AVAILABLE: at most {} PROGRESSING at once (limit {})", NODES,
            availableAtRestart, maxProgressingAtOnce(events), TEN_PERCENT);
        assertThat(maxProgressingAtOnce(events)).isLessThanOrEqualTo(TEN_PERCENT);
        assertThat(latestPhaseByNode(events)).hasSize(NODES)
            .allSatisfy((node, phase) -> assertThat(phase).isEqualTo(EnactmentPhase.AVAILABLE));
        // the new instance re-sends what it found unanswered, under the same command id: still one command per node
        assertThat(commandIdsByNode(client, topics)).as("no node got a second command across the restart").hasSize(NODES)
            .allSatisfy((node, ids) -> assertThat(ids).hasSize(1));
    }

    private static void awaitRunning(ReconcilerService reconciler) {
        long started = System.nanoTime();
        await().atMost(START_LIMIT).pollInterval(Duration.ofMillis(200)).until(() -> reconciler.state() == KafkaStreams.State.RUNNING);
        LOG.info("Reconciler RUNNING {} s after its start", String.format(Locale.ROOT, "%.1f", (System.nanoTime() - started) / 1e9));
    }

    private ReconcilerConfig reconcilerConfig(EmbeddedCluster cluster, String namespace, String instance) {
        Config config = cluster.config()
            .with(ReconcilerConfig.APPLICATION_ID.name(), "reconciler-" + namespace)
            .with(ReconcilerConfig.STATE_DIR.name(), stateDirs.resolve(instance).toString())
            .with(ReconcilerConfig.STANDBY_REPLICAS.name(), "0")
            .with(ReconcilerConfig.COMMIT_INTERVAL.name(), "50ms");
        return ReconcilerConfig.from(config);
    }

    private static String namespace(String test) {
        return "it-" + test + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void publishNodes(Properties client, Topics topics) {
        try (KafkaProducer<String, NodeEvent> producer = KafkaClients.producer(client, topics.nodes(), "it-inventory")) {
            for (int i = 0; i < NODES; i++) {
                String name = String.format(Locale.ROOT, "node-%04d", i);
                producer.send(new ProducerRecord<>(topics.nodes().name(), name, NodeEvent.newBuilder().setName(name)
                    .setLabels(Map.of("node-role.kubernetes.io/worker", "")).setLastSeen(Instant.now()).build()));
            }
        }
    }

    private static void publishPolicy(Properties client, Topics topics) {
        PolicyEvent policy = ReconcilerHarness.policy("br-ex", "10%", Map.of("node-role.kubernetes.io/worker", "")).build();
        try (KafkaProducer<String, PolicyEvent> producer = KafkaClients.producer(client, topics.policies(), "it-policies")) {
            producer.send(new ProducerRecord<>(topics.policies().name(), policy.getName(), policy));
        }
    }

    private static void publishRaw(Properties client, Topics topics, byte[] value) {
        try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(client, topics.deadLetters(), "it-poison")) {
            producer.send(new ProducerRecord<>(topics.policies().name(), "garbage".getBytes(StandardCharsets.UTF_8), value));
        }
    }

    private static List<EnactmentEvent> readAll(Properties client, Topics topics) {
        try (TopicLog<String, EnactmentEvent> log = new TopicLog<>(client, topics.enactments())) {
            int[] last = {-1};
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                int size = log.poll().size();
                boolean settled = size == last[0];
                last[0] = size;
                return settled && nodesAvailable(log.poll()) == NODES;
            });
            return log.values();
        }
    }

    /** Nodes whose latest event is AVAILABLE (events of one node are in one partition, in order). */
    private static int nodesAvailable(List<ConsumerRecord<String, EnactmentEvent>> records) {
        Map<String, EnactmentPhase> latest = new LinkedHashMap<>();
        records.forEach(r -> latest.put(r.value().getNode(), r.value().getPhase()));
        return (int) latest.values().stream().filter(p -> p == EnactmentPhase.AVAILABLE).count();
    }

    private static Map<String, EnactmentPhase> latestPhaseByNode(List<EnactmentEvent> events) {
        Map<String, EnactmentPhase> latest = new LinkedHashMap<>();
        events.forEach(e -> latest.put(e.getNode(), e.getPhase()));
        return latest;
    }

    /**
     * The most nodes that were ever PROGRESSING at once: the agents' reports in timestamp order (the agents stamp
     * them strictly increasing), a node counting from its PROGRESSING until its result.
     */
    static int maxProgressingAtOnce(List<EnactmentEvent> events) {
        List<EnactmentEvent> reports = events.stream().filter(ReconcilerEnactments::isAgentReport)
            .sorted(Comparator.comparing(EnactmentEvent::getTimestamp)).collect(Collectors.toList());
        Set<String> progressing = new HashSet<>();
        int max = 0;
        for (EnactmentEvent event : reports) {
            if (event.getPhase() == EnactmentPhase.PROGRESSING) {
                progressing.add(event.getNode());
            } else if (event.getPhase() == EnactmentPhase.AVAILABLE || event.getPhase() == EnactmentPhase.FAILING) {
                progressing.remove(event.getNode());
            }
            max = Math.max(max, progressing.size());
        }
        return max;
    }

    private static Map<String, Long> commandsByNode(Properties client, Topics topics) {
        try (TopicLog<String, DesiredStateCommand> log = new TopicLog<>(client, topics.commands())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> log.poll().size() >= NODES);
            log.poll();
            return log.values().stream().filter(c -> c.getKind() == CommandKind.APPLY)
                .collect(Collectors.groupingBy(DesiredStateCommand::getNode, Collectors.counting()));
        }
    }

    private static Map<String, Set<String>> commandIdsByNode(Properties client, Topics topics) {
        try (TopicLog<String, DesiredStateCommand> log = new TopicLog<>(client, topics.commands())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> log.poll().size() >= NODES);
            log.poll();
            return log.values().stream().filter(c -> c.getKind() == CommandKind.APPLY).collect(Collectors.groupingBy(
                DesiredStateCommand::getNode, Collectors.mapping(DesiredStateCommand::getCommandId, Collectors.toSet())));
        }
    }

    private static void assertPoisonRecordIsADeadLetter(Properties client, Topics topics, byte[] poison) {
        try (TopicLog<byte[], byte[]> letters = new TopicLog<>(client, topics.deadLetters())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> !letters.poll().isEmpty());
            ConsumerRecord<byte[], byte[]> letter = letters.poll().get(0);
            assertThat(letter.value()).isEqualTo(poison);
            assertThat(new String(letter.headers().lastHeader(DeadLetterHeaders.STAGE).value(), StandardCharsets.UTF_8))
                .isEqualTo("deserialization");
            assertThat(letter.headers().lastHeader(DeadLetterHeaders.REASON)).isNotNull();
        }
    }
}
