package io.nmstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nmstream.common.config.Config;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.embedded.EmbeddedCluster;
import io.nmstream.embedded.junit.EmbeddedClusterExtension;
import io.nmstream.executor.NodeExecutorMain;
import io.nmstream.executor.agent.NodeAgentSettings;
import io.nmstream.executor.nm.NetworkManagerBackend;
import io.nmstream.executor.sandbox.NetworkManagerSandbox;
import io.nmstream.executor.simulated.FailureRules;
import io.nmstream.executor.simulated.SimulatedFleet;
import io.nmstream.ingest.manifest.ManifestParser;
import io.nmstream.ingest.publish.PolicyPublisher;
import io.nmstream.ingest.publish.PolicySources;
import io.nmstream.reconciler.ReconcilerConfig;
import io.nmstream.reconciler.ReconcilerMain;
import io.nmstream.reconciler.ReconcilerService;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * One process of a running system killed with SIGKILL in the middle of a {@code maxUnavailable: 10%} rollout and started
 * again, the rest left running: the reconciler alone (down for longer than the command timeout, so that every command
 * it had in flight passes its deadline while nobody watches), or a real node agent alone (killed between its
 * NetworkManager checkpoint and the commit). Either way the rollout finishes, every node with exactly one final result
 * for the generation, never more nodes applying at once than the limit (read from the enactment log), nothing left
 * Pending or Progressing, and no node failed for the control plane's downtime.
 */
@ExtendWith(EmbeddedClusterExtension.class)
class ProcessKillIT {

    private static final String POLICY = "worker-mtu";
    private static final String MANIFEST = """
        apiVersion: nmstate.io/v1
        kind: NodeNetworkConfigurationPolicy
        metadata:
          name: worker-mtu
        spec:
          nodeSelector:
            node-role.kubernetes.io/worker: ""
          maxUnavailable: 10%
          desiredState:
            interfaces:
              - name: ens8f0np0
                type: ethernet
                state: up
                mtu: 9000
        """;
    private static final Map<String, String> WORKER = Map.of("node-role.kubernetes.io/worker", "");
    /** Guards against a hung rollout or a service that never starts, never a performance check. */
    private static final Duration GUARD = Duration.ofMinutes(4);

    @TempDir
    Path work;

