package io.nmstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nmstream.common.config.Config;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.kafka.TopicBootstrapper;
import io.nmstream.embedded.LoopbackPorts;
import io.nmstream.embedded.registry.EmbeddedSchemaRegistry;
import io.nmstream.executor.agent.NodePartitioner;
import io.nmstream.executor.simulated.FailureRules;
import io.nmstream.executor.simulated.SimulatedFleet;
import io.nmstream.ingest.manifest.ManifestParser;
import io.nmstream.ingest.publish.PolicyPublisher;
import io.nmstream.ingest.publish.PolicySources;
import io.nmstream.reconciler.ReconcilerConfig;
import io.nmstream.reconciler.ReconcilerMain;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.status.projector.ProjectorSettings;
import io.nmstream.status.projector.StatusProjectorMain;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rollout on a real distributed setup: three Kafka brokers (one KRaft quorum; nmstream's topics replicated three
 * times, two in sync), two reconciler instances and two status projectors, each in its own JVM, and a simulated fleet
 * of 2,000 nodes. In the middle of a {@code maxUnavailable: 10%} rollout the broker that coordinates the reconcilers'
 * group and one reconciler instance are killed with SIGKILL: the other instance takes over the killed one's tasks (it
 * holds standby replicas of their state), the rollout finishes with one result per node and never more than the limit
 * applying at once (both read from the enactment log), and both projectors show the policy Available.
 *
 * <p>The brokers are the embedded ones (three KRaft nodes in child JVMs); with {@code -Pdocker-kafka} and Docker present
 * they are {@code apache/kafka} containers instead (see {@link KafkaBrokers}). The logs of every broker, reconciler and
 * projector are kept in {@code target/it-logs/broker-and-reconciler-loss}.
 */
class BrokerAndReconcilerLossIT {

