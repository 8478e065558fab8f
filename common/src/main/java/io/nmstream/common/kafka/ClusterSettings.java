package io.nmstream.common.kafka;

import io.nmstream.common.config.Config;
import io.nmstream.common.config.ConfigException;
import io.nmstream.common.config.Setting;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.registry.RestSchemaRegistryClient;
import io.nmstream.schemas.registry.SchemaRegistryClient;
import java.io.File;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Where the Kafka cluster and the schema registry are, how to authenticate to them, and how topics are laid out: the
 * settings every nmstream service and command shares.
 *
 * <p>The defaults point at {@code nmstream up} on this host, so that every command works against it with no flags.
 */
public final class ClusterSettings {

    public static final Setting<String> BOOTSTRAP_SERVERS = Setting.string("kafka.bootstrap.servers", "localhost:9092",
        "Kafka bootstrap servers, host:port[,host:port...].");
    public static final Setting<String> REGISTRY_URL = Setting.httpUrl("registry.url", "http://localhost:8081",
        "Base URL of a Confluent-compatible schema registry (Confluent, Karapace, Apicurio ccompat, or nmstream's embedded one).");
    public static final Setting<String> REGISTRY_BASIC_AUTH = Setting.string("registry.basic.auth.user.info", "",
        "user:password for the registry's HTTP basic authentication; empty for none.");
    public static final Setting<String> REGISTRY_TRUSTSTORE_LOCATION = Setting.string("registry.ssl.truststore.location", "",
        "Truststore (PKCS12 or JKS) holding the CA certificate(s) the registry's HTTPS certificate must chain to; empty for the "
            + "JVM's default CAs.");
    public static final Setting<String> REGISTRY_TRUSTSTORE_PASSWORD = Setting.string("registry.ssl.truststore.password", "",
        "Password of the registry truststore.");
    public static final Setting<String> SECURITY_PROTOCOL = Setting.string("kafka.security.protocol", "PLAINTEXT",
        "Kafka security.protocol: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL.");
    public static final Setting<String> SASL_MECHANISM = Setting.string("kafka.sasl.mechanism", "",
        "Kafka sasl.mechanism (PLAIN, SCRAM-SHA-512, ...); empty when SASL is not used.");
    public static final Setting<String> SASL_JAAS_CONFIG = Setting.string("kafka.sasl.jaas.config", "",
        "Kafka sasl.jaas.config; empty when SASL is not used.");
    public static final Setting<String> SSL_TRUSTSTORE_LOCATION = Setting.string("kafka.ssl.truststore.location", "",
        "Truststore for TLS to Kafka; empty for the JVM default.");
    public static final Setting<String> SSL_TRUSTSTORE_PASSWORD = Setting.string("kafka.ssl.truststore.password", "",
        "Password of the Kafka truststore.");
    public static final Setting<String> TOPIC_NAMESPACE = Setting.string("topics.namespace", Topics.DEFAULT_NAMESPACE,
        "Prefix of every topic name, so that several fleets can share one Kafka cluster.");
    public static final Setting<Integer> TOPIC_PARTITIONS = Setting.integer("topics.partitions", 6, 1, 10_000,
        "Partitions of nmstream's topics when the bootstrapper creates them.");
    public static final Setting<Integer> TOPIC_REPLICATION = Setting.integer("topics.replication.factor", 1, 1, 32,
        "Replication factor of nmstream's topics when the bootstrapper creates them.");
    public static final Setting<Integer> TOPIC_MIN_INSYNC_REPLICAS = Setting.integer("topics.min.insync.replicas", 1, 1, 32,
        "min.insync.replicas of nmstream's topics (and the reconciler's internal ones): how many copies must have a write "
            + "before it counts; at most topics.replication.factor.");
    public static final Setting<Duration> ENACTMENT_RETENTION = Setting.duration("topics.enactments.retention",
        Topics.DEFAULT_ENACTMENT_RETENTION, "How long the enactment audit log is kept.");

