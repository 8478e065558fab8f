package io.nmstream.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.kafka.KafkaClients;
import io.nmstream.common.metrics.MetricsEndpoint;
import io.nmstream.embedded.EmbeddedCluster;
import io.nmstream.embedded.junit.EmbeddedClusterExtension;
import io.nmstream.executor.NodeExecutorMain;
import io.nmstream.executor.agent.AgentJvmOptions;
import io.nmstream.executor.agent.NodeAgentSettings;
import io.nmstream.executor.cli.NodeMain;
import io.nmstream.executor.sandbox.NetworkManagerSandbox;
import io.nmstream.nmstate.NmstateParser;
import io.nmstream.nmstate.NmstateWriter;
import io.nmstream.schemas.Digests;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.CommandKind;
import io.nmstream.schemas.avro.DesiredStateCommand;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;
import io.nmstream.schemas.avro.NodeEvent;
import io.nmstream.schemas.avro.ProbeSettings;
import io.nmstream.schemas.identity.NodeSignatures;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged agent jar ({@code target/nmstream-agent.jar}) as a host gets it: what it carries, and that it runs, as
 * the node command line and as the agent service on a real NetworkManager and the real broker.
 */
@ExtendWith(EmbeddedClusterExtension.class)
class NodeAgentJarIT {

    private static final Path JAR = Path.of("target", "nmstream-agent.jar").toAbsolutePath();
    private static final Path LAUNCHER = Path.of("..", "bin", "nmstream").toAbsolutePath().normalize();
    /** What only the services, the all-in-one, the tests or the benchmarks need: none of it belongs on a host. */
    private static final List<String> NOT_ON_A_HOST = List.of(
        "kafka/server/", "kafka/log/", "kafka/cluster/", "kafka/raft/", // the broker (kafka_2.13)
        "scala/",                          // the broker's language runtime
        "org/apache/kafka/streams/",       // the reconciler's Kafka Streams
        "org/apache/kafka/raft/", "org/apache/kafka/metadata/", "org/apache/kafka/storage/",
        "io/fabric8/",                     // the Kubernetes client and its mock server
        "io/vertx/", "io/netty/",
        "org/bouncycastle/jce/", "org/bouncycastle/pqc/", "org/bouncycastle/x509/", // only BouncyCastle's Ed25519 signer
        "io/nmstream/bench/", "io/nmstream/reconciler/", "io/nmstream/status/", "io/nmstream/ingest/", "io/nmstream/embedded/",
        "org/junit/", "logback.xml");

    @TempDir
    Path dir;

    @Test
    void carriesTheAgentAndTheNodeCommandLineAndNoBrokerStreamsKubernetesOrBenchmarks() throws Exception {
        List<String> entries;
        try (JarFile jar = new JarFile(JAR.toFile())) {
            entries = jar.stream().map(e -> e.getName()).toList();
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo(NodeExecutorMain.class.getName());
        }

        assertThat(entries).contains(classFile(NodeExecutorMain.class), classFile(NodeMain.class),
            "io/nmstream/executor/agent/" + AgentJvmOptions.RESOURCE, "org/freedesktop/dbus/connections/impl/DBusConnection.class",
            "org/apache/kafka/clients/consumer/KafkaConsumer.class", "META-INF/services/ch.qos.logback.classic.spi.Configurator",
            "org/bouncycastle/crypto/signers/Ed25519Signer.class");
        assertThat(entries.stream().filter(entry -> NOT_ON_A_HOST.stream().anyMatch(entry::startsWith)
            || entry.startsWith("kafka/") && entry.endsWith(".class"))).as("entries no host needs").isEmpty();
        Set<String> clientEntries = entriesOf(jarOf(org.apache.kafka.clients.consumer.KafkaConsumer.class));
        assertThat(entries.stream().filter(e -> e.startsWith("org/apache/kafka/") && e.endsWith(".class")))
            .as("every Kafka class in the agent jar is the client library's").isNotEmpty().allMatch(clientEntries::contains);
    }

