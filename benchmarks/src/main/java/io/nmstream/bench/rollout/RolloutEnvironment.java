package io.nmstream.bench.rollout;

import io.nmstream.bench.Waits;
import io.nmstream.bench.fleet.FleetLauncher;
import io.nmstream.bench.fleet.SimulatedFleet;
import io.nmstream.common.config.Config;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.embedded.EmbeddedCluster;
import io.nmstream.ingest.manifest.ManifestParser;
import io.nmstream.ingest.manifest.PolicyManifest;
import io.nmstream.ingest.publish.PolicyChange;
import io.nmstream.ingest.publish.PolicyPublisher;
import io.nmstream.ingest.publish.PolicySources;
import io.nmstream.reconciler.ReconcilerConfig;
import io.nmstream.reconciler.ReconcilerService;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.identity.NodeSignatures;
import io.nmstream.status.projector.ProjectorSettings;
import io.nmstream.status.projector.StatusProjector;
import io.nmstream.status.projector.StatusSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * nmstream running for one fleet on a real broker, as a user's installation runs: N simulated nodes registered, the
 * reconciler and the status projector running and caught up, a policy publisher (policy-ingest's) and a watch on the
 * status topic.
 *
 * <p>Each {@link #rollout} publishes the next generation of one policy (a new MTU on every node, and the variant's
 * {@code maxUnavailable}) and times it from the publish to the moment the status topic shows the policy's NNCP
 * Available for that generation, as {@code nmstream get nncp -w} shows it. It then waits until the public topics are
 * quiet and counts what each of them received (the baseline moves the same records) and how far each other topic
 * advanced.
 */
public final class RolloutEnvironment implements AutoCloseable {

    /** The policy every rollout publishes a generation of. */
    public static final String POLICY = "bench-mtu";
    /** How long the public topics must stay unwritten before a run counts as finished. */
    private static final Duration QUIET = Duration.ofSeconds(2);
    private static final String MANIFEST = """
        apiVersion: nmstate.io/v1
        kind: NodeNetworkConfigurationPolicy
        metadata:
          name: %s
        spec:
        %s  desiredState:
            interfaces:
            - name: ens8f0np0
              type: ethernet
              state: up
              mtu: %d
              ipv4:
                enabled: true
                dhcp: false
                address:
                - ip: 192.0.2.10
                  prefix-length: 24
        """;

    /**
     * What one rollout measured.
     *
     * @param elapsedNanos from publishing the policy to its NNCP Available in the status topic
     * @param generation the generation published
     * @param census records written to policies, commands, enactments and status, in that order
     * @param others offsets every other topic of the installation advanced by (the rollouts topic, the slot protocol,
     *     Kafka Streams' repartitions and changelogs): records and transaction markers
     * @param details what the status said and counters, for the report
     */
    public record Result(long elapsedNanos, long generation, List<TopicCensus.Count> census, Map<String, Long> others,
                         Map<String, Object> details) {

        public double elapsedMillis() {
            return elapsedNanos / 1e6;
        }
    }

    private final int nodes;
    private final String namespace;
    private final String applicationId;
    private final Topics topics;
    private final ClusterSettings settings;
    private final Config serviceConfig;
    private final Path stateDir;
    private final Duration timeout;
    private final List<AutoCloseable> started = new ArrayList<>();
    private SimulatedFleet fleet;
    private ReconcilerService reconciler;
    private StatusProjector projector;
    private PolicyPublisher publisher;
    private PolicyAvailability availability;
    private KafkaConsumer<byte[], byte[]> offsetReader;
    private int rollouts;

    private RolloutEnvironment(EmbeddedCluster cluster, Map<String, String> serviceSettings, int nodes, String namespace,
                               Duration timeout) {
        this.nodes = nodes;
        this.namespace = namespace;
        this.timeout = timeout;
        this.topics = cluster.createTopics(namespace);
        Config config = cluster.config().with(ClusterSettings.TOPIC_NAMESPACE.name(), namespace);
        this.settings = new ClusterSettings(config);
        this.applicationId = namespace + "-reconciler";
        this.stateDir = temporaryDirectory(namespace);
        Config services = config.with(ReconcilerConfig.APPLICATION_ID.name(), applicationId)
            .with(ReconcilerConfig.STATE_DIR.name(), stateDir.toString())
            .with(ReconcilerConfig.STANDBY_REPLICAS.name(), "0");
        for (Map.Entry<String, String> setting : serviceSettings.entrySet()) {
            services = services.with(setting.getKey(), setting.getValue());
        }
        this.serviceConfig = services;
    }

    /**
     * Starts nmstream for {@code nodes} simulated nodes under topic namespace {@code namespace} and waits until every
     * part has read what is already there, so that a rollout's clock times the rollout only.
     *
     * @param serviceSettings settings of the reconciler and the projector beyond the bench's own; they win over the bench's
     * @param sinks also get every status the projector publishes
     */
    public static RolloutEnvironment start(EmbeddedCluster cluster, FleetLauncher fleets, Map<String, String> serviceSettings, int nodes,
                                           String namespace, List<StatusSink> sinks, Duration timeout) throws InterruptedException {
        RolloutEnvironment environment = new RolloutEnvironment(cluster, serviceSettings, nodes, namespace, timeout);
        try {
            environment.startServices(cluster, fleets, sinks);
        } catch (RuntimeException | InterruptedException e) {
            environment.close();
            throw e;
        }
        return environment;
    }

    private void startServices(EmbeddedCluster cluster, FleetLauncher fleets, List<StatusSink> sinks) throws InterruptedException {
        offsetReader = remember(new KafkaConsumer<>(settings.clientProperties(), new ByteArrayDeserializer(), new ByteArrayDeserializer()));
        Waits.untilTopicsKnown(offsetReader, topics, timeout);
        fleet = remember(fleets.start(settings, topics, nodes));
        reconciler = remember(ReconcilerService.start(settings, ReconcilerConfig.from(serviceConfig), cluster.registryClient()));
        projector = remember(StatusProjector.start(serviceConfig.with(ProjectorSettings.CLIENT_ID.name(), namespace + "-status"), topics,
            sinks));
        publisher = remember(PolicyPublisher.connect(settings, Duration.ofSeconds(60), namespace + "-ingest"));
        availability = remember(new PolicyAvailability(settings.clientProperties(), topics.status(), namespace + "-watch", timeout));
        fleet.awaitReady(timeout);
        reconciler.awaitInventoryRead(timeout);
        if (!projector.awaitCaughtUp(timeout)) {
            throw new IllegalStateException("Status projector did not catch up within " + timeout);
        }
        publisher.published();
    }

    /** {@code count} per node of the fleet, to two decimals. */
    private double perNode(long count) {
        return Math.round(count * 100.0 / nodes) / 100.0;
    }

    private <T extends AutoCloseable> T remember(T part) {
        started.add(part);
        return part;
    }

    /** Publishes the policy's next generation with {@code variant}'s maxUnavailable and times it to NNCP Available. */
    public Result rollout(RolloutVariant variant) throws InterruptedException {
        rollouts++;
        List<String> publicTopics = List.of(topics.policies().name(), topics.commands().name(), topics.enactments().name(),
            topics.status().name());
        Set<String> otherTopicNames = new TreeSet<>(otherTopics(publicTopics));
        Map<TopicPartition, Long> before = TopicCensus.endOffsets(settings.clientProperties(),
            Stream.concat(publicTopics.stream(), otherTopicNames.stream()).toList(), timeout);
        PolicyManifest manifest = manifest(variant, mtu(rollouts));
        availability.skipToEnd();
        NodeSignatures.Work signaturesBefore = NodeSignatures.work();

        long startedAt = System.nanoTime();
        List<PolicyChange> changes = publisher.apply(List.of(manifest), PolicySources.cli("bench", "nmstream-bench"), false);
        long generation = changes.get(0).event().getGeneration();
        PolicyAvailability.Seen seen = availability.awaitAvailable(POLICY, generation, nodes, timeout, this::checkRunning);
        long elapsed = seen.availableAtNanos() - startedAt;

        Waits.untilQuiet("the public topics", QUIET, timeout, () -> endOffsetSum(publicTopics));
        // the fleet, the reconciler and the projector run in this process: the count is the whole rollout's
        NodeSignatures.Work signatures = NodeSignatures.work().since(signaturesBefore);
        otherTopicNames.addAll(otherTopics(publicTopics));
        List<TopicCensus.Count> census = TopicCensus.count(settings.clientProperties(), publicTopics, before, timeout);
        Map<String, Long> others = TopicCensus.offsetsAdvanced(settings.clientProperties(), List.copyOf(otherTopicNames), before,
            timeout);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("generation", generation);
        details.put("nncpAvailableMessage", seen.message());
        details.put("nncpAvailableBeforeWholeFleet", seen.availableBeforeFleet());
        details.put("signaturesMadePerNode", perNode(signatures.signaturesMade()));
        details.put("signatureVerificationsComputedPerNode", perNode(signatures.verificationsComputed()));
        return new Result(elapsed, generation, census, others, details);
    }

    /** The fleet, the reconciler's settings and the partitions, for the report. */
    public Map<String, Object> description() {
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("fleet", fleet.implementation());
        description.put("reconciler", Map.of("applicationId", applicationId,
            "threads", serviceConfig.get(ReconcilerConfig.THREADS),
            "commitInterval", serviceConfig.get(ReconcilerConfig.COMMIT_INTERVAL).toString(),
            "standbyReplicas", 0));
        description.put("partitions", topics.commands().settings().partitions());
        description.put("statusesPublished", projector.statusesPublished());
        return description;
    }

    /** Statuses the projector has published so far. */
    public long statusesPublished() {
        return projector.statusesPublished();
    }

    static PolicyManifest manifest(RolloutVariant variant, int mtu) {
        String text = String.format(Locale.ROOT, MANIFEST, POLICY, variant.manifestLine(), mtu);
        ManifestParser.Result parsed = new ManifestParser().parse("bench policy", text);
        if (!parsed.valid()) {
            throw new IllegalStateException("The bench policy does not validate: " + parsed.problems());
        }
        return parsed.policies().get(0);
    }

    /** A different MTU for every rollout, so that every node really applies each generation. */
    static int mtu(int rollout) {
        return 8000 + rollout % 1000;
    }

    private void checkRunning() {
        if (reconciler.failed() || projector.failure() != null) {
            throw new IllegalStateException("The rollout stopped: reconciler " + reconciler.state() + ", projector failure "
                + projector.failure());
        }
    }

    /**
     * Every topic of this installation other than the four the baseline moves and the inventory: the rollouts topic (one
     * record per generation), the slot protocol, Kafka Streams' repartitions and changelogs.
     */
    private List<String> otherTopics(List<String> publicTopics) {
        Set<String> excluded = new TreeSet<>(publicTopics);
        excluded.add(topics.nodes().name());
        excluded.add(topics.nodeStates().name());
        excluded.add(topics.deadLetters().name());
        excluded.add(topics.registrySchemas().name());
        try (Admin admin = Admin.create(settings.clientProperties())) {
            return admin.listTopics().names().get().stream()
                .filter(name -> name.startsWith(applicationId + "-") || name.startsWith(namespace + "."))
                .filter(name -> !excluded.contains(name)).sorted().toList();
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot list the topics of " + namespace + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    private long endOffsetSum(List<String> topicNames) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topicNames) {
            offsetReader.partitionsFor(topic, timeout).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        return offsetReader.endOffsets(partitions, timeout).values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                // closing the rest matters more; a part that does not close cleanly does not change what was measured
            }
        }
        deleteRecursively(stateDir);
    }

    private static Path temporaryDirectory(String namespace) {
        try {
            return Files.createTempDirectory("nmstream-bench-" + namespace + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the reconciler's state directory", e);
        }
    }

    static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }
}
