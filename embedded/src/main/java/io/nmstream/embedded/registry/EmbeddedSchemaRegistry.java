package io.nmstream.embedded.registry;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A schema registry serving the Confluent Schema Registry REST contract on a loopback port, keeping its schemas in a
 * compacted Kafka topic so that ids stay stable across restarts.
 *
 * <p>It serves nmstream's embedded default and the tests; production points at a real registry (Confluent, Karapace,
 * Apicurio). Only AVRO schemas are served. One registry writes a storage topic at a time: a second one on the same topic
 * would not see the first one's later writes until it restarts.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);
    private static final Duration REPLAY_TIMEOUT = Duration.ofSeconds(60);

    private final HttpServer server;
    private final ExecutorService executor;
    private final SchemaLog log;
    private final String url;

    private EmbeddedSchemaRegistry(HttpServer server, ExecutorService executor, SchemaLog log, boolean tls) {
        this.server = server;
        this.executor = executor;
        this.log = log;
        InetSocketAddress address = server.getAddress();
        this.url = (tls ? "https" : "http") + "://" + address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    /**
     * How the registry serves.
     *
     * @param port the loopback port to serve on; 0 for a free one
     * @param basicAuthUserInfo {@code user:password} every write (register, delete, compatibility and mode settings) must
     *     present as HTTP basic authentication, reads need none; null for none
     * @param tls the server's TLS context (its key and certificate) to serve {@code https}; null for plain {@code http}
     */
    public record Options(int port, String basicAuthUserInfo, SSLContext tls) {

        public Options {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("Registry port must be between 0 and 65535, was " + port);
            }
            if (basicAuthUserInfo != null && basicAuthUserInfo.indexOf(':') < 1) {
                // the value is a secret: say what is wrong with it without echoing it
                throw new IllegalArgumentException("Registry basic auth must be given as user:password; the value given has no user "
                    + "before a ':'");
            }
        }

        /** Plain HTTP without authentication on {@code port} (0 for a free one). */
        public static Options onPort(int port) {
            return new Options(port, null, null);
        }

        public Options withBasicAuth(String userInfo) {
            return new Options(port, userInfo, tls);
        }

        public Options withTls(SSLContext context) {
            return new Options(port, basicAuthUserInfo, context);
        }
    }

    /**
     * Starts a registry on plain HTTP without authentication.
     *
     * @param kafkaClientProps connection properties of the Kafka cluster holding the storage topic
     * @param topicName the storage topic; created (compacted, one partition) when absent, re-read when present
     * @param port the loopback port to serve on; 0 for a free one
     */
    public static EmbeddedSchemaRegistry start(Properties kafkaClientProps, String topicName, int port) {
        return start(kafkaClientProps, topicName, Options.onPort(port));
    }

    /** Starts a registry serving as {@code options} say. */
    public static EmbeddedSchemaRegistry start(Properties kafkaClientProps, String topicName, Options options) {
        SchemaLog log = SchemaLog.open(kafkaClientProps, topicName);
        ExecutorService executor = null;
        try {
            SchemaStore store = SchemaStore.replay(log, REPLAY_TIMEOUT);
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), options.port());
            HttpServer server;
            if (options.tls() == null) {
                server = HttpServer.create(address, 50);
            } else {
                HttpsServer https = HttpsServer.create(address, 50);
                https.setHttpsConfigurator(new HttpsConfigurator(options.tls()));
                server = https;
            }
            executor = Executors.newFixedThreadPool(4, daemonThreads());
            server.setExecutor(executor);
            server.createContext("/", new RegistryHttpApi(store, options.basicAuthUserInfo()));
            server.start();
            EmbeddedSchemaRegistry registry = new EmbeddedSchemaRegistry(server, executor, log, options.tls() != null);
            LOG.info("Schema registry serving {} with {} schemas from topic {}{}", registry.url, store.schemaCount(), topicName,
                options.basicAuthUserInfo() == null ? "" : " (basic authentication required for writes)");
            return registry;
        } catch (IOException | RuntimeException e) {
            log.close();
            if (executor != null) {
                executor.shutdownNow();
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException("Cannot serve the schema registry on loopback port " + options.port() + ": "
                    + io.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
    }

    /** Base URL, e.g. {@code http://127.0.0.1:40123} ({@code https} when serving TLS). */
    public String url() {
        return url;
    }

    /** The port served on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The Kafka topic the schemas are kept in. */
    public String topic() {
        return log.topic();
    }

    /** Stops serving (letting requests in flight finish for up to a second) and closes the storage producer. */
    @Override
    public void close() {
        server.stop(1);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
        log.close();
        LOG.info("Schema registry at {} stopped", url);
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "schema-registry-http-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
