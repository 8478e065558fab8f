package io.nmstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.nmstream.common.config.Config;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.kafka.ServiceAcls;
import io.nmstream.common.kafka.ServiceAcls.Service;
import io.nmstream.common.kafka.SubjectBootstrapper;
import io.nmstream.common.kafka.TopicBootstrapper;
import io.nmstream.embedded.EmbeddedKafka;
import io.nmstream.embedded.registry.EmbeddedSchemaRegistry;
import io.nmstream.embedded.security.BrokerSecurity;
import io.nmstream.executor.agent.NodeAgent;
import io.nmstream.executor.agent.NodeAgentSettings;
import io.nmstream.executor.simulated.FailureRules;
import io.nmstream.executor.simulated.SimulatedBackend;
import io.nmstream.reconciler.ReconcilerConfig;
import io.nmstream.reconciler.ReconcilerMain;
import io.nmstream.reconciler.ReconcilerService;
import io.nmstream.schemas.Topic;
import io.nmstream.schemas.Topics;
import io.nmstream.status.projector.ProjectorSettings;
import io.nmstream.status.projector.StatusProjectorMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * nmstream on a secured broker, as a production cluster is run: one SASL_SSL listener (SCRAM-SHA-512, a certificate
 * from a test CA), ACLs enforced, no super user but the broker's own admin. Every service connects as its own principal
 * with exactly the ACLs {@code nmstream acls} prints ({@link ServiceAcls}), and a policy rolls out end to end; the
 * broker refuses each principal what it has no business doing; a wrong password or a client without TLS stops a
 * service at start-up with a message that names the setting to fix.
 */
class KafkaSecurityIT {

