package io.nmstream.embedded;

import io.nmstream.common.config.Config;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.kafka.TopicBootstrapper;
import io.nmstream.embedded.registry.EmbeddedSchemaRegistry;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.registry.SchemaRegistryClient;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * nmstream's embedded default: a real KRaft broker and a Confluent-compatible schema registry whose schemas live in a
 * compacted topic of that broker. The demo, {@code nmstream up} and the integration tests all run on it.
 */
public final class EmbeddedCluster implements AutoCloseable {

    private final EmbeddedKafka kafka;
    private final EmbeddedSchemaRegistry registry;
    private final ClusterSettings settings;
    private final SchemaRegistryClient registryClient;

    private EmbeddedCluster(EmbeddedKafka kafka, EmbeddedSchemaRegistry registry) {
        this.kafka = kafka;
        this.registry = registry;
        this.settings = new ClusterSettings(Config.of(Map.of(
            ClusterSettings.BOOTSTRAP_SERVERS.name(), kafka.bootstrapServers(),
            ClusterSettings.REGISTRY_URL.name(), registry.url())));
        this.registryClient = settings.registryClient();
    }

    /** Starts a broker (data in {@code dataDir}, or a temporary directory when null) and a registry, on free ports. */
    public static EmbeddedCluster start(Path dataDir) {
        return start(EmbeddedKafka.Options.defaults().withDataDir(dataDir), 0);
    }

    /** Starts a broker with {@code kafkaOptions} and a registry on {@code registryPort} (0 for a free port). */
    public static EmbeddedCluster start(EmbeddedKafka.Options kafkaOptions, int registryPort) {
        EmbeddedKafka kafka = EmbeddedKafka.start(kafkaOptions);
        try {
            String storage = Topics.registrySchemasIn(Topics.DEFAULT_NAMESPACE, (short) 1).name();
            EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(kafka.clientProperties(), storage, registryPort);
            return new EmbeddedCluster(kafka, registry);
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
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

    public EmbeddedKafka kafka() {
        return kafka;
    }

    public EmbeddedSchemaRegistry registry() {
        return registry;
    }

    /** nmstream's topics under {@code namespace}, created on this broker if missing. */
    public Topics createTopics(String namespace) {
        Topics topics = new ClusterSettings(config().with(ClusterSettings.TOPIC_NAMESPACE.name(), namespace)).topics(registryClient);
        try (Admin admin = Admin.create(settings.clientProperties())) {
            new TopicBootstrapper(admin).ensure(topics.all());
        }
        return topics;
    }

    @Override
    public void close() {
        try {
            registry.close();
        } finally {
            kafka.close();
        }
    }
}
