package io.nmstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nmstream.common.config.Config;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.kafka.KafkaClients;
import io.nmstream.embedded.EmbeddedCluster;
import io.nmstream.embedded.junit.EmbeddedClusterExtension;
import io.nmstream.embedded.junit.PoisonRecords;
import io.nmstream.executor.agent.NodeAgent;
import io.nmstream.executor.agent.NodeAgentSettings;
import io.nmstream.executor.simulated.FailureRules;
import io.nmstream.executor.simulated.SimulatedBackend;
import io.nmstream.executor.simulated.SimulatedFleet;
import io.nmstream.ingest.manifest.ManifestParser;
import io.nmstream.ingest.publish.PolicyPublisher;
import io.nmstream.ingest.publish.PolicySources;
import io.nmstream.reconciler.ReconcilerConfig;
import io.nmstream.reconciler.ReconcilerMain;
import io.nmstream.schemas.DeadLetterHeaders;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.DesiredStateCommand;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;
import io.nmstream.schemas.avro.NodeEvent;
import io.nmstream.schemas.contract.ContractViolation.Rule;
import io.nmstream.schemas.identity.NodeKey;
import io.nmstream.schemas.identity.NodeSignatures;
import io.nmstream.status.projector.ProjectorSettings;
import io.nmstream.status.projector.StatusProjectorMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A producer with write access to the enactments and nodes topics (any node agent's principal) forges what happened to
 * other nodes: AVAILABLE results answering their commands in flight, unsigned or signed with its own key, and
 * registrations that claim another key or relabel a node out of the rollout. Each node signs what it publishes with
 * the key its first registration introduced, so the reconciler and the projector set every forgery aside as a dead
 * letter (rule {@code signature}): no rollout slot is freed by a forged result, no node leaves the rollout, and the
 * policy becomes Available only when every node really applied it.
 */
@ExtendWith(EmbeddedClusterExtension.class)
class ForgedResultsIT {

    private static final String POLICY = "worker-mtu";
    private static final String MANIFEST = """
        apiVersion: nmstate.io/v1
        kind: NodeNetworkConfigurationPolicy
        metadata:
          name: worker-mtu
        spec:
          nodeSelector:
            node-role.kubernetes.io/worker: ""
          maxUnavailable: 1
          desiredState:
            interfaces:
              - name: ens8f0np0
                type: ethernet
                state: up
                mtu: 9000
        """;
    private static final int NODES = 4;
    /** Slow enough that the forgeries land while the first node is still applying. */
    private static final Duration APPLY_LATENCY = Duration.ofSeconds(2);
    private static final Duration GUARD = Duration.ofMinutes(3);

    @TempDir
    Path work;

    @Test
    void forgedResultsAndRegistrationsFreeNoSlotAndFinishNoNode(EmbeddedCluster cluster) throws Exception {
        String namespace = "forged-" + UUID.randomUUID().toString().substring(0, 8);
        Config config = cluster.config().with(ClusterSettings.TOPIC_NAMESPACE.name(), namespace);
        ClusterSettings settings = new ClusterSettings(config);
        Topics topics = cluster.createTopics(namespace);
        NodeKey forger = NodeKey.generate();
        try (ServiceProcesses services = new ServiceProcesses("forged-results");
             SimulatedFleet fleet = SimulatedFleet.start(settings, new SimulatedFleet.Options(NODES, "sim-",
                 Map.of("node-role.kubernetes.io/worker", ""), FailureRules.none(), APPLY_LATENCY, SimulatedFleet.defaultAgentSettings()));
             PolicyPublisher publisher = PolicyPublisher.connect(settings, Duration.ofSeconds(60), "forged-ingest");
             RolloutLog log = new RolloutLog(settings, topics, "forged-audit");
             KafkaProducer<String, EnactmentEvent> results =
                 KafkaClients.producer(settings.clientProperties(), topics.enactments(), "forger");
             KafkaProducer<String, NodeEvent> registrations =
                 KafkaClients.producer(settings.clientProperties(), topics.nodes(), "forger-nodes")) {
            Map<String, String> reconciler = clusterSettings(config);
            reconciler.put(ReconcilerConfig.APPLICATION_ID.name(), "forged-" + namespace);
            reconciler.put(ReconcilerConfig.STATE_DIR.name(), work.resolve("reconciler").toString());
            services.start("reconciler", ReconcilerMain.class, "384m", reconciler);
            Map<String, String> projector = clusterSettings(config);
            projector.put(ProjectorSettings.CLIENT_ID.name(), "forged-projector-" + namespace);
            services.start("projector", StatusProjectorMain.class, "384m", projector);

            publisher.apply(List.of(new ManifestParser().parse(POLICY + ".yaml", MANIFEST).policies().get(0)),
                PolicySources.cli("it", "forged-results-it"), false);
            await().atMost(GUARD).pollInterval(Duration.ofMillis(50)).until(() -> {
                log.poll();
                return !log.commands().isEmpty();
            });
            DesiredStateCommand first = log.commands().get(0).command();
            String victim = first.getNode().toString();
            List<String> others = fleet.nodes().stream().filter(node -> !node.equals(victim)).toList();

            // the command in flight, answered by someone else: unsigned, then signed with the forger's own key
            List<String> forgedKeys = new ArrayList<>();
            EnactmentEvent unsigned = available(victim, first.getCommandId().toString(), first.getGeneration());
            send(results, topics.enactments().name(), Topics.enactmentKey(victim, POLICY), unsigned);
            send(results, topics.enactments().name(), Topics.enactmentKey(victim, POLICY), NodeSignatures.signed(
                available(victim, first.getCommandId().toString(), first.getGeneration()), forger));
            forgedKeys.add(Topics.enactmentKey(victim, POLICY));
            // a registration that claims the victim's name with the forger's key, and one that relabels another node
            // out of the rollout without any signature
            send(registrations, topics.nodes().name(), victim, NodeSignatures.signed(registration(victim,
                Map.of("node-role.kubernetes.io/worker", "")), forger));
            String relabelled = others.get(0);
            send(registrations, topics.nodes().name(), relabelled, registration(relabelled, Map.of("role", "none")));
            // results for nodes still waiting for their turn
            for (String node : others) {
                send(results, topics.enactments().name(), Topics.enactmentKey(node, POLICY),
                    NodeSignatures.signed(available(node, UUID.randomUUID().toString(), first.getGeneration()), forger));
            }

            await().atMost(GUARD).pollInterval(Duration.ofMillis(200)).until(() -> RolloutLog.latestPhases(real(log.poll()), POLICY)
                .values().stream().filter(phase -> phase == EnactmentPhase.AVAILABLE).count() == NODES);
            List<EnactmentEvent> real = real(log.settled());
            Set<String> nodes = Set.copyOf(fleet.nodes());
            RolloutLog.assertOneFinalResultPerNode(real, POLICY, 1, nodes);
            RolloutLog.assertOneCommandPerNode(log.commands(), POLICY, 1, nodes);
            assertThat(RolloutLog.maxApplyingAtOnce(real)).as("nodes applying at once under maxUnavailable 1").isEqualTo(1);
            Instant victimApplied = real.stream()
                .filter(e -> e.getNode().toString().equals(victim) && e.getPhase() == EnactmentPhase.AVAILABLE)
                .map(EnactmentEvent::getTimestamp).min(Instant::compareTo).orElseThrow();
            assertThat(log.commands()).as("commands issued while the victim really applied: the forged results freed no slot")
                .filteredOn(c -> !c.command().getNode().toString().equals(victim))
                .allSatisfy(c -> assertThat(c.command().getIssuedAt()).isAfterOrEqualTo(victimApplied));

            Run wait = nmstream(config, "wait", "nncp/" + POLICY, "--for=condition=Available", "--timeout=2m");
            assertThat(wait.code()).as("%s", wait).isZero();
            Map<String, List<String>> reasonsByKey = new LinkedHashMap<>();
            await().atMost(GUARD).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                reasonsByKey.clear();
                for (ConsumerRecord<byte[], byte[]> letter : PoisonRecords.deadLetters(cluster, topics)) {
                    if (Rule.SIGNATURE.tag().equals(header(letter, DeadLetterHeaders.RULE))) {
                        reasonsByKey.computeIfAbsent(new String(letter.key(), StandardCharsets.UTF_8), k -> new ArrayList<>())
                            .add(header(letter, DeadLetterHeaders.SOURCE) + ": " + header(letter, DeadLetterHeaders.REASON));
                    }
                }
                assertThat(reasonsByKey).as("forged records set aside for their signature")
                    .containsKeys(Topics.enactmentKey(victim, POLICY), victim, relabelled);
                assertThat(reasonsByKey.get(victim)).anyMatch(r -> r.contains("not signed with it"));
                assertThat(reasonsByKey.get(Topics.enactmentKey(victim, POLICY)))
                    .anyMatch(r -> r.contains("does not verify against the key of node '" + victim + "'"));
            });
            System.out.println("Forged records set aside (key -> source: reason): " + reasonsByKey.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining("\n")));

            // the victim's own signed result again, with a rendered state it never sent attached outside the signature
            EnactmentEvent genuine = real.stream()
                .filter(e -> e.getNode().toString().equals(victim) && e.getPhase() == EnactmentPhase.AVAILABLE).findFirst().orElseThrow();
            send(results, topics.enactments().name(), Topics.enactmentKey(victim, POLICY), EnactmentEvent.newBuilder(genuine)
                .setResolvedState("{\"interfaces\":[{\"name\":\"ens8f0np0\",\"type\":\"ethernet\",\"mtu\":1500}]}").build());
            await().atMost(GUARD).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(PoisonRecords.deadLetters(cluster, topics)).as("the attached state set aside by the projector")
                    .anySatisfy(letter -> {
                        assertThat(header(letter, DeadLetterHeaders.RULE)).isEqualTo(Rule.DIGEST.tag());
                        assertThat(header(letter, DeadLetterHeaders.PROCESSOR)).contains("projector");
                        assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo(Topics.enactmentKey(victim, POLICY));
                        assertThat(header(letter, DeadLetterHeaders.REASON)).contains("field resolvedState has SHA-256");
                    }));
            Run nnce = nmstream(config, "get", "nnce", Topics.enactmentKey(victim, POLICY), "-o", "yaml");
            assertThat(nnce.code()).as("%s", nnce).isZero();
            assertThat(nnce.out()).contains("desiredStateMetaInfo:").doesNotContain("  desiredState:");
        }
    }

    @Test
    void anOperatorsRekeyLetsAReinstalledNodeSignAgain(EmbeddedCluster cluster) throws Exception {
        String namespace = "rekey-" + UUID.randomUUID().toString().substring(0, 8);
        Config config = cluster.config().with(ClusterSettings.TOPIC_NAMESPACE.name(), namespace);
        ClusterSettings settings = new ClusterSettings(config);
        Topics topics = cluster.createTopics(namespace);
        String node = "worker-r1";
        try (ServiceProcesses services = new ServiceProcesses("rekey");
             PolicyPublisher publisher = PolicyPublisher.connect(settings, Duration.ofSeconds(60), "rekey-ingest")) {
            Map<String, String> reconciler = clusterSettings(config);
            reconciler.put(ReconcilerConfig.APPLICATION_ID.name(), "rekey-" + namespace);
            reconciler.put(ReconcilerConfig.STATE_DIR.name(), work.resolve("reconciler").toString());
            services.start("reconciler", ReconcilerMain.class, "384m", reconciler);
            Map<String, String> projector = clusterSettings(config);
            projector.put(ProjectorSettings.CLIENT_ID.name(), "rekey-projector-" + namespace);
            services.start("projector", StatusProjectorMain.class, "384m", projector);

            // the node's first life: its registration introduces its key
            try (NodeAgent first = agent(settings, node, work.resolve("first-install")).start()) {
                await().atMost(GUARD).until(() -> deadLettersOf(cluster, topics, node).isEmpty() && registered(cluster, topics, node));
            }
            // reinstalled: a new state directory, a new key; its registration is refused until an operator re-keys it
            Path reinstalled = work.resolve("reinstalled");
            try (NodeAgent second = agent(settings, node, reinstalled).start()) {
                await().atMost(GUARD).pollInterval(Duration.ofMillis(500))
                    .until(() -> deadLettersOf(cluster, topics, node).stream().anyMatch(r -> r.contains("not signed with it")));
                Run key = nmstream("node", "key", "--state-dir", reinstalled.toString());
                assertThat(key.code()).as("%s", key).isZero();
                Run rekey = nmstream(config, "node", "rekey", node, "--public-key", key.out().strip(), "--reason", "reinstalled");
                assertThat(rekey.code()).as("%s", rekey).isZero();
                assertThat(rekey.out()).contains("node/" + node + " may now sign with " + key.out().strip());

                // every node carries kubelet's kubernetes.io/hostname label, as kubernetes-nmstate's guides select one node by
                String onlyThisNode = MANIFEST.replace("node-role.kubernetes.io/worker: \"\"", "kubernetes.io/hostname: " + node);
                publisher.apply(List.of(new ManifestParser().parse(POLICY + ".yaml", onlyThisNode).policies().get(0)),
                    PolicySources.cli("it", "rekey-it"), false);
                Run wait = nmstream(config, "wait", "nncp/" + POLICY, "--for=condition=Available", "--timeout=2m");
                assertThat(wait.code()).as("the re-keyed node's result counts: %s", wait).isZero();
            }
            Run forged = nmstream(config, "node", "rekey", node, "--public-key", "not-a-key");
            assertThat(forged.code()).isEqualTo(1);
            assertThat(forged.err()).contains("field publicKey has value 'not-a-key'");
        }
    }

    private static NodeAgent agent(ClusterSettings settings, String node, Path stateDir) {
        NodeAgentSettings agent = new NodeAgentSettings(Config.of(Map.of(
            NodeAgentSettings.NODE_NAME.name(), node,
            NodeAgentSettings.STATE_DIR.name(), stateDir.toString(),
            NodeAgentSettings.VERIFY_INTERVAL.name(), "100ms")));
        return new NodeAgent(settings, agent, new SimulatedBackend(SimulatedBackend.typicalHost(1), Duration.ZERO, FailureRules.none()));
    }

    /** Whether the nodes topic holds a registration of {@code node}. */
    private static boolean registered(EmbeddedCluster cluster, Topics topics, String node) {
        try (var consumer = KafkaClients.consumer(cluster.settings().clientProperties(), topics.nodes(), null, "rekey-check")) {
            var partitions = consumer.partitionsFor(topics.nodes().name()).stream()
                .map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var end = consumer.endOffsets(partitions);
            boolean found = false;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    found |= node.equals(record.key());
                }
            }
            return found;
        }
    }

    /** The reasons of the dead letters about {@code node}'s registrations. */
    private static List<String> deadLettersOf(EmbeddedCluster cluster, Topics topics, String node) {
        return PoisonRecords.deadLetters(cluster, topics).stream()
            .filter(letter -> node.equals(new String(letter.key(), StandardCharsets.UTF_8)))
            .map(letter -> header(letter, DeadLetterHeaders.REASON)).toList();
    }

    /** What the nodes and the reconciler wrote, without the forgeries. */
    private static List<EnactmentEvent> real(List<EnactmentEvent> events) {
        return events.stream().filter(e -> !e.getEventId().toString().startsWith("forged-")).toList();
    }

    private static EnactmentEvent available(String node, String commandId, long generation) {
        Instant now = Instant.now();
        return EnactmentEvent.newBuilder().setEventId("forged-" + UUID.randomUUID()).setNode(node).setPolicy(POLICY)
            .setGeneration(generation).setCommandId(commandId).setPhase(EnactmentPhase.AVAILABLE).setReason("SuccessfullyConfigured")
            .setMessage("Applied (forged)").setAttempt(1).setStartedAt(now).setFinishedAt(now).setDurationMillis(1L)
            .setTimestamp(now).build();
    }

    private static NodeEvent registration(String node, Map<String, String> labels) {
        return NodeEvent.newBuilder().setName(node).setLabels(labels).setReady(true).setLastSeen(Instant.now()).setRemoved(false).build();
    }

    private static <V> void send(KafkaProducer<String, V> producer, String topic, String key, V value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get();
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static Map<String, String> clusterSettings(Config config) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (var setting : List.of(ClusterSettings.BOOTSTRAP_SERVERS, ClusterSettings.REGISTRY_URL, ClusterSettings.TOPIC_NAMESPACE)) {
            settings.put(setting.name(), config.get(setting));
        }
        return settings;
    }

    private record Run(int code, String out, String err) {
    }

    private static Run nmstream(Config config, String... args) {
        List<String> command = new ArrayList<>(List.of(args));
        clusterSettings(config).forEach((name, value) -> command.addAll(List.of("--set", name + "=" + value)));
        return nmstream(command.toArray(String[]::new));
    }

    private static Run nmstream(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var commandLine = NmstreamCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int code = commandLine.execute(args);
        return new Run(code, out.toString(), err.toString());
    }
}
