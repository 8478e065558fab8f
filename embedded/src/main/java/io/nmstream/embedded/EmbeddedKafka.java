package io.nmstream.embedded;

import io.nmstream.common.kafka.HangingTransactions;
import io.nmstream.embedded.security.BrokerSecurity;
import io.nmstream.embedded.security.TestCertificateAuthority;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka broker in KRaft mode (combined broker and controller), run from the {@code kafka_2.13} jar as a
 * child JVM on loopback ports.
 *
 * <p>A child process keeps the broker's threads, memory and logging out of the caller's JVM, and lets tests kill and
 * restart it like a real server. It does not outlive the JVM that started it: killed with SIGKILL, that JVM cannot stop
 * it, so the broker stops itself ({@link EmbeddedKafkaMain}). The data directory is formatted on first use and kept
 * when given, so a restart on the same directory keeps every topic and offset; a temporary directory is deleted on
 * close.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    /** How long a JVM that is exiting leaves the broker to its owner's own shutdown before stopping it itself. */
    private static final Duration OWNER_STOP_GRACE = Duration.ofSeconds(20);
    /** How long a restarted broker's check for hanging transactions may take, coordinators' markers included. */
    private static final Duration HANGING_CHECK_TIMEOUT = Duration.ofSeconds(30);
    /** The system property that names logback's configuration, when it is not on the class path. */
    static final String LOGBACK_CONFIGURATION = "logback.configurationFile";

    /**
     * How to run the broker.
     *
     * @param dataDir where logs and metadata live; null for a temporary directory deleted on close
     * @param brokerPort the client listener's port on 127.0.0.1; 0 for a free port
     * @param heap the child JVM's maximum heap, e.g. "768m"
     * @param startTimeout how long to wait for the broker to answer
     * @param logFile where the broker's output is appended; null for {@code broker.log} in the data directory (deleted
     *     with a temporary one)
     * @param security null for a PLAINTEXT listener that lets anyone do anything; otherwise a SASL_SSL listener with
     *     these users and enforced ACLs
     * @param endHangingTransactions whether a broker restarted on kept data ends the transactions its last run left
     *     hanging ({@link #endHangingTransactions})
     */
    public record Options(Path dataDir, int brokerPort, String heap, Duration startTimeout, Path logFile, BrokerSecurity security,
                          boolean endHangingTransactions) {

        public static Options defaults() {
            return new Options(null, 0, "768m", Duration.ofSeconds(90), null, null, true);
        }

        public Options withDataDir(Path dir) {
            return new Options(dir, brokerPort, heap, startTimeout, logFile, security, endHangingTransactions);
        }

        public Options withBrokerPort(int port) {
            return new Options(dataDir, port, heap, startTimeout, logFile, security, endHangingTransactions);
        }

        public Options withHeap(String maxHeap) {
            return new Options(dataDir, brokerPort, maxHeap, startTimeout, logFile, security, endHangingTransactions);
        }

        /** Keeps the broker's log at {@code file}, outside a temporary data directory, e.g. with a test's reports. */
        public Options withLogFile(Path file) {
            return new Options(dataDir, brokerPort, heap, startTimeout, file, security, endHangingTransactions);
        }

        /** A SASL_SSL listener (SCRAM-SHA-512, TLS from a test CA) with ACLs enforced, instead of PLAINTEXT. */
        public Options withSecurity(BrokerSecurity brokerSecurity) {
            return new Options(dataDir, brokerPort, heap, startTimeout, logFile, brokerSecurity, endHangingTransactions);
        }

        /**
         * Restarted on kept data, leaves the transactions its last run left hanging as Kafka leaves them: what a cluster
         * without the repair shows its readers and operators (KAFKA-20734).
         */
        public Options withoutEndingHangingTransactions() {
            return new Options(dataDir, brokerPort, heap, startTimeout, logFile, security, false);
        }
    }

    private final Path dataDir;
    private final boolean temporary;
    private final String bootstrapServers;
    private final Process process;
    private final Thread killOnExit;
    private final Path logFile;
    private final BrokerSecurity security;
    private final boolean restarted;

    private EmbeddedKafka(Path dataDir, boolean temporary, String bootstrapServers, Process process, Thread killOnExit,
                          Path logFile, BrokerSecurity security, boolean restarted) {
        this.restarted = restarted;
        this.logFile = logFile;
        this.security = security;
        this.dataDir = dataDir;
        this.temporary = temporary;
        this.bootstrapServers = bootstrapServers;
        this.process = process;
        this.killOnExit = killOnExit;
    }

    /** Starts a broker with a temporary data directory on free ports. */
    public static EmbeddedKafka start() {
        return start(Options.defaults());
    }

    /**
     * Starts a broker and waits until it answers a metadata request; restarted on kept data, also until the transactions
     * its last run left hanging are ended ({@link #endHangingTransactions}).
     */
    public static EmbeddedKafka start(Options options) {
        int controllerPort = LoopbackPorts.free();
        EmbeddedKafka kafka = launch(options, new QuorumSeat(1, 1, "1@127.0.0.1:" + controllerPort, controllerPort,
            org.apache.kafka.common.Uuid.randomUuid().toString()));
        kafka.awaitReadyOrClose(options.startTimeout());
        if (kafka.restarted() && options.endHangingTransactions()) {
            kafka.endHangingTransactions();
        }
        return kafka;
    }

    /**
     * This node's place in a KRaft quorum of combined broker/controller nodes.
     *
     * @param nodeId the node's id, 1 to {@code quorumSize}
     * @param quorumSize how many nodes the quorum has (and so how far internal topics are replicated, up to 3)
     * @param voters {@code controller.quorum.voters}: every node's id and controller endpoint
     * @param controllerPort this node's controller listener port
     * @param clusterId the cluster id every node's storage is formatted with
     */
    record QuorumSeat(int nodeId, int quorumSize, String voters, int controllerPort, String clusterId) {
    }

    /** Formats (when new) and launches one node; {@link #awaitReadyOrClose} waits for it to answer. */
    static EmbeddedKafka launch(Options options, QuorumSeat seat) {
        if (options.brokerPort() != 0 && LoopbackPorts.isInUse("127.0.0.1", options.brokerPort())) {
            throw new IllegalStateException("Port " + options.brokerPort() + " on 127.0.0.1 is in use (another Kafka broker, or "
                + "another nmstream up?): the embedded broker cannot listen there");
        }
        boolean temporary = options.dataDir() == null;
        Path dataDir;
        try {
            dataDir = temporary ? Files.createTempDirectory("nmstream-kafka-") : Files.createDirectories(options.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the Kafka data directory", e);
        }
        int brokerPort = options.brokerPort() == 0 ? LoopbackPorts.free() : options.brokerPort();
        Path config = dataDir.resolve("server.properties");
        writeConfig(config, dataDir, brokerPort, seat, options.security());
        boolean restarted = !formatIfNew(config, dataDir, seat.clusterId(), options.security());

        String bootstrap = "127.0.0.1:" + brokerPort;
        Path logFile = options.logFile() == null ? dataDir.resolve("broker.log") : options.logFile();
        Process process = launch(config, logFile, options.heap());
        // a JVM that exits without close() (Ctrl-C) still stops its broker, cleanly, so the data directory needs no recovery;
        // but only after its owner had the time to close its clients first: shutdown hooks all run at once
        Thread killOnExit = new Thread(() -> stopUnlessOwnerDoes(process), "embedded-kafka-stop-on-exit");
        Runtime.getRuntime().addShutdownHook(killOnExit);
        return new EmbeddedKafka(dataDir, temporary, bootstrap, process, killOnExit, logFile, options.security(), restarted);
    }

    /** Waits until the broker answers a metadata request; closes it and throws when it does not in time. */
    void awaitReadyOrClose(Duration timeout) {
        try {
            awaitReady(timeout);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        LOG.info("Kafka broker ready at {} (data in {}, log in {})", bootstrapServers, dataDir, logFile);
    }

    /** Whether this broker started on data an earlier run left (it did not format its storage). */
    boolean restarted() {
        return restarted;
    }

    /**
     * Ends, as their coordinators decided, the transactions the cluster's partitions hold open after their coordinator
     * completed them: a broker restarted after SIGKILL drops the markers of the transactions that were ending when it
     * died ({@link HangingTransactions}), and a partition left so stops every read_committed reader, Kafka Streams'
     * restore included, for good. A transaction whose outcome its coordinator no longer knows is only logged, as is
     * every one of a secured broker (the markers are written over PLAINTEXT). Failing to check is logged, not thrown:
     * the broker itself is up.
     */
    void endHangingTransactions() {
        Properties props = clientProperties();
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(HANGING_CHECK_TIMEOUT.toMillis()));
        try (Admin admin = Admin.create(props)) {
            List<HangingTransactions.Hanging> hanging = HangingTransactions.find(admin, HANGING_CHECK_TIMEOUT);
            List<HangingTransactions.Hanging> ended = security == null ? HangingTransactions.endAsDecided(admin, hanging) : List.of();
            for (HangingTransactions.Hanging h : hanging) {
                if (ended.contains(h)) {
                    LOG.warn("Ended the transaction left hanging on {}: {} as its coordinator decided", h, h.decided().orElseThrow());
                } else {
                    LOG.error("A transaction hangs on {} and was left as it is: its readers wait until an operator ends it "
                        + "(kafka-transactions.sh abort)", h);
                }
            }
        } catch (ExecutionException | TimeoutException | IOException | RuntimeException e) {
            LOG.warn("Could not check {} for transactions its last run left hanging: {}", bootstrapServers, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** host:port of the broker's client listener (PLAINTEXT, or SASL_SSL when secured). */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The broker's data directory. */
    public Path dataDir() {
        return dataDir;
    }

    /** The file the broker's output goes to. */
    public Path logFile() {
        return logFile;
    }

    /** Client properties that reach this broker; as its super user when it is secured. */
    public Properties clientProperties() {
        if (security != null) {
            return security.clientProperties(bootstrapServers, BrokerSecurity.ADMIN);
        }
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return props;
    }

    /** Kills the broker with SIGKILL, as a crashed server: no clean shutdown, no leadership handed over. */
    public void kill() {
        try {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the broker's process is running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Sends the broker SIGTERM without waiting: it starts its controlled shutdown, which {@link #close} then waits for.
     * A quorum signals every node first, so each broker hands over its leaderships while the controllers still form a
     * majority.
     */
    void beginStop() {
        process.destroy();
    }

    /** Stops the broker (SIGTERM, then SIGKILL after 30 s) and deletes a temporary data directory. */
    @Override
    public void close() {
        stop(process);
        LOG.info("Kafka broker at {} stopped", bootstrapServers);
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException ignored) {
            // the JVM is already shutting down: the hook runs anyway
        }
        if (temporary) {
            deleteRecursively(dataDir);
        }
    }

    /** SIGTERM, then SIGKILL if the broker has not stopped within 30 s. */
    private static void stop(Process process) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                LOG.warn("Kafka broker did not stop within 30 s; killing it");
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /**
     * The broker's exit code once its process has ended, for whatever reason (close, a crash, SIGKILL); empty while it
     * runs.
     */
    public OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    /**
     * The shutdown hook's stop: the owner of the broker (nmstream up, a test) closes its clients and then the broker in
     * its own hook; a broker still running {@link #OWNER_STOP_GRACE} later has no owner left, and is stopped here.
     */
    private static void stopUnlessOwnerDoes(Process process) {
        try {
            if (process.waitFor(OWNER_STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stop(process);
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        awaitListening(deadline, timeout);
        Properties props = clientProperties();
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        try (Admin admin = Admin.create(props)) {
            while (true) {
                failIfExited();
                try {
                    admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException | TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("Kafka broker at " + bootstrapServers + " did not become ready within "
                            + timeout.toSeconds() + " s; see " + logFile, e);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while waiting for the Kafka broker", e);
                }
            }
        }
    }

    private void failIfExited() {
        if (!process.isAlive()) {
            throw new IllegalStateException("Kafka broker exited with code " + process.exitValue() + " during start-up; see " + logFile);
        }
    }

    /**
     * Waits until the broker's client listener accepts connections: an admin client started before that logs a warning
     * for every connection it tries, which tells the user of {@code nmstream up} nothing but alarms them.
     */
    private void awaitListening(long deadline, Duration timeout) {
        int colon = bootstrapServers.lastIndexOf(':');
        InetSocketAddress listener = new InetSocketAddress(bootstrapServers.substring(0, colon),
            Integer.parseInt(bootstrapServers.substring(colon + 1)));
        while (true) {
            failIfExited();
            try (Socket socket = new Socket()) {
                socket.connect(listener, 500);
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Kafka broker at " + bootstrapServers + " did not listen within "
                        + timeout.toSeconds() + " s; see " + logFile, notYet);
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the Kafka broker", e);
            }
        }
    }

    private static void writeConfig(Path config, Path dataDir, int brokerPort, QuorumSeat seat, BrokerSecurity security) {
        // internal topics are replicated as far as the quorum allows, up to 3 copies with 2 in sync, as in production
        String replicas = Integer.toString(Math.min(seat.quorumSize(), 3));
        String minIsr = Integer.toString(Math.min(seat.quorumSize(), 2));
        List<String> lines = new ArrayList<>(List.of(
            "process.roles=broker,controller",
            "node.id=" + seat.nodeId(),
            "controller.quorum.voters=" + seat.voters(),
            "controller.listener.names=CONTROLLER"));
        lines.addAll(security == null ? plaintextListeners(brokerPort, seat) : securedListeners(brokerPort, seat, security));
        lines.addAll(List.of(
            "log.dirs=" + dataDir.resolve("logs"),
            "num.partitions=1",
            "auto.create.topics.enable=false",
            // fewer partitions of the internal topics start faster on small machines
            "offsets.topic.replication.factor=" + replicas,
            "offsets.topic.num.partitions=6",
            "transaction.state.log.replication.factor=" + replicas,
            "transaction.state.log.min.isr=" + minIsr,
            "transaction.state.log.num.partitions=6",
            "share.coordinator.state.topic.replication.factor=" + replicas,
            "share.coordinator.state.topic.min.isr=" + minIsr,
            "default.replication.factor=" + replicas,
            "min.insync.replicas=" + minIsr,
            "group.initial.rebalance.delay.ms=0",
            // a transaction its producer abandoned (killed) is aborted within a second of its timeout, not ten: its
            // partitions' read_committed readers wait for it
            "transaction.abort.timed.out.transaction.cleanup.interval.ms=1000",
            "log.cleaner.dedupe.buffer.size=16777216"));
        try {
            Files.write(config, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + config, e);
        }
    }

    private static List<String> plaintextListeners(int brokerPort, QuorumSeat seat) {
        return List.of(
            "listeners=PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + seat.controllerPort(),
            "advertised.listeners=PLAINTEXT://127.0.0.1:" + brokerPort,
            "inter.broker.listener.name=PLAINTEXT",
            "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    }

    /**
     * Clients and the broker itself on SASL_SSL with SCRAM-SHA-512; the controller listener on SASL with PLAIN (KRaft
     * controllers cannot check SCRAM: the credentials live in the metadata they serve), so that no listener lets an
     * unauthenticated client in. ACLs are enforced and only the admin user is exempt.
     */
    private static List<String> securedListeners(int brokerPort, QuorumSeat seat, BrokerSecurity security) {
        String admin = BrokerSecurity.ADMIN;
        String adminPassword = security.password(admin);
        TestCertificateAuthority tls = security.tls();
        return List.of(
            "listeners=SASL_SSL://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + seat.controllerPort(),
            "advertised.listeners=SASL_SSL://127.0.0.1:" + brokerPort,
            "inter.broker.listener.name=SASL_SSL",
            "listener.security.protocol.map=SASL_SSL:SASL_SSL,CONTROLLER:SASL_PLAINTEXT",
            "sasl.enabled.mechanisms=" + BrokerSecurity.MECHANISM,
            "sasl.mechanism.inter.broker.protocol=" + BrokerSecurity.MECHANISM,
            "listener.name.sasl_ssl." + BrokerSecurity.MECHANISM.toLowerCase(Locale.ROOT) + ".sasl.jaas.config="
                + BrokerSecurity.jaasConfig(admin, adminPassword),
            "sasl.mechanism.controller.protocol=PLAIN",
            "listener.name.controller.sasl.enabled.mechanisms=PLAIN",
            "listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required "
                + "username=\"" + admin + "\" password=\"" + adminPassword + "\" user_" + admin + "=\"" + adminPassword + "\";",
            "ssl.keystore.location=" + tls.serverKeyStore(),
            "ssl.keystore.type=PKCS12",
            "ssl.keystore.password=" + tls.password(),
            "ssl.key.password=" + tls.password(),
            "ssl.truststore.location=" + tls.trustStore(),
            "ssl.truststore.type=PKCS12",
            "ssl.truststore.password=" + tls.password(),
            "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
            "super.users=User:" + admin,
            "allow.everyone.if.no.acl.found=false");
    }

    /**
     * Formats the storage once, with the SCRAM users of a secured broker; a directory that holds a formatted log is
     * reused as it is.
     *
     * @return false when the storage was already formatted: the broker restarts on its earlier data
     */
    private static boolean formatIfNew(Path config, Path dataDir, String clusterId, BrokerSecurity security) {
        if (Files.exists(dataDir.resolve("logs").resolve("meta.properties"))) {
            return false;
        }
        List<String> args = new ArrayList<>(List.of("format", "-t", clusterId, "-c", config.toString()));
        if (security != null) {
            security.passwords().forEach((user, password) -> args.addAll(List.of("--add-scram",
                BrokerSecurity.MECHANISM + "=[name=" + user + ",password=" + password + "]")));
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int code;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            code = kafka.tools.StorageTool.execute(args.toArray(String[]::new), out);
        }
        if (code != 0) {
            throw new IllegalStateException("Formatting Kafka storage in " + dataDir + " failed (" + code + "): "
                + output.toString(StandardCharsets.UTF_8));
        }
        return true;
    }

    private static Process launch(Path config, Path logFile, String heap) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heap, "-XX:+UseG1GC", "-XX:TieredStopAtLevel=1",
            "-Djava.awt.headless=true", "-Dnmstream.embedded.kafka=" + UUID.randomUUID()));
        // The broker logs as this JVM does. A JVM whose logging configuration is named by this property (the bench's is)
        // has none the broker could find on the class path, and logback's default logs every DEBUG line: the broker
        // spent its CPU writing tens of megabytes a minute of them.
        String logging = System.getProperty(LOGBACK_CONFIGURATION);
        if (logging != null) {
            command.add("-D" + LOGBACK_CONFIGURATION + "=" + logging);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), EmbeddedKafkaMain.class.getName(), config.toString()));
        // standard input stays a pipe from this JVM, held open until it ends: the broker stops when it reads end of file
        ProcessBuilder builder = new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.PIPE)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the Kafka broker JVM", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("Could not delete {}: {}", dir, e.toString());
        }
    }
}
