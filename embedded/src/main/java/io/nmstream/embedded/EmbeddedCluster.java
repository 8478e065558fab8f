package io.nmstream.embedded;

import io.nmstream.common.config.Config;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.kafka.SubjectBootstrapper;
import io.nmstream.common.kafka.TopicBootstrapper;
import io.nmstream.embedded.registry.EmbeddedSchemaRegistry;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.registry.SchemaRegistryClient;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Admin;

/**
 * nmstream's embedded default: a real KRaft broker and a Confluent-compatible schema registry whose schemas live in a
 * compacted topic of that broker. The demo, {@code nmstream up} and the integration tests all run on it.
 *
 * <p>It can also run several brokers ({@link #start(int, EmbeddedKafka.Options, int)}): three combined KRaft nodes with
 * a three-voter quorum, nmstream's topics replicated three times with {@code min.insync.replicas} 2, for tests that
 * lose a broker.
 */
public final class EmbeddedCluster implements AutoCloseable {

    private final EmbeddedKafkaQuorum brokers;
    private final EmbeddedSchemaRegistry registry;
    private final ClusterSettings settings;
    private final SchemaRegistryClient registryClient;

    private EmbeddedCluster(EmbeddedKafkaQuorum brokers, EmbeddedSchemaRegistry registry) {
        this.brokers = brokers;
        this.registry = registry;
        this.settings = new ClusterSettings(Config.of(Map.of(
            ClusterSettings.BOOTSTRAP_SERVERS.name(), brokers.bootstrapServers(),
            ClusterSettings.REGISTRY_URL.name(), registry.url(),
            ClusterSettings.TOPIC_REPLICATION.name(), Integer.toString(replicationFactor(brokers.size())),
            ClusterSettings.TOPIC_MIN_INSYNC_REPLICAS.name(), Integer.toString(minInsyncReplicas(brokers.size())))));
        this.registryClient = settings.registryClient();
    }

    /** Three copies where the cluster has the brokers for them: the usual production choice. */
    private static int replicationFactor(int brokers) {
        return Math.min(brokers, 3);
    }

    /** Two of three copies in sync: one broker may be lost without stopping writes or losing an acknowledged one. */
    private static int minInsyncReplicas(int brokers) {
        return Math.min(brokers, 2);
    }

    /** Starts a broker (data in {@code dataDir}, or a temporary directory when null) and a registry, on free ports. */
    public static EmbeddedCluster start(Path dataDir) {
        return start(EmbeddedKafka.Options.defaults().withDataDir(dataDir), 0);
    }

    /** Starts a broker with {@code kafkaOptions} and a registry on {@code registryPort} (0 for a free port). */
    public static EmbeddedCluster start(EmbeddedKafka.Options kafkaOptions, int registryPort) {
        return start(1, kafkaOptions, registryPort);
    }

    /**
     * Starts {@code brokers} KRaft nodes in one quorum ({@link EmbeddedKafkaQuorum}) and a registry on {@code registryPort}
     * (0 for a free port). The settings of {@link #config()} replicate topics {@code min(brokers, 3)} times with
     * {@code min(brokers, 2)} in sync.
     */
    public static EmbeddedCluster start(int brokers, EmbeddedKafka.Options kafkaOptions, int registryPort) {
        EmbeddedKafkaQuorum quorum = EmbeddedKafkaQuorum.start(brokers, kafkaOptions);
        try {
            Properties client = new Properties();
            client.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, quorum.bootstrapServers());
            String storage = Topics.registrySchemasIn(Topics.DEFAULT_NAMESPACE, (short) replicationFactor(brokers)).name();
            EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(client, storage, registryPort);
            return new EmbeddedCluster(quorum, registry);
        } catch (RuntimeException e) {
            quorum.close();
            throw e;
        }
    }

    public String bootstrapServers() {
        return brokers.bootstrapServers();
    }

    public String registryUrl() {
        return registry.url();
    }

    /** A configuration that points at this cluster; add service settings with {@link Config#with}. */
    public Config config() {
        return settings.config();
    }

    public ClusterSettings settings() {
        return settings;
    }

    public SchemaRegistryClient registryClient() {
        return registryClient;
    }

    /** The first broker (the only one unless started with several). */
    public EmbeddedKafka kafka() {
        return brokers.nodes().get(0);
    }

    /** Every broker of the cluster. */
    public EmbeddedKafkaQuorum brokers() {
        return brokers;
    }

    public EmbeddedSchemaRegistry registry() {
        return registry;
    }

    /**
     * nmstream's topics under {@code namespace}, created on this broker if missing, with the value schema of each
     * registered under its subject.
     */
    public Topics createTopics(String namespace) {
        Topics topics = new ClusterSettings(config().with(ClusterSettings.TOPIC_NAMESPACE.name(), namespace)).topics(registryClient);
        try (Admin admin = Admin.create(settings.clientProperties())) {
            new TopicBootstrapper(admin, settings).ensure(topics.all());
        }
        SubjectBootstrapper.ensure(topics.all());
        return topics;
    }

    @Override
    public void close() {
        try {
            registry.close();
        } finally {
            brokers.close();
        }
    }
}
