package io.nmstream.ingest.cli;

import io.nmstream.common.config.Config;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.ingest.IngestSettings;
import io.nmstream.ingest.publish.PolicyPublisher;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The connection flags every {@code policy} command that talks to the cluster shares; unset flags fall back to the
 * NMSTREAM_* environment variables and then to {@link ClusterSettings}' defaults.
 */
public final class ClusterOptions {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]", description = "Kafka bootstrap servers.")
    String bootstrapServers;

    @Option(names = "--registry-url", paramLabel = "URL", description = "Schema registry URL.")
    String registryUrl;

    @Option(names = "--topic-namespace", paramLabel = "NAME", description = "Prefix of nmstream's topic names.")
    String topicNamespace;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "How long to wait for Kafka and the registry (e.g. 15s).")
    String timeout;

    @Option(names = "--set", paramLabel = "SETTING=VALUE", description = "Any other setting, e.g. --set kafka.security.protocol=SSL.")
    Map<String, String> settings = new HashMap<>();

    /** The configuration these flags describe. */
    public Config config() {
        Map<String, String> values = new HashMap<>(settings);
        putIfSet(values, ClusterSettings.BOOTSTRAP_SERVERS.name(), bootstrapServers);
        putIfSet(values, ClusterSettings.REGISTRY_URL.name(), registryUrl);
        putIfSet(values, ClusterSettings.TOPIC_NAMESPACE.name(), topicNamespace);
        putIfSet(values, IngestSettings.KAFKA_TIMEOUT.name(), timeout);
        return Config.fromEnvironment(values);
    }

    /** A publisher connected to the configured cluster. */
    public PolicyPublisher publisher(String clientId) {
        Config config = config();
        return PolicyPublisher.connect(new ClusterSettings(config), config.get(IngestSettings.KAFKA_TIMEOUT), clientId);
    }

    private static void putIfSet(Map<String, String> values, String name, String value) {
        if (value != null) {
            values.put(name, value);
        }
    }
}
