package io.nmstream.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nmstream.common.config.Config;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.kafka.KafkaClients;
import io.nmstream.embedded.EmbeddedCluster;
import io.nmstream.embedded.junit.EmbeddedClusterExtension;
import io.nmstream.reconciler.rollout.SlotLease;
import io.nmstream.reconciler.rollout.SlotRequest;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.DesiredStateCommand;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;
import io.nmstream.schemas.avro.NodeEvent;
import io.nmstream.schemas.avro.PolicyEvent;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two reconciler instances, each its own JVM, rolling a {@code maxUnavailable: 10%} policy over 300 simulated nodes;
 * one is killed with SIGKILL mid-rollout and started again, then the other. Whichever holds a policy's coordinator or a
 * node partition with leased slots, nothing is lost: the rollout finishes, never more than the limit applying at once
 * (read from the enactment log), and at the end every node partition has given back every slot it was leased (read
 * from the reconciler's own slot topics): no ghost slot, even from a partition whose instance died holding a lease.
 * A killed instance comes back on a new state directory, as a pod replaced without its volume would, so the transaction
 * it left open is ended by the instance still running once the group has settled without it, not by its own return;
 * the transaction timeout is the default, a minute.
 */
@ExtendWith(EmbeddedClusterExtension.class)
class RolloutCrashIT {

    private static final Logger LOG = LoggerFactory.getLogger(RolloutCrashIT.class);
    private static final String POLICY = "br-ex";
    private static final int NODES = 300;
    private static final int LIMIT = 30;
    private static final Duration APPLY_TIME = Duration.ofSeconds(1);
    /**
     * Guards against a rollout that never finishes, never a performance check: two kills, each a 10 s session timeout
     * before the survivor takes the dead instance's tasks, and two fresh JVMs restoring their state from the changelogs
     * on a loaded 2-core machine.
     */
    private static final Duration ROLLOUT_LIMIT = Duration.ofMinutes(6);

    @TempDir
    Path stateDirs;

    @Test
    void killingEitherInstanceMidRolloutLeavesNoGhostSlotAndNeverExceedsMaxUnavailable(EmbeddedCluster cluster) throws Exception {
        String namespace = "it-crash-" + UUID.randomUUID().toString().substring(0, 8);
        Topics topics = cluster.createTopics(namespace);
        Properties client = new ClusterSettings(cluster.config().with(ClusterSettings.TOPIC_NAMESPACE.name(), namespace))
            .clientProperties();
        List<Process> instances = new ArrayList<>();
        int availableAtFirstKill;
        int availableAtSecondKill;

        try (SimulatedNodeAgents agents = new SimulatedNodeAgents(client, topics, APPLY_TIME);
             TopicLog<String, EnactmentEvent> log = new TopicLog<>(client, topics.enactments())) {
            Process first = start(cluster, namespace, "first", instances);
            Process second = start(cluster, namespace, "second", instances);
            publishNodes(client, topics);
            publishPolicy(client, topics);

            await().atMost(ROLLOUT_LIMIT).pollInterval(Duration.ofMillis(200)).until(() -> available(log.poll()) >= NODES / 4);
            kill(first);
            availableAtFirstKill = available(log.poll());
            start(cluster, namespace, "first-again", instances);

            await().atMost(ROLLOUT_LIMIT).pollInterval(Duration.ofMillis(200)).until(() -> available(log.poll()) >= NODES / 2);
            kill(second);
            availableAtSecondKill = available(log.poll());
            start(cluster, namespace, "second-again", instances);

            try {
                await().atMost(ROLLOUT_LIMIT).pollInterval(Duration.ofMillis(500))
                    .until(() -> available(log.poll()) == NODES || agents.failure() != null);
            } catch (ConditionTimeoutException e) {
                logWhereTheRolloutStands(client, topics, log.poll());
                throw e;
            }
            assertThat(agents.failure()).isNull();
            assertThat(availableAtSecondKill).as("the second kill was mid-rollout too").isLessThan(NODES);
            LOG.info("Killed one instance with {} and the other with {} of {} nodes available", availableAtFirstKill,
                availableAtSecondKill, NODES);

            List<EnactmentEvent> events = log.values();
            assertThat(ReconcilerIT.maxProgressingAtOnce(events)).as("nodes applying at once, across both kills")
                .isLessThanOrEqualTo(LIMIT);
            assertThat(events).as("no failure, no abort, no node blamed for the control plane's downtime")
                .noneMatch(e -> e.getPhase() == EnactmentPhase.FAILING || e.getPhase() == EnactmentPhase.ABORTED);
            assertThat(commandIdsByNode(client, topics)).as("one command per node, re-sent under its id after a kill").hasSize(NODES)
                .allSatisfy((node, ids) -> assertThat(ids).hasSize(1));
            assertEverySlotGivenBack(client, topics);
        } finally {
            instances.forEach(RolloutCrashIT::kill);
        }
    }

    /**
     * At the end, as each coordinator last told each node partition and as each partition last told its coordinator: the
     * slots leased to the partition are the slots it gave back, and it uses none.
     */
    private static void assertEverySlotGivenBack(Properties client, Topics topics) {
        Map<Integer, SlotLease> leases = new TreeMap<>();
        Map<Integer, SlotRequest> requests = new TreeMap<>();
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            latestByPartition(client, topics, leases, requests);
            assertThat(requests).as("each node partition's last word").hasSize(topics.nodes().settings().partitions())
                .allSatisfy((partition, request) -> {
                    assertThat(request.holding()).as("slots partition %d uses", partition).isZero();
                    assertThat(request.granted()).as("partition %d heard of every slot leased to it", partition)
                        .isEqualTo(leases.containsKey(partition) ? leases.get(partition).granted() : 0);
                    assertThat(request.returned()).as("partition %d gave back every slot leased to it", partition)
                        .isEqualTo(request.granted());
                });
        });
        LOG.info("Slots leased and given back per partition: {}", requests.values().stream()
            .map(r -> r.partition() + ":" + r.granted() + "/" + r.returned()).collect(Collectors.joining(", ")));
    }

    private static void latestByPartition(Properties client, Topics topics, Map<Integer, SlotLease> leases,
                                          Map<Integer, SlotRequest> requests) {
        try (TopicLog<String, SlotLease> leaseLog = new TopicLog<>(client,
                 topics.slotLeases().withValueSerde(JsonSerde.of(SlotLease.class)));
             TopicLog<String, SlotRequest> requestLog = new TopicLog<>(client,
                 topics.slotRequests().withValueSerde(JsonSerde.of(SlotRequest.class)))) {
            for (int i = 0; i < 10; i++) {
                leaseLog.poll();
                requestLog.poll();
            }
            leaseLog.values().stream().filter(l -> l.policy().equals(POLICY)).forEach(l -> leases.merge(l.partition(), l,
                (a, b) -> b.granted() >= a.granted() ? b : a));
            requestLog.values().stream().filter(r -> r.policy().equals(POLICY)).forEach(r -> requests.put(r.partition(), r));
        }
    }

    /** For a rollout that did not finish: each node's latest phase, and each partition's last slot request and lease. */
    private static void logWhereTheRolloutStands(Properties client, Topics topics, List<ConsumerRecord<String, EnactmentEvent>> records) {
        Map<String, EnactmentEvent> latest = new TreeMap<>();
        records.forEach(r -> latest.put(r.value().getNode(), r.value()));
        Map<EnactmentPhase, Long> byPhase = latest.values().stream()
            .collect(Collectors.groupingBy(EnactmentEvent::getPhase, TreeMap::new, Collectors.counting()));
        LOG.error("Rollout stands at {} of {} nodes with events, by latest phase {}", latest.size(), NODES, byPhase);
        latest.values().stream().filter(e -> e.getPhase() != EnactmentPhase.AVAILABLE).limit(40)
            .forEach(e -> LOG.error("  {} {} {} command {} at {}", e.getNode(), e.getPhase(), e.getReason(), e.getCommandId(),
                e.getTimestamp()));
        Map<Integer, SlotLease> leases = new TreeMap<>();
        Map<Integer, SlotRequest> requests = new TreeMap<>();
        latestByPartition(client, topics, leases, requests);
        requests.forEach((partition, request) -> LOG.error("  partition {}: last request {}; last lease {}", partition, request,
            leases.get(partition)));
    }

    /** A reconciler in a JVM of its own, as a deployment runs it. */
    private Process start(EmbeddedCluster cluster, String namespace, String instance, List<Process> instances) throws IOException {
        Config config = cluster.config();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx384m", "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.nmstream.schemas.avro", "-cp", System.getProperty("java.class.path"),
            ReconcilerMain.class.getName()));
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(ClusterSettings.BOOTSTRAP_SERVERS.name(), config.get(ClusterSettings.BOOTSTRAP_SERVERS));
        settings.put(ClusterSettings.REGISTRY_URL.name(), config.get(ClusterSettings.REGISTRY_URL));
        settings.put(ClusterSettings.TOPIC_REPLICATION.name(), config.get(ClusterSettings.TOPIC_REPLICATION).toString());
        settings.put(ClusterSettings.TOPIC_MIN_INSYNC_REPLICAS.name(), config.get(ClusterSettings.TOPIC_MIN_INSYNC_REPLICAS).toString());
        settings.put(ClusterSettings.TOPIC_NAMESPACE.name(), namespace);
        settings.put(ReconcilerConfig.APPLICATION_ID.name(), "reconciler-" + namespace);
        settings.put(ReconcilerConfig.STATE_DIR.name(), stateDirs.resolve(instance).toString());
        settings.put(ReconcilerConfig.STANDBY_REPLICAS.name(), "0");
        settings.put(ReconcilerConfig.COMMIT_INTERVAL.name(), "50ms");
        // the survivor takes a killed instance's tasks once its session expires: 10 s rather than 45 s
        settings.put("kafka.client.session.timeout.ms", "10000");
        settings.forEach((name, value) -> command.addAll(List.of("--set", name + "=" + value)));
        File output = new File("target/it-logs/" + getClass().getSimpleName() + "-" + namespace + "-" + instance + ".log");
        output.getParentFile().mkdirs();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(output))
            .start();
        instances.add(process);
        LOG.info("Started reconciler instance {} (pid {}), its log in {}", instance, process.pid(), output);
        return process;
    }

    /** SIGKILL: the instance gets no chance to commit, leave its group or hand anything over. */
    private static void kill(Process process) {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void publishNodes(Properties client, Topics topics) throws Exception {
        try (KafkaProducer<String, NodeEvent> producer = KafkaClients.producer(client, topics.nodes(), "it-inventory")) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < NODES; i++) {
                String name = String.format(Locale.ROOT, "node-%04d", i);
                sent.add(producer.send(new ProducerRecord<>(topics.nodes().name(), name, NodeEvent.newBuilder().setName(name)
                    .setLabels(Map.of("node-role.kubernetes.io/worker", "")).setLastSeen(Instant.now()).build())));
            }
            // a registration that is not written would leave its node out of the rollout: fail here, not after 6 minutes
            for (Future<RecordMetadata> registration : sent) {
                registration.get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static void publishPolicy(Properties client, Topics topics) throws Exception {
        PolicyEvent policy = ReconcilerHarness.policy(POLICY, "10%", Map.of("node-role.kubernetes.io/worker", "")).build();
        try (KafkaProducer<String, PolicyEvent> producer = KafkaClients.producer(client, topics.policies(), "it-policies")) {
            producer.send(new ProducerRecord<>(topics.policies().name(), policy.getName(), policy)).get(30, TimeUnit.SECONDS);
        }
    }

    /** Nodes whose latest event is AVAILABLE. */
    private static int available(List<ConsumerRecord<String, EnactmentEvent>> records) {
        Map<String, EnactmentPhase> latest = new LinkedHashMap<>();
        records.forEach(r -> latest.put(r.value().getNode(), r.value().getPhase()));
        return (int) latest.values().stream().filter(p -> p == EnactmentPhase.AVAILABLE).count();
    }

    private static Map<String, Set<String>> commandIdsByNode(Properties client, Topics topics) {
        try (TopicLog<String, DesiredStateCommand> log = new TopicLog<>(client, topics.commands())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> log.poll().size() >= NODES);
            log.poll();
            return log.values().stream().collect(Collectors.groupingBy(DesiredStateCommand::getNode,
                Collectors.mapping(DesiredStateCommand::getCommandId, Collectors.toSet())));
        }
    }
}