    @Test
    void rolloutFinishesWhenTheReconcilerIsKilledAndRestartedAfterItsCommandsPassedTheirDeadline(EmbeddedCluster cluster)
        throws Exception {
        int nodes = 200;
        int limit = nodes / 10;
        Duration commandTimeout = Duration.ofSeconds(20);
        Config config = namespaced(cluster, "reconciler-kill");
        ClusterSettings settings = new ClusterSettings(config);
        Topics topics = cluster.createTopics(config.get(ClusterSettings.TOPIC_NAMESPACE));
        Map<String, String> reconciler = reconcilerSettings(config, commandTimeout);
        try (ServiceProcesses services = new ServiceProcesses("process-kill-reconciler");
             SimulatedFleet fleet = SimulatedFleet.start(settings, new SimulatedFleet.Options(nodes, "sim-", WORKER, FailureRules.none(),
                 Duration.ofSeconds(1), keptAgents(work.resolve("fleet"))));
             PolicyPublisher publisher = PolicyPublisher.connect(settings, Duration.ofSeconds(60), "reconciler-kill-ingest");
             RolloutLog log = new RolloutLog(settings, topics, "reconciler-kill-audit")) {
            Process first = services.start("reconciler-first", ReconcilerMain.class, "384m", reconciler);
            apply(publisher);
            // the nodes all take the same time, so commands go out in waves: kill while a wave is out, not between two
            await().atMost(GUARD).pollInterval(Duration.ofMillis(100))
                .until(() -> log.available(POLICY) >= nodes / 5 && !unanswered(log).isEmpty());

            Set<String> membersAtKill = staticMembers(settings, reconciler.get(ReconcilerConfig.APPLICATION_ID.name()));
            ServiceProcesses.kill(first);
            int availableAtKill = log.available(POLICY);
            assertThat(availableAtKill).as("killed mid-rollout").isLessThan(nodes);
            Set<String> inFlightAtKill = unanswered(log);
            assertThat(inFlightAtKill).as("commands in flight at the kill").isNotEmpty();
            // every command in flight at the kill passes its deadline before a reconciler runs again
            Thread.sleep(commandTimeout.plusSeconds(5).toMillis());

            long restarted = System.nanoTime();
            Set<String> sentBefore = log.commandsUpToNow().stream().map(c -> c.command().getCommandId()).collect(Collectors.toSet());
            services.start("reconciler-second", ReconcilerMain.class, "384m", reconciler);
            await().atMost(GUARD).pollInterval(Duration.ofMillis(200)).until(() -> {
                log.poll();
                return log.commands().stream().anyMatch(c -> !sentBefore.contains(c.command().getCommandId()));
            });
            double resumed = (System.nanoTime() - restarted) / 1e9;
            assertThat(staticMembers(settings, reconciler.get(ReconcilerConfig.APPLICATION_ID.name())))
                .as("the restarted reconciler took its place in the group back under its name, without waiting for the killed "
                    + "process's session to expire").isEqualTo(membersAtKill).isNotEmpty();
            await().atMost(GUARD).pollInterval(Duration.ofMillis(200)).until(() -> log.available(POLICY) == nodes);
            double finished = (System.nanoTime() - restarted) / 1e9;
            assertRolloutKeptItsGuarantees(log, new HashSet<>(fleet.nodes()), limit);
            Set<String> resentIds = log.commands().stream()
                .collect(Collectors.groupingBy(c -> c.command().getCommandId(), Collectors.counting()))
                .entrySet().stream().filter(copies -> copies.getValue() > 1).map(Map.Entry::getKey).collect(Collectors.toSet());
            int resent = resentIds.size();
            System.out.printf(Locale.ROOT, "Reconciler killed with %d/%d nodes available and %d commands in flight, restarted %d s later "
                    + "(command timeout %d s); it re-sent %d of them: new commands %.1f s after the restart, all %d available %.1f s "
                    + "after it%n", availableAtKill, nodes, inFlightAtKill.size(), commandTimeout.plusSeconds(5).toSeconds(),
                commandTimeout.toSeconds(), resent, resumed, nodes, finished);
            // every command in flight at the kill ended with its node's answer and none was failed for the deadline that
            // passed while no reconciler ran (assertRolloutKeptItsGuarantees). What the restarted reconciler re-sends depends
            // on where its last commit was: a command whose answer the killed instance had read but not yet committed is
            // unanswered in the restored state, and may be re-sent before the answer is read again; its node answers the
            // copy from its ledger without touching the host (checked above: only ledger answers follow an outcome).
            // RestartTest checks the re-sending itself deterministically. What a restart never does is make up a command:
            // everything it re-sends is a command issued before it, under its id.
            assertThat(sentBefore).as("commands issued before the restart: the only ones it may re-send").containsAll(resentIds);
        }
    }

