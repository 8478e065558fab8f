package io.nmstream.embedded.registry;

import io.nmstream.common.http.HttpServer;
import io.nmstream.common.http.HttpServerSettings;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Properties;
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

    /** Largest request body: a schema and its JSON envelope. */
    private static final long MAX_BODY_BYTES = 8L << 20;

    private final HttpServer server;
    private final SchemaLog log;

    private EmbeddedSchemaRegistry(HttpServer server, SchemaLog log) {
        this.server = server;
        this.log = log;
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
        try {
            SchemaStore store = SchemaStore.replay(log, REPLAY_TIMEOUT);
            HttpServerSettings settings = HttpServerSettings.defaults("schema-registry", InetAddress.getLoopbackAddress().getHostAddress(),
                options.port(), MAX_BODY_BYTES).withTls(options.tls());
            HttpServer server = HttpServer.start(settings, new RegistryHttpApi(store, options.basicAuthUserInfo()));
            EmbeddedSchemaRegistry registry = new EmbeddedSchemaRegistry(server, log);
            LOG.info("Schema registry serving {} with {} schemas from topic {}{}", registry.url(), store.schemaCount(), topicName,
                options.basicAuthUserInfo() == null ? "" : " (basic authentication required for writes)");
            return registry;
        } catch (RuntimeException e) {
            log.close();
            throw e;
        }
    }

    /** Base URL, e.g. {@code http://127.0.0.1:40123} ({@code https} when serving TLS). */
    public String url() {
        return server.url();
    }

    /** The port served on. */
    public int port() {
        return server.port();
    }

    /** The Kafka topic the schemas are kept in. */
    public String topic() {
        return log.topic();
    }

    /** Stops serving (letting requests in flight finish for up to two seconds) and closes the storage producer. */
    @Override
    public void close() {
        server.close();
        log.close();
        LOG.info("Schema registry at {} stopped", url());
    }
}