    private static final String TEST = "broker-and-reconciler-loss";
    private static final int NODES = 2000;
    private static final int LIMIT = NODES / 10;
    private static final String POLICY = "uplink-mtu";
    private static final String MANIFEST = """
        apiVersion: nmstate.io/v1
        kind: NodeNetworkConfigurationPolicy
        metadata:
          name: uplink-mtu
        spec:
          nodeSelector:
            node-role.kubernetes.io/worker: ""
          maxUnavailable: "10%"
          desiredState:
            interfaces:
            - name: ens8f0np0
              type: ethernet
              state: up
              mtu: 9000
        """;
    private static final String NAMESPACE = "failover";
    private static final String RECONCILER_GROUP = "failover-reconciler";
    /**
     * How long a dead reconciler instance stays in the group: its tasks move to the survivor only after this. Kafka's
     * default (45 s) would dominate the recovery measured here; a deployment that wants fast fail-over sets it the same.
     */
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(10);
    /**
     * Only guards against a hung rollout, never a performance check: on the loaded 2-core build machine the rollout
     * takes one to three minutes.
     */
    private static final Duration ROLLOUT_GUARD = Duration.ofMinutes(8);

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void rolloutFinishesWithinItsLimitWhenABrokerAndAReconcilerInstanceAreKilledMidway() throws Exception {
        Path logs = ServiceProcesses.logDir(TEST);
        try (KafkaBrokers brokers = KafkaBrokers.three(logs);
             EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(bootstrap(brokers),
                 Topics.registrySchemasIn(NAMESPACE, (short) 3).name(), 0);
             ServiceProcesses services = new ServiceProcesses(TEST)) {
            Config config = Config.of(Map.of(
                ClusterSettings.BOOTSTRAP_SERVERS.name(), brokers.bootstrapServers(),
                ClusterSettings.REGISTRY_URL.name(), registry.url(),
                ClusterSettings.TOPIC_NAMESPACE.name(), NAMESPACE,
                ClusterSettings.TOPIC_REPLICATION.name(), "3",
                ClusterSettings.TOPIC_MIN_INSYNC_REPLICAS.name(), "2"));
            ClusterSettings settings = new ClusterSettings(config);
            Topics topics = settings.topics(settings.registryClient());
            try (Admin admin = Admin.create(settings.clientProperties())) {
                new TopicBootstrapper(admin, settings).ensure(topics.all());
                assertReplicatedThreeTimesTwoInSync(admin, topics.enactments().name());

                Process reconcilerA = services.start("reconciler-a", ReconcilerMain.class, "384m", reconcilerSettings(config, "a"));
                Process reconcilerB = services.start("reconciler-b", ReconcilerMain.class, "384m", reconcilerSettings(config, "b"));
                int statusPortA = LoopbackPorts.free();
                int statusPortB = LoopbackPorts.free();
                Process projectorA = services.start("projector-a", StatusProjectorMain.class, "384m",
                    projectorSettings(config, "status-a", statusPortA));
                Process projectorB = services.start("projector-b", StatusProjectorMain.class, "384m",
                    projectorSettings(config, "status-b", statusPortB));

                try (SimulatedFleet fleet = SimulatedFleet.start(settings, new SimulatedFleet.Options(NODES, "sim-",
                         Map.of("node-role.kubernetes.io/worker", ""), FailureRules.none(), Duration.ofMillis(200),
                         SimulatedFleet.defaultAgentSettings()));
                     PolicyPublisher publisher = PolicyPublisher.connect(settings, Duration.ofSeconds(60), "failover-ingest");
                     RolloutLog log = new RolloutLog(settings, topics, "failover-audit")) {
                    int assigned = awaitGroup(admin, 2);
                    publisher.apply(List.of(new ManifestParser().parse("uplink-mtu.yaml", MANIFEST).policies().get(0)),
                        PolicySources.cli("it", "failover-it"), false);
                    await().atMost(ROLLOUT_GUARD).pollInterval(Duration.ofMillis(200)).until(() -> log.available(POLICY) >= NODES / 4);

                    int coordinator = admin.describeConsumerGroups(List.of(RECONCILER_GROUP)).describedGroups().get(RECONCILER_GROUP)
                        .get().coordinator().id();
                    String killedBroker = brokers.kill(coordinator);
                    ServiceProcesses.kill(reconcilerA);
                    long killedAt = System.nanoTime();
                    int availableAtKill = log.available(POLICY);
                    assertThat(availableAtKill).as("killed mid-rollout").isLessThan(NODES);
                    Set<String> sentBeforeKill = log.commandsUpToNow().stream().map(c -> c.command().getCommandId())
                        .collect(Collectors.toSet());
                    Set<Integer> waitingPartitions = partitionsOfNodesWithoutCommand(log, topics, fleet.nodes());

                    await().atMost(ROLLOUT_GUARD).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                        .until(() -> survivorHoldsEveryTask(admin, assigned));
                    double takeover = secondsSince(killedAt);
                    await().atMost(ROLLOUT_GUARD).pollInterval(Duration.ofMillis(200))
                        .until(() -> partitionsWithNewCommands(log, sentBeforeKill).containsAll(waitingPartitions));
                    double resumed = secondsSince(killedAt);
                    await().atMost(ROLLOUT_GUARD).pollInterval(Duration.ofMillis(500)).until(() -> log.available(POLICY) == NODES);
                    double finished = secondsSince(killedAt);
                    System.out.printf(Locale.ROOT, "Killed %s (the reconcilers' group coordinator) and reconciler instance a with %d/%d "
                            + "nodes available: the other instance held every task %.1f s after the kill (session timeout %d s), "
                            + "every partition with nodes waiting got new commands %.1f s after it, the rollout finished %.1f s "
                            + "after it%n", killedBroker, availableAtKill, NODES, takeover, SESSION_TIMEOUT.toSeconds(), resumed,
                        finished);

                    List<EnactmentEvent> events = log.settled();
                    Set<String> nodes = new HashSet<>(fleet.nodes());
                    int ledgerAnswers = RolloutLog.assertOneFinalResultPerNode(events, POLICY, 1, nodes);
                    RolloutLog.assertOneCommandPerNode(log.commands(), POLICY, 1, nodes);
                    assertThat(RolloutLog.maxApplyingAtOnce(events)).as("nodes applying at once, across the kills")
                        .isLessThanOrEqualTo(LIMIT);
                    System.out.printf(Locale.ROOT, "%d results were answered again from a node's ledger; at most %d nodes applied at once "
                        + "(limit %d)%n", ledgerAnswers, RolloutLog.maxApplyingAtOnce(events), LIMIT);
                    for (int port : List.of(statusPortA, statusPortB)) {
                        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                            .untilAsserted(() -> assertThat(availableCondition(port)).as("projector on port %d", port)
                                .isEqualTo("True " + NODES + "/" + NODES + " nodes successfully configured"));
                    }
                    assertThat(List.of(reconcilerB, projectorA, projectorB)).as("the survivors still run").allMatch(Process::isAlive);
                }
            }
        }
    }

    private static Properties bootstrap(KafkaBrokers brokers) {
        Properties props = new Properties();
        props.put("bootstrap.servers", brokers.bootstrapServers());
        return props;
    }