    @Test
    void rolloutFinishesWhenARealNodeAgentIsKilledBetweenCheckpointAndCommitAndRestarted(EmbeddedCluster cluster) throws Exception {
        Assumptions.assumeTrue(NetworkManagerSandbox.available(), "needs root and NetworkManager for a real node agent");
        int simulated = 49;
        int limit = (simulated + 1) / 10;
        String realNode = "nm-node-0";
        Config config = namespaced(cluster, "agent-kill");
        ClusterSettings settings = new ClusterSettings(config);
        Topics topics = cluster.createTopics(config.get(ClusterSettings.TOPIC_NAMESPACE));
        Path paused = work.resolve("paused-before-commit");
        try (NetworkManagerSandbox sandbox = NetworkManagerSandbox.start(Path.of("target", "nm-sandbox"), "ens8f0np0:ens8f0peer");
             ServiceProcesses services = new ServiceProcesses("process-kill-agent");
             ReconcilerService reconciler = ReconcilerService.start(settings, ReconcilerConfig.from(config
                 .with(ReconcilerConfig.APPLICATION_ID.name(), "agent-kill-reconciler")
                 .with(ReconcilerConfig.STATE_DIR.name(), work.resolve("reconciler").toString())
                 .with(ReconcilerConfig.STANDBY_REPLICAS.name(), "0")));
             SimulatedFleet fleet = SimulatedFleet.start(settings, new SimulatedFleet.Options(simulated, "sim-", WORKER,
                 FailureRules.none(), Duration.ofMillis(500), keptAgents(work.resolve("fleet"))));
             PolicyPublisher publisher = PolicyPublisher.connect(settings, Duration.ofSeconds(60), "agent-kill-ingest");
             RolloutLog log = new RolloutLog(settings, topics, "agent-kill-audit")) {
            Map<String, String> agent = agentSettings(config, realNode, sandbox);
            Map<String, String> pausing = new LinkedHashMap<>(agent);
            pausing.put(NodeAgentSettings.PAUSE_BEFORE_COMMIT.name(), paused.toString());
            Process first = services.start("agent-first", NodeExecutorMain.class, "256m", pausing);
            await().atMost(GUARD).pollInterval(Duration.ofMillis(200)).until(() -> reconciler.state() == KafkaStreams.State.RUNNING);
            apply(publisher);

            await().atMost(GUARD).pollInterval(Duration.ofMillis(100)).until(() -> Files.exists(paused));
            try (NetworkManagerBackend nm = NetworkManagerBackend.connect(sandbox.busAddress())) {
                assertThat(nm.checkpoints()).as("the real node holds its apply between checkpoint and commit").hasSize(1);
            }
            ServiceProcesses.kill(first);
            long killedAt = System.nanoTime();
            Files.delete(paused);
            services.start("agent-second", NodeExecutorMain.class, "256m", agent);
            await().atMost(GUARD).pollInterval(Duration.ofMillis(200))
                .until(() -> RolloutLog.latestPhases(log.poll(), POLICY).get(realNode) == EnactmentPhase.AVAILABLE);
            double recovered = (System.nanoTime() - killedAt) / 1e9;
            await().atMost(GUARD).pollInterval(Duration.ofMillis(200)).until(() -> log.available(POLICY) == simulated + 1);
            System.out.printf(Locale.ROOT, "Real node agent killed between checkpoint and commit and restarted at once: %s available "
                + "%.1f s after the kill; all %d nodes available %.1f s after it%n", realNode, recovered, simulated + 1,
                (System.nanoTime() - killedAt) / 1e9);

            Set<String> nodes = new HashSet<>(fleet.nodes());
            nodes.add(realNode);
            assertRolloutKeptItsGuarantees(log, nodes, limit);
            List<EnactmentEvent> real = log.poll().stream().filter(e -> e.getNode().equals(realNode) && e.getCommandId() != null).toList();
            assertThat(real).extracting(EnactmentEvent::getPhase).as("the real node applied twice, the first apply rolled back")
                .containsExactly(EnactmentPhase.PROGRESSING, EnactmentPhase.PROGRESSING, EnactmentPhase.AVAILABLE);
            try (NetworkManagerBackend nm = NetworkManagerBackend.connect(sandbox.busAddress())) {
                assertThat(nm.checkpoints()).isEmpty();
                assertThat(nm.currentState().find("ens8f0np0").orElseThrow().mtu()).isEqualTo(9000);
            }
        }
    }

    /** The static member names ({@code group.instance.id}) in the reconcilers' consumer group. */
    private static Set<String> staticMembers(ClusterSettings settings, String group) throws Exception {
        try (Admin admin = Admin.create(settings.clientProperties())) {
            return admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get().members().stream()
                .map(m -> m.groupInstanceId().orElse("(dynamic) " + m.consumerId())).collect(Collectors.toSet());
        }
    }