    private static final String TEST = "kafka-security";
    private static final String NAMESPACE = "secured";
    private static final String APPLICATION_ID = "secured-reconciler";
    private static final String PROJECTOR_ID = "secured-projector";
    private static final String PREFIX = "nmstream-";
    private static final String POLICY = "uplink-mtu";
    private static final String MANIFEST = """
        apiVersion: nmstate.io/v1
        kind: NodeNetworkConfigurationPolicy
        metadata:
          name: uplink-mtu
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

    @TempDir
    static Path work;

    private static BrokerSecurity security;
    private static EmbeddedKafka kafka;
    private static EmbeddedSchemaRegistry registry;
    private static ServiceAcls acls;
    private static Topics topics;

    @BeforeAll
    static void startSecuredBrokerWithTheServicesAcls() throws Exception {
        acls = new ServiceAcls(namesOnly(), APPLICATION_ID, PROJECTOR_ID, PREFIX);
        security = BrokerSecurity.create(work.resolve("tls"), Arrays.stream(Service.values()).map(s -> s.userName(PREFIX)).toList());
        kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withHeap("512m").withSecurity(security)
            .withLogFile(ServiceProcesses.logDir(TEST).resolve("broker.log")));
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            admin.createAcls(acls.all()).all().get(30, TimeUnit.SECONDS);
        }
        registry = EmbeddedSchemaRegistry.start(security.clientProperties(kafka.bootstrapServers(), Service.REGISTRY.userName(PREFIX)),
            Topics.registrySchemasIn(NAMESPACE, (short) 1).name(), 0);
        ClusterSettings bootstrap = settings(Service.BOOTSTRAP);
        topics = bootstrap.topics(bootstrap.registryClient());
        try (Admin admin = Admin.create(bootstrap.clientProperties())) {
            new TopicBootstrapper(admin, bootstrap).ensure(topics.all());
        }
        SubjectBootstrapper.ensure(topics.all());
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aPolicyRollsOutWithEveryServiceOnItsOwnPrincipalAndOnlyItsAcls() throws Exception {
        try (ServiceProcesses services = new ServiceProcesses(TEST + "-rollout")) {
            Map<String, String> reconciler = settingsMap(Service.RECONCILER);
            reconciler.put(ReconcilerConfig.APPLICATION_ID.name(), APPLICATION_ID);
            reconciler.put(ReconcilerConfig.STATE_DIR.name(), work.resolve("reconciler").toString());
            Process reconcilerProcess = services.start("reconciler", ReconcilerMain.class, "384m", reconciler);
            Map<String, String> projector = settingsMap(Service.PROJECTOR);
            projector.put(ProjectorSettings.CLIENT_ID.name(), PROJECTOR_ID);
            Process projectorProcess = services.start("projector", StatusProjectorMain.class, "384m", projector);
            List<NodeAgent> agents = new ArrayList<>();
            try {
                for (int i = 1; i <= 3; i++) {
                    agents.add(new NodeAgent(settings(Service.AGENT), agentSettings("worker-" + i),
                        new SimulatedBackend(SimulatedBackend.typicalHost(i), Duration.ZERO, FailureRules.none())).start());
                }
                // the policy is to match all three nodes: apply it once the reconciler has read their registrations
                try (Admin admin = Admin.create(kafka.clientProperties())) {
                    await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> {
                        Map<TopicPartition, Long> registered = ReconcilerService.inventoryEnd(admin, topics.nodes().name());
                        return registered.values().stream().mapToLong(Long::longValue).sum() >= 3
                            && ReconcilerService.hasRead(admin, APPLICATION_ID, registered);
                    });
                }
                Path manifest = Files.writeString(work.resolve("uplink-mtu.yaml"), MANIFEST);
                Run apply = nmstream(Service.INGEST, "policy", "apply", "-f", manifest.toString());
                assertThat(apply.code()).as("policy apply as the ingest principal: %s", apply).isZero();

                Run wait = nmstream(Service.VIEWER, "wait", "nncp/" + POLICY, "--for=condition=Available", "--timeout=3m");
                assertThat(wait.code()).as("wait as the viewer principal: %s", wait).isZero();
                Run get = nmstream(Service.VIEWER, "get", "nnce");
                assertThat(get.out()).as("get nnce as the viewer principal: %s", get)
                    .contains("worker-1." + POLICY, "worker-2." + POLICY, "worker-3." + POLICY);
                assertThat(List.of(reconcilerProcess, projectorProcess)).as("services still running").allMatch(Process::isAlive);
            } finally {
                agents.forEach(NodeAgent::close);
            }
        }
    }

    @Test
    void theBrokerRefusesEachPrincipalTheTopicsItDoesNotWrite() {
        // the README's "who writes what": everybody else is refused by the broker itself
        Map<Topic<?, ?>, Set<Service>> writers = new LinkedHashMap<>();
        writers.put(topics.policies(), Set.of(Service.INGEST));
        writers.put(topics.nodes(), Set.of(Service.AGENT, Service.INGEST));
        writers.put(topics.nodeStates(), Set.of(Service.AGENT));
        writers.put(topics.commands(), Set.of(Service.RECONCILER));
        writers.put(topics.enactments(), Set.of(Service.AGENT, Service.RECONCILER));
        writers.put(topics.status(), Set.of(Service.PROJECTOR));
        writers.put(topics.nodeIdentities(), Set.of(Service.OPERATOR));
        writers.forEach((topic, allowed) -> {
            for (Service other : Service.values()) {
                if (allowed.contains(other)) {
                    continue;
                }
                assertThatThrownBy(() -> send(other, topic.name()))
                    .as("%s writing %s", acls.principal(other), topic.name())
                    .hasRootCauseInstanceOf(AuthorizationException.class);
            }
        });
    }

    @Test
    void aWrongPasswordStopsAServiceWithAMessageThatNamesTheSetting() throws Exception {
        Map<String, String> reconciler = settingsMap(Service.RECONCILER);
        reconciler.putAll(security.settingsWithPassword(Service.RECONCILER.userName(PREFIX), "not-the-password"));
        try (ServiceProcesses services = new ServiceProcesses(TEST + "-wrong-password")) {
            Process process = services.start("reconciler", ReconcilerMain.class, "256m", reconciler);
            assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("the reconciler stops").isTrue();
            assertThat(process.exitValue()).as("exit code of a bad setting").isEqualTo(2);
            assertThat(Files.readString(services.logDir().resolve("reconciler.log"), StandardCharsets.UTF_8))
                .contains("refused the credentials of user 'nmstream-reconciler'", "'kafka.sasl.jaas.config'");
        }
        Config wrong = with(base(), security.settingsWithPassword(Service.INGEST.userName(PREFIX), "not-the-password"));
        Path manifest = Files.writeString(work.resolve("wrong-password.yaml"), MANIFEST);
        Run apply = nmstream(wrong, "policy", "apply", "-f", manifest.toString(), "--timeout", "10s");
        assertThat(apply.code()).as("policy apply with a wrong password: %s", apply).isEqualTo(1);
        assertThat(apply.err()).contains("'kafka.sasl.jaas.config'");
    }

    @Test
    void aClientWithoutTlsStopsWithAMessageThatNamesTheSetting() throws Exception {
        Map<String, String> projector = settingsMap(Service.PROJECTOR);
        projector.put(ClusterSettings.SECURITY_PROTOCOL.name(), "SASL_PLAINTEXT");
        try (ServiceProcesses services = new ServiceProcesses(TEST + "-no-tls")) {
            Process process = services.start("projector", StatusProjectorMain.class, "256m", projector);
            assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("the projector stops").isTrue();
            assertThat(process.exitValue()).as("exit code of a bad setting").isEqualTo(2);
            assertThat(Files.readString(services.logDir().resolve("projector.log"), StandardCharsets.UTF_8))
                .contains("answers with TLS, but setting 'kafka.security.protocol'", "is SASL_PLAINTEXT");
        }
    }

    private static void send(Service as, String topic) throws ExecutionException, InterruptedException {
        Properties props = settings(as).clientProperties();
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "20000");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "20000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "forged".getBytes(StandardCharsets.UTF_8), new byte[] {0})).get();
        }
    }

    /** The topics' names in the namespace, before any registry runs (no serde is used). */
    private static Topics namesOnly() {
        ClusterSettings names = new ClusterSettings(Config.of(Map.of(ClusterSettings.TOPIC_NAMESPACE.name(), NAMESPACE)));
        return names.topics(names.registryClient());
    }

    private static Config base() {
        return Config.of(Map.of(
            ClusterSettings.BOOTSTRAP_SERVERS.name(), kafka.bootstrapServers(),
            ClusterSettings.REGISTRY_URL.name(), registry == null ? "http://127.0.0.1:1" : registry.url(),
            ClusterSettings.TOPIC_NAMESPACE.name(), NAMESPACE,
            ClusterSettings.TOPIC_PARTITIONS.name(), "3"));
    }

    private static ClusterSettings settings(Service service) {
        return new ClusterSettings(as(service));
    }

    /** The base settings and {@code service}'s principal. */
    private static Config as(Service service) {
        return with(base(), security.settings(service.userName(PREFIX)));
    }

    private static Config with(Config config, Map<String, String> values) {
        Config result = config;
        for (Map.Entry<String, String> value : values.entrySet()) {
            result = result.with(value.getKey(), value.getValue());
        }
        return result;
    }

    private static Map<String, String> settingsMap(Service service) {
        Map<String, String> settings = new LinkedHashMap<>();
        Config config = as(service);
        for (var setting : ClusterSettings.ALL) {
            if (config.isSet(setting)) {
                settings.put(setting.name(), String.valueOf(config.get(setting)));
            }
        }
        return settings;
    }

    private static NodeAgentSettings agentSettings(String node) {
        return new NodeAgentSettings(Config.of(Map.of(
            NodeAgentSettings.NODE_NAME.name(), node,
            NodeAgentSettings.NODE_LABELS.name(), "node-role.kubernetes.io/worker=",
            NodeAgentSettings.STATE_DIR.name(), "",
            NodeAgentSettings.VERIFY_INTERVAL.name(), "100ms")));
    }

    private record Run(int code, String out, String err) {
    }

    private static Run nmstream(Service as, String... args) {
        return nmstream(as(as), args);
    }

    /** Runs an nmstream command in this JVM with {@code config}'s cluster settings as {@code --set} flags. */
    private static Run nmstream(Config config, String... args) {
        List<String> command = new ArrayList<>(List.of(args));
        for (var setting : ClusterSettings.ALL) {
            if (config.isSet(setting)) {
                command.addAll(List.of("--set", setting.name() + "=" + config.get(setting)));
            }
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var commandLine = NmstreamCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int code = commandLine.execute(command.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }
}