    /** Every setting declared here, for validation at start-up and the configuration reference. */
    public static final List<Setting<?>> ALL = List.of(BOOTSTRAP_SERVERS, REGISTRY_URL, REGISTRY_BASIC_AUTH, REGISTRY_TRUSTSTORE_LOCATION,
        REGISTRY_TRUSTSTORE_PASSWORD, SECURITY_PROTOCOL,
        SASL_MECHANISM, SASL_JAAS_CONFIG, SSL_TRUSTSTORE_LOCATION, SSL_TRUSTSTORE_PASSWORD, TOPIC_NAMESPACE, TOPIC_PARTITIONS,
        TOPIC_REPLICATION, TOPIC_MIN_INSYNC_REPLICAS, ENACTMENT_RETENTION);

    private final Config config;

    /** The configuration these settings read, for services that read their own settings from it too. */
    public Config config() {
        return config;
    }

    public ClusterSettings(Config config) {
        config.validate(ALL);
        if (config.get(TOPIC_MIN_INSYNC_REPLICAS) > config.get(TOPIC_REPLICATION)) {
            throw new ConfigException(TOPIC_MIN_INSYNC_REPLICAS.name() + " is " + config.get(TOPIC_MIN_INSYNC_REPLICAS) + " but "
                + TOPIC_REPLICATION.name() + " is " + config.get(TOPIC_REPLICATION) + ": no write could ever be acknowledged");
        }
        this.config = config;
    }

    public String bootstrapServers() {
        return config.get(BOOTSTRAP_SERVERS);
    }

    public short replicationFactor() {
        return config.get(TOPIC_REPLICATION).shortValue();
    }

    public int minInsyncReplicas() {
        return config.get(TOPIC_MIN_INSYNC_REPLICAS);
    }

    public String registryUrl() {
        return config.get(REGISTRY_URL);
    }

    /** A registry client for the configured registry. */
    public SchemaRegistryClient registryClient() {
        RestSchemaRegistryClient.Options options = RestSchemaRegistryClient.Options.of(registryUrl());
        String userInfo = config.get(REGISTRY_BASIC_AUTH);
        if (!userInfo.isEmpty()) {
            options = options.withBasicAuth(userInfo);
        }
        String truststore = config.get(REGISTRY_TRUSTSTORE_LOCATION);
        if (!truststore.isEmpty()) {
            options = options.withSslContext(trusting(truststore, config.get(REGISTRY_TRUSTSTORE_PASSWORD)));
        }
        return new RestSchemaRegistryClient(options);
    }

    /** A TLS context that trusts the certificates of {@code location} (a private CA), and no others. */
    private static SSLContext trusting(String location, String password) {
        try {
            KeyStore store = KeyStore.getInstance(new File(location), password.toCharArray());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new ConfigException("Setting '" + REGISTRY_TRUSTSTORE_LOCATION.name() + "' (environment variable "
                + REGISTRY_TRUSTSTORE_LOCATION.envVar() + ") has value '" + location + "': cannot be read as a truststore with the "
                + "password of '" + REGISTRY_TRUSTSTORE_PASSWORD.name() + "': " + e.getMessage());
        }
    }

    /** The topic catalogue, with serdes bound to {@code registry}. */
    public Topics topics(SchemaRegistryClient registry) {
        return new Topics(registry, config.get(TOPIC_NAMESPACE), config.get(TOPIC_PARTITIONS), replicationFactor(),
            config.get(ENACTMENT_RETENTION));
    }

    /**
     * Connection and security properties common to producers, consumers, admin clients and Kafka Streams, plus any
     * explicit {@code kafka.client.*} pass-through settings.
     */
    public Properties clientProperties() {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers());
        props.put("security.protocol", config.get(SECURITY_PROTOCOL));
        putIfSet(props, "sasl.mechanism", config.get(SASL_MECHANISM));
        putIfSet(props, "sasl.jaas.config", config.get(SASL_JAAS_CONFIG));
        putIfSet(props, "ssl.truststore.location", config.get(SSL_TRUSTSTORE_LOCATION));
        putIfSet(props, "ssl.truststore.password", config.get(SSL_TRUSTSTORE_PASSWORD));
        props.putAll(config.withPrefix("kafka.client."));
        return props;
    }

    private static void putIfSet(Properties props, String key, String value) {
        if (!value.isEmpty()) {
            props.put(key, value);
        }
    }
}