    @Test
    void answersAsTheNodeCommandLineWithNothingElseInstalled() throws Exception {
        Process process = new ProcessBuilder(java(List.of(), "-cp", JAR.toString(), NodeMain.class.getName(), "--help"))
            .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).startsWith("Usage: nmstream node").contains("apply", "show", "agent");
    }

    /**
     * {@code bin/nmstream node ...} as a user runs it after a build, from a copy of the checkout's layout (so that the
     * archive is this test's alone): {@code show} records nothing, the first successful {@code apply} records the agent
     * jar's class archive, and the next command maps its classes from it, printing the same.
     */
    @Test
    void theLauncherRecordsTheClassArchiveOfTheAgentJarWithTheFirstApplyAndLaterCommandsMapIt() throws Exception {
        Path root = dir.resolve("checkout");
        Path jar = Files.createDirectories(root.resolve("node-agent").resolve("target")).resolve(JAR.getFileName());
        Files.copy(JAR, jar, StandardCopyOption.COPY_ATTRIBUTES);
        Path launcher = Files.createDirectories(root.resolve("bin")).resolve("nmstream");
        Files.copy(LAUNCHER, launcher, StandardCopyOption.COPY_ATTRIBUTES);
        Path archive = Path.of(jar + ".jsa");
        Path desired = Files.writeString(dir.resolve("v0.yaml"), """
            interfaces:
            - name: v0
              type: ethernet
              state: up
              mtu: 1440
              ipv4: {enabled: true, dhcp: false, address: [{ip: 192.0.2.46, prefix-length: 24}]}
            """);
        try (NetworkManagerSandbox sandbox = NetworkManagerSandbox.start(Path.of("target", "nm-sandbox"), "")) {
            LauncherRun show = launch(launcher, Map.of(), "node", "--bus-address", sandbox.busAddress(), "show");
            assertThat(show.exitCode()).as(show.output()).isZero();
            assertThat(show.output()).contains("name: v0");
            assertThat(Files.exists(archive)).as("show records nothing: it loads too little of what apply needs").isFalse();

            LauncherRun apply = launch(launcher, Map.of(), "node", "--bus-address", sandbox.busAddress(), "apply", desired.toString());
            assertThat(apply.exitCode()).as(apply.output()).isZero();
            assertThat(sandbox.ip("-o", "link", "show", "v0")).contains(" mtu 1440 ");
            try (var files = Files.list(jar.getParent())) {
                assertThat(files.filter(f -> f.getFileName().toString().startsWith(jar.getFileName() + ".jsa")))
                    .as("the recording became the archive").containsExactly(archive);
            }

            Path classLog = dir.resolve("classes.log");
            LauncherRun again = launch(launcher, Map.of("NMSTREAM_JAVA_OPTS", "-Xmx1g -Xlog:class+load=info:file=" + classLog),
                "node", "--bus-address", sandbox.busAddress(), "show");
            assertThat(again.exitCode()).as(again.output()).isZero();
            assertThat(again.output()).contains("name: v0").contains("mtu: 1440");
            assertThat(Files.readAllLines(classLog)).as("the node command line's and dbus-java's classes come from the archive")
                .anyMatch(line -> line.contains(NodeMain.class.getName() + " source: shared objects file (top)"))
                .anyMatch(line -> line.contains("org.freedesktop.dbus.connections.impl.DBusConnection source: shared objects file (top)"));
        }
    }

    @Test
    void runsAsTheAgentServiceWithItsShippedOptionsRegistersAndAppliesACommandOnNetworkManager(EmbeddedCluster cluster) throws Exception {
        String namespace = "agent-jar-" + UUID.randomUUID().toString().substring(0, 8);
        String node = "agent-jar-node";
        Topics topics = cluster.createTopics(namespace);
        ClusterSettings settings = new ClusterSettings(cluster.config().with(ClusterSettings.TOPIC_NAMESPACE.name(), namespace));
        Path log = dir.resolve("agent.log");
        try (NetworkManagerSandbox sandbox = NetworkManagerSandbox.start(Path.of("target", "nm-sandbox"), "");
             KafkaProducer<String, DesiredStateCommand> commands = KafkaClients.producer(settings.clientProperties(), topics.commands(),
                 "it-commands");
             Reader<NodeEvent> nodes = new Reader<>(topics.nodes().name(), KafkaClients.consumer(settings.clientProperties(),
                 topics.nodes(), null, "it-nodes"));
             Reader<EnactmentEvent> enactments = new Reader<>(topics.enactments().name(),
                 KafkaClients.consumer(settings.clientProperties(), topics.enactments(), null, "it-enactments"))) {
            ProcessBuilder agent = new ProcessBuilder(java(AgentJvmOptions.shipped(), "-jar", JAR.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile());
            agent.environment().putAll(Map.of(
                ClusterSettings.BOOTSTRAP_SERVERS.envVar(), settings.bootstrapServers(),
                ClusterSettings.REGISTRY_URL.envVar(), settings.registryUrl(),
                ClusterSettings.TOPIC_NAMESPACE.envVar(), namespace,
                NodeAgentSettings.NODE_NAME.envVar(), node,
                NodeAgentSettings.STATE_DIR.envVar(), dir.resolve("state").toString(),
                NodeAgentSettings.BUS_ADDRESS.envVar(), sandbox.busAddress(),
                MetricsEndpoint.METRICS_PORT.envVar(), "0"));
            Process process = agent.start();
            try {
                await().atMost(Duration.ofSeconds(120)).until(() -> !process.isAlive() || !nodes.values().isEmpty());
                assertThat(process.isAlive()).as(Files.readString(log)).isTrue();
                NodeEvent registered = nodes.values().get(0);
                assertThat(registered.getName()).isEqualTo(node);
                assertThat(registered.getNetworkManagerVersion()).startsWith("1.");
                assertThat(NodeSignatures.selfSigned(registered)).as("the registration is signed with the key it introduces").isTrue();

                commands.send(new ProducerRecord<>(topics.commands().name(), node, command(node, """
                    interfaces:
                    - name: v0
                      type: ethernet
                      state: up
                      mtu: 1450
                      ipv4: {enabled: true, dhcp: false, address: [{ip: 192.0.2.45, prefix-length: 24}]}
                    """))).get();

                await().atMost(Duration.ofSeconds(120)).until(() -> !process.isAlive() || enactments.values().stream()
                    .anyMatch(e -> e.getPhase() == EnactmentPhase.AVAILABLE || e.getPhase() == EnactmentPhase.FAILING));
                assertThat(enactments.values()).as(Files.readString(log)).extracting(EnactmentEvent::getPhase)
                    .containsExactly(EnactmentPhase.PROGRESSING, EnactmentPhase.AVAILABLE);
                assertThat(enactments.values()).as("signed by the node")
                    .allMatch(e -> NodeSignatures.verifies(e, List.of(registered.getPublicKey().toString())));
                assertThat(sandbox.ip("-o", "link", "show", "v0")).contains(" mtu 1450 ");
                assertThat(sandbox.ip("-o", "-4", "addr", "show", "v0")).contains(" 192.0.2.45/24 ");
            } finally {
                process.destroy();
                assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the agent stops on SIGTERM").isTrue();
            }
            String output = Files.readString(log);
            assertThat(output).as("the agent's own logging, without a configuration file")
                .containsPattern("INFO +i\\.n\\.e\\.NodeExecutorMain +policy=- generation=- node=- commandId=- - Node agent " + node
                    + " started").doesNotContain("ch.qos.logback");
        }
    }

    private static DesiredStateCommand command(String node, String yaml) {
        String json = NmstateWriter.toJson(NmstateParser.parse(yaml));
        Instant now = Instant.now();
        return DesiredStateCommand.newBuilder().setCommandId(UUID.randomUUID().toString()).setNode(node).setPolicy("agent-jar")
            .setGeneration(1).setKind(CommandKind.APPLY).setDesiredState(json).setDesiredStateDigest(Digests.sha256Hex(json))
            .setIssuedAt(now).setDeadline(now.plus(Duration.ofMinutes(10))).setProbes(ProbeSettings.newBuilder().build())
            .setCheckpointTimeoutSeconds(60).build();
    }

    private record LauncherRun(int exitCode, String output) {
    }

    /** {@code launcher args...}, with {@code environment} added to this JVM's; stdout and stderr together. */
    private LauncherRun launch(Path launcher, Map<String, String> environment, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("NMSTREAM_JAVA_OPTS");
        builder.environment().putAll(environment);
        Path output = Files.createTempFile(dir, "launcher-", ".txt");
        Process process = builder.redirectOutput(output.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("bin/nmstream " + String.join(" ", args) + " did not finish within 120 s");
        }
        return new LauncherRun(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    /** {@code java}, the given JVM options, the Avro package setting every launcher passes, then {@code args}. */
    private static List<String> java(List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.nmstream.schemas.avro");
        command.addAll(List.of(args));
        return command;
    }

    private static String classFile(Class<?> type) {
        return type.getName().replace('.', '/') + ".class";
    }

    private static Path jarOf(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static Set<String> entriesOf(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().map(e -> e.getName()).collect(Collectors.toSet());
        }
    }

    /** Every record of one topic so far, read from the beginning. */
    private static final class Reader<V> implements AutoCloseable {
        private final KafkaConsumer<String, V> consumer;
        private final List<V> values = new CopyOnWriteArrayList<>();

        Reader(String topic, KafkaConsumer<String, V> consumer) {
            this.consumer = consumer;
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        synchronized List<V> values() {
            for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(200))) {
                values.add(record.value());
            }
            return List.copyOf(values);
        }

        @Override
        public synchronized void close() {
            consumer.close();
        }
    }
}
