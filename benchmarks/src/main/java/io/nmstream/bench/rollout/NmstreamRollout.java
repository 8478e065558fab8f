package io.nmstream.bench.rollout;

import io.nmstream.bench.Waits;
import io.nmstream.bench.fleet.FleetLauncher;
import io.nmstream.bench.fleet.SimulatedFleet;
import io.nmstream.common.config.Config;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.embedded.EmbeddedCluster;
import io.nmstream.ingest.manifest.ManifestParser;
import io.nmstream.ingest.manifest.PolicyManifest;
import io.nmstream.ingest.publish.PolicyPublisher;
import io.nmstream.ingest.publish.PolicySources;
import io.nmstream.reconciler.ReconcilerConfig;
import io.nmstream.reconciler.ReconcilerService;
import io.nmstream.schemas.Topics;
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
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;

/**
 * One nmstream rollout, end to end on a real broker: N simulated nodes registered, the reconciler and the status
 * projector running and caught up, then one policy (maxUnavailable 100% unless told otherwise) published through policy-ingest, timed until
 * the projection shows every NNCE Available. Afterwards it counts what each topic received, which shapes the baseline.
 */
public final class NmstreamRollout {

    /** The policy every rollout publishes: one interface, MTU and a static address, on every node. */
    public static final String POLICY = "bench-mtu";
    /** The maxUnavailable that holds no node back. */
    public static final String UNLIMITED = "100%";
    static final String MANIFEST = """
        apiVersion: nmstate.io/v1
        kind: NodeNetworkConfigurationPolicy
        metadata:
          name: bench-mtu
        spec:
          maxUnavailable: "%s"
          desiredState:
            interfaces:
            - name: ens8f0np0
              type: ethernet
              state: up
              mtu: 9000
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
     * @param elapsedNanos from publishing the policy to the last NNCE Available in the projection
     * @param census records written to policies, commands, enactments and status, in that order
     * @param internal records of the reconciler's internal topics (repartitions, changelogs), for the report only
     * @param details settings and counters for the report
     */
    public record Result(long elapsedNanos, List<TopicCensus.Count> census, List<TopicCensus.Count> internal, Map<String, Object> details) {

        public double elapsedMillis() {
            return elapsedNanos / 1e6;
        }
    }

    private final EmbeddedCluster cluster;
    private final FleetLauncher fleets;
    private final Map<String, String> serviceSettings;
    private final Duration timeout;
    private final String maxUnavailable;

    /**
     * @param serviceSettings settings of the reconciler and the projector beyond the bench's own (e.g.
     *     {@code reconciler.threads}); they win over the bench's
     */
    public NmstreamRollout(EmbeddedCluster cluster, FleetLauncher fleets, Map<String, String> serviceSettings, Duration timeout) {
        this(cluster, fleets, serviceSettings, timeout, UNLIMITED);
    }

    /** A rollout of a policy with {@code maxUnavailable} ({@code "100%"}, {@code "50%"}, {@code "3"}, ...). */
    public NmstreamRollout(EmbeddedCluster cluster, FleetLauncher fleets, Map<String, String> serviceSettings, Duration timeout,
                           String maxUnavailable) {
        this.cluster = cluster;
        this.fleets = fleets;
        this.serviceSettings = Map.copyOf(serviceSettings);
        this.timeout = timeout;
        this.maxUnavailable = maxUnavailable;
    }

    /** What to do once the rollout is complete and settled, while every service still runs. */
    @FunctionalInterface
    public interface AfterRollout {
        void run() throws InterruptedException;
    }

    /** Runs one rollout to {@code nodes} nodes under topic namespace {@code namespace}; {@code sinks} also get every status. */
    public Result run(int nodes, String namespace, List<StatusSink> sinks) throws InterruptedException {
        return run(nodes, namespace, sinks, () -> {
        });
    }

    /** As {@link #run(int, String, List)}, then {@code after} before the services stop. */
    public Result run(int nodes, String namespace, List<StatusSink> sinks, AfterRollout after) throws InterruptedException {
        Topics topics = cluster.createTopics(namespace);
        Config config = cluster.config().with(ClusterSettings.TOPIC_NAMESPACE.name(), namespace);
        ClusterSettings settings = new ClusterSettings(config);
        String applicationId = namespace + "-reconciler";
        Path stateDir = temporaryDirectory(namespace);
        Config serviceConfig = config.with(ReconcilerConfig.APPLICATION_ID.name(), applicationId)
            .with(ReconcilerConfig.STATE_DIR.name(), stateDir.toString())
            .with(ReconcilerConfig.STANDBY_REPLICAS.name(), "0");
        for (Map.Entry<String, String> setting : serviceSettings.entrySet()) {
            serviceConfig = serviceConfig.with(setting.getKey(), setting.getValue());
        }
        AvailableEnactments done = new AvailableEnactments(POLICY, nodes);
        List<StatusSink> allSinks = new ArrayList<>(sinks);
        allSinks.add(done);
        PolicyManifest manifest = manifest(maxUnavailable);
        Map<String, Object> details = new LinkedHashMap<>();
        long started;
        try (SimulatedFleet fleet = fleets.start(settings, topics, nodes);
             ReconcilerService reconciler = ReconcilerService.start(settings, ReconcilerConfig.from(serviceConfig),
                 cluster.registryClient());
             StatusProjector projector = StatusProjector.start(
                 serviceConfig.with(ProjectorSettings.CLIENT_ID.name(), namespace + "-status"), topics, allSinks);
             PolicyPublisher publisher = PolicyPublisher.connect(settings, Duration.ofSeconds(60), namespace + "-ingest")) {
            fleet.awaitReady(timeout);
            awaitInventoryRead(settings, reconciler, applicationId, topics);
            if (!projector.awaitCaughtUp(timeout)) {
                throw new IllegalStateException("Status projector did not catch up within " + timeout);
            }
            publisher.published();

            started = System.nanoTime();
            publisher.apply(List.of(manifest), PolicySources.cli("bench", "nmstream-bench"), false);
            Waits.until("every NNCE to be Available", timeout, () -> {
                if (reconciler.failed() || projector.failure() != null) {
                    throw new IllegalStateException("The rollout stopped: reconciler " + reconciler.state() + ", projector failure "
                        + projector.failure());
                }
                return done.isComplete();
            });
            if (!done.await(0)) {
                throw new IllegalStateException("Rollout to " + nodes + " nodes not Available within " + timeout + ": "
                    + done.availableCount() + " NNCEs Available, " + fleet.commandsAnswered() + " commands answered"
                    + (projector.failure() == null ? "" : ", projector failed: " + projector.failure()));
            }
            long elapsed = done.completedAtNanos() - started;
            Waits.untilQuiet("the status projection", Duration.ofSeconds(2), timeout, projector::statusesPublished);
            after.run();
            details.put("fleet", fleet.implementation());
            details.put("commandsAnswered", fleet.commandsAnswered());
            details.put("statusesPublished", projector.statusesPublished());
            details.put("reconciler", Map.of("applicationId", applicationId,
                "threads", serviceConfig.get(ReconcilerConfig.THREADS),
                "commitInterval", serviceConfig.get(ReconcilerConfig.COMMIT_INTERVAL).toString(),
                "standbyReplicas", 0));
            details.put("partitions", topics.commands().settings().partitions());
            List<TopicCensus.Count> census = TopicCensus.count(settings.clientProperties(), List.of(topics.policies().name(),
                topics.commands().name(), topics.enactments().name(), topics.status().name()), timeout);
            List<TopicCensus.Count> internal = TopicCensus.count(settings.clientProperties(), internalTopics(settings, applicationId),
                timeout);
            return new Result(elapsed, census, internal, details);
        } finally {
            deleteRecursively(stateDir);
        }
    }

    static PolicyManifest manifest(String maxUnavailable) {
        ManifestParser.Result parsed = new ManifestParser().parse("bench policy", MANIFEST.formatted(maxUnavailable));
        if (!parsed.valid()) {
            throw new IllegalStateException("The bench policy does not validate: " + parsed.problems());
        }
        return parsed.policies().get(0);
    }

    /** Waits until the reconciler runs and has committed past every node registration, so the clock times the rollout only. */
    private void awaitInventoryRead(ClusterSettings settings, ReconcilerService reconciler, String applicationId, Topics topics)
        throws InterruptedException {
        try (Admin admin = Admin.create(settings.clientProperties())) {
            Waits.until("the reconciler to read the node inventory", timeout, () -> {
                if (reconciler.failed()) {
                    throw new IllegalStateException("The reconciler stopped while reading the node inventory: " + reconciler.state());
                }
                if (reconciler.state() != KafkaStreams.State.RUNNING) {
                    return false;
                }
                try {
                    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                        .partitionsToOffsetAndMetadata().get();
                    Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
                    admin.describeTopics(List.of(topics.nodes().name())).allTopicNames().get().get(topics.nodes().name()).partitions()
                        .forEach(p -> latest.put(new TopicPartition(topics.nodes().name(), p.partition()), OffsetSpec.latest()));
                    var ends = admin.listOffsets(latest).all().get();
                    return ends.entrySet().stream().allMatch(e -> e.getValue().offset() == 0
                        || committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() >= e.getValue().offset());
                } catch (ExecutionException e) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            });
        }
    }

    private List<String> internalTopics(ClusterSettings settings, String applicationId) {
        try (Admin admin = Admin.create(settings.clientProperties())) {
            return admin.listTopics().names().get().stream().filter(name -> name.startsWith(applicationId + "-")).sorted().toList();
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot list the reconciler's internal topics: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
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