    private Map<String, String> reconcilerSettings(Config config, String instance) {
        Map<String, String> settings = clusterSettings(config);
        settings.put(ReconcilerConfig.APPLICATION_ID.name(), RECONCILER_GROUP);
        settings.put(ReconcilerConfig.STATE_DIR.name(), work.resolve("reconciler-" + instance).toString());
        settings.put(ReconcilerConfig.STANDBY_REPLICAS.name(), "1");
        settings.put("kafka.client.session.timeout.ms", Long.toString(SESSION_TIMEOUT.toMillis()));
        return settings;
    }

    private static Map<String, String> projectorSettings(Config config, String clientId, int httpPort) {
        Map<String, String> settings = clusterSettings(config);
        settings.put(ProjectorSettings.CLIENT_ID.name(), clientId);
        settings.put(ProjectorSettings.HTTP_PORT.name(), Integer.toString(httpPort));
        return settings;
    }

    private static Map<String, String> clusterSettings(Config config) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (var setting : List.of(ClusterSettings.BOOTSTRAP_SERVERS, ClusterSettings.REGISTRY_URL, ClusterSettings.TOPIC_NAMESPACE)) {
            settings.put(setting.name(), config.get(setting));
        }
        settings.put(ClusterSettings.TOPIC_REPLICATION.name(), config.get(ClusterSettings.TOPIC_REPLICATION).toString());
        settings.put(ClusterSettings.TOPIC_MIN_INSYNC_REPLICAS.name(), config.get(ClusterSettings.TOPIC_MIN_INSYNC_REPLICAS).toString());
        return settings;
    }

    private static void assertReplicatedThreeTimesTwoInSync(Admin admin, String topic) throws Exception {
        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        assertThat(description.partitions()).allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        assertThat(admin.describeConfigs(List.of(resource)).all().get().get(resource).get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value())
            .isEqualTo("2");
    }

    /**
     * Waits until the reconcilers' group is stable with {@code members} members, each with tasks.
     *
     * @return how many partitions the members hold together
     */
    private static int awaitGroup(Admin admin, int members) {
        int[] assigned = {0};
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
            ConsumerGroupDescription group = reconcilerGroup(admin);
            assigned[0] = group.members().stream().mapToInt(m -> m.assignment().topicPartitions().size()).sum();
            return group.groupState() == GroupState.STABLE && group.members().size() == members
                && group.members().stream().map(MemberDescription::assignment).allMatch(a -> !a.topicPartitions().isEmpty());
        });
        return assigned[0];
    }

    /** Whether one instance is left in the group and holds every partition the two held. */
    private static boolean survivorHoldsEveryTask(Admin admin, int assigned) throws Exception {
        ConsumerGroupDescription group = reconcilerGroup(admin);
        return group.groupState() == GroupState.STABLE && group.members().size() == 1
            && group.members().iterator().next().assignment().topicPartitions().size() == assigned;
    }

    private static ConsumerGroupDescription reconcilerGroup(Admin admin) throws Exception {
        return admin.describeConsumerGroups(List.of(RECONCILER_GROUP)).describedGroups().get(RECONCILER_GROUP).get();
    }

    /** The commands partitions of the nodes that had no command yet: their reconciler tasks must resume. */
    private static Set<Integer> partitionsOfNodesWithoutCommand(RolloutLog log, Topics topics, List<String> nodes) {
        Set<String> commanded = log.commands().stream().map(c -> c.command().getNode()).collect(Collectors.toSet());
        int partitions = topics.commands().settings().partitions();
        return nodes.stream().filter(n -> !commanded.contains(n))
            .map(n -> NodePartitioner.partitionFor(n, topics.commands(), partitions)).collect(Collectors.toSet());
    }

    /** The commands partitions that got a command not sent before the kill. */
    private static Set<Integer> partitionsWithNewCommands(RolloutLog log, Set<String> sentBeforeKill) {
        log.poll();
        return log.commands().stream().filter(c -> !sentBeforeKill.contains(c.command().getCommandId()))
            .map(RolloutLog.Command::partition).collect(Collectors.toSet());
    }

    /** The policy's Available condition as a projector's HTTP status view shows it: status and message. */
    private static String availableCondition(int port) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/status/nncp/" + POLICY)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
        for (JsonNode condition : JSON.readTree(response.body()).path("status").path("conditions")) {
            if ("Available".equals(condition.path("type").asText())) {
                return condition.path("status").asText() + " " + condition.path("message").asText();
            }
        }
        return "(no Available condition) " + response.body();
    }

    private static double secondsSince(long nanos) {
        return (System.nanoTime() - nanos) / 1e9;
    }
}
