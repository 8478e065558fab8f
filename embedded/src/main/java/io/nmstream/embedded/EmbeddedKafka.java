package io.nmstream.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
 * restart it like a real server. The data directory is formatted on first use and kept when given, so a restart on the
 * same directory keeps every topic and offset; a temporary directory is deleted on close.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    /**
     * How to run the broker.
     *
     * @param dataDir where logs and metadata live; null for a temporary directory deleted on close
     * @param brokerPort the client listener's port on 127.0.0.1; 0 for a free port
     * @param heap the child JVM's maximum heap, e.g. "768m"
     * @param startTimeout how long to wait for the broker to answer
     */
    public record Options(Path dataDir, int brokerPort, String heap, Duration startTimeout) {

        public static Options defaults() {
            return new Options(null, 0, "768m", Duration.ofSeconds(90));
        }

        public Options withDataDir(Path dir) {
            return new Options(dir, brokerPort, heap, startTimeout);
        }

        public Options withBrokerPort(int port) {
            return new Options(dataDir, port, heap, startTimeout);
        }
    }

    private final Path dataDir;
    private final boolean temporary;
    private final String bootstrapServers;
    private final Process process;
    private final Thread killOnExit;

    private EmbeddedKafka(Path dataDir, boolean temporary, String bootstrapServers, Process process, Thread killOnExit) {
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

    /** Starts a broker and waits until it answers a metadata request. */
    public static EmbeddedKafka start(Options options) {
        boolean temporary = options.dataDir() == null;
        Path dataDir;
        try {
            dataDir = temporary ? Files.createTempDirectory("nmstream-kafka-") : Files.createDirectories(options.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the Kafka data directory", e);
        }
        int brokerPort = options.brokerPort() == 0 ? freePort() : options.brokerPort();
        int controllerPort = freePort();
        Path config = dataDir.resolve("server.properties");
        writeConfig(config, dataDir, brokerPort, controllerPort);
        formatIfNew(config, dataDir);

        String bootstrap = "127.0.0.1:" + brokerPort;
        Process process = launch(config, dataDir, options.heap());
        // a JVM that exits without close() (Ctrl-C) still stops its broker, cleanly, so the data directory needs no recovery
        Thread killOnExit = new Thread(() -> stop(process), "embedded-kafka-stop-on-exit");
        Runtime.getRuntime().addShutdownHook(killOnExit);
        EmbeddedKafka kafka = new EmbeddedKafka(dataDir, temporary, bootstrap, process, killOnExit);
        try {
            kafka.awaitReady(options.startTimeout());
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
        LOG.info("Kafka broker ready at {} (data in {})", bootstrap, dataDir);
        return kafka;
    }

    /** host:port of the broker's PLAINTEXT listener. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The broker's data directory (its log is {@code broker.log} there). */
    public Path dataDir() {
        return dataDir;
    }

    /** Client properties that reach this broker. */
    public Properties clientProperties() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return props;
    }

    /** Stops the broker (SIGTERM, then SIGKILL after 30 s) and deletes a temporary data directory. */
    @Override
    public void close() {
        stop(process);
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

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Properties props = clientProperties();
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        try (Admin admin = Admin.create(props)) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Kafka broker exited with code " + process.exitValue() + " during start-up; see "
                        + dataDir.resolve("broker.log"));
                }
                try {
                    admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException | TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("Kafka broker at " + bootstrapServers + " did not become ready within "
                            + timeout.toSeconds() + " s; see " + dataDir.resolve("broker.log"), e);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while waiting for the Kafka broker", e);
                }
            }
        }
    }

    private static void writeConfig(Path config, Path dataDir, int brokerPort, int controllerPort) {
        List<String> lines = List.of(
            "process.roles=broker,controller",
            "node.id=1",
            "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
            "listeners=PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort,
            "advertised.listeners=PLAINTEXT://127.0.0.1:" + brokerPort,
            "controller.listener.names=CONTROLLER",
            "inter.broker.listener.name=PLAINTEXT",
            "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "log.dirs=" + dataDir.resolve("logs"),
            "num.partitions=1",
            "auto.create.topics.enable=false",
            // a single broker: internal topics cannot be replicated, and fewer partitions start faster on small machines
            "offsets.topic.replication.factor=1",
            "offsets.topic.num.partitions=6",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "transaction.state.log.num.partitions=6",
            "share.coordinator.state.topic.replication.factor=1",
            "share.coordinator.state.topic.min.isr=1",
            "group.initial.rebalance.delay.ms=0",
            "log.cleaner.dedupe.buffer.size=16777216");
        try {
            Files.write(config, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + config, e);
        }
    }

    /** Formats the storage once; a directory that holds a formatted log is reused as it is. */
    private static void formatIfNew(Path config, Path dataDir) {
        if (Files.exists(dataDir.resolve("logs").resolve("meta.properties"))) {
            return;
        }
        String clusterId = org.apache.kafka.common.Uuid.randomUuid().toString();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int code;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            code = kafka.tools.StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", config.toString()}, out);
        }
        if (code != 0) {
            throw new IllegalStateException("Formatting Kafka storage in " + dataDir + " failed (" + code + "): "
                + output.toString(StandardCharsets.UTF_8));
        }
    }

    private static Process launch(Path config, Path dataDir, String heap) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heap, "-XX:+UseG1GC", "-XX:TieredStopAtLevel=1",
            "-Djava.awt.headless=true", "-Dnmstream.embedded.kafka=" + UUID.randomUUID(),
            "-cp", System.getProperty("java.class.path"), "kafka.Kafka", config.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("broker.log").toFile()));
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the Kafka broker JVM", e);
        }
    }

    /** A port that was free on the loopback address a moment ago. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free loopback port", e);
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