    /** The ids of the commands issued so far for the policy's first generation that have no result yet. */
    private static Set<String> unanswered(RolloutLog log) {
        Set<String> answered = RolloutLog.results(log.poll(), POLICY, 1).values().stream().flatMap(List::stream)
            .map(EnactmentEvent::getCommandId).collect(Collectors.toSet());
        return log.commandsUpToNow().stream().map(c -> c.command().getCommandId()).filter(id -> !answered.contains(id))
            .collect(Collectors.toSet());
    }

    /** The guarantees of a rollout across a crash, read from the enactment log and the commands once it settled. */
    private static void assertRolloutKeptItsGuarantees(RolloutLog log, Set<String> nodes, int limit) {
        List<EnactmentEvent> events = log.settled();
        int ledgerAnswers = RolloutLog.assertOneFinalResultPerNode(events, POLICY, 1, nodes);
        RolloutLog.assertOneCommandPerNode(log.commands(), POLICY, 1, nodes);
        int applying = RolloutLog.maxApplyingAtOnce(events);
        assertThat(applying).as("nodes applying at once, across the crash").isLessThanOrEqualTo(limit);
        System.out.printf(Locale.ROOT, "%d results were answered again from a node's ledger; at most %d nodes applied at once (limit %d)%n",
            ledgerAnswers, applying, limit);
    }

    private static void apply(PolicyPublisher publisher) {
        publisher.apply(List.of(new ManifestParser().parse(POLICY + ".yaml", MANIFEST).policies().get(0)),
            PolicySources.cli("it", "process-kill-it"), false);
    }

    private static Config namespaced(EmbeddedCluster cluster, String test) {
        return cluster.config().with(ClusterSettings.TOPIC_NAMESPACE.name(), test + "-" + UUID.randomUUID().toString().substring(0, 8));
    }

    /** Simulated nodes that keep what they applied and where they read, as real hosts do, in {@code dir}. */
    private static NodeAgentSettings keptAgents(Path dir) {
        return new NodeAgentSettings(Config.of(Map.of(NodeAgentSettings.STATE_DIR.name(), dir.toString())));
    }

    private Map<String, String> reconcilerSettings(Config config, Duration commandTimeout) {
        Map<String, String> settings = cluster(config);
        settings.put(ReconcilerConfig.APPLICATION_ID.name(), "reconciler-kill-" + config.get(ClusterSettings.TOPIC_NAMESPACE));
        settings.put(ReconcilerConfig.STATE_DIR.name(), work.resolve("reconciler").toString());
        settings.put(ReconcilerConfig.STANDBY_REPLICAS.name(), "0");
        settings.put(ReconcilerConfig.COMMAND_TIMEOUT.name(), commandTimeout.toSeconds() + "s");
        return settings;
    }

    private Map<String, String> agentSettings(Config config, String node, NetworkManagerSandbox sandbox) {
        Map<String, String> settings = cluster(config);
        settings.put(NodeAgentSettings.NODE_NAME.name(), node);
        settings.put(NodeAgentSettings.NODE_LABELS.name(), "node-role.kubernetes.io/worker=");
        settings.put(NodeAgentSettings.BUS_ADDRESS.name(), sandbox.busAddress());
        settings.put(NodeAgentSettings.STATE_DIR.name(), work.resolve("agent").toString());
        settings.put(NodeAgentSettings.VERIFY_INTERVAL.name(), "200ms");
        return settings;
    }

    private static Map<String, String> cluster(Config config) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (var setting : List.of(ClusterSettings.BOOTSTRAP_SERVERS, ClusterSettings.REGISTRY_URL, ClusterSettings.TOPIC_NAMESPACE)) {
            settings.put(setting.name(), config.get(setting));
        }
        return settings;
    }
}
