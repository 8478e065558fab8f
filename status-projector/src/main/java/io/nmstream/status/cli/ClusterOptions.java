package io.nmstream.status.cli;

import io.nmstream.common.config.Config;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.schemas.Topics;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where the commands find Kafka, the registry and the topics: flags, {@code --set name=value}, or the {@code NMSTREAM_*}
 * environment variables; the defaults point at {@code nmstream up} on this host.
 */
public final class ClusterOptions {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "Kafka bootstrap servers.")
    String bootstrapServers;

    @Option(names = "--registry-url", paramLabel = "URL", description = "Schema registry URL.")
    String registryUrl;

    @Option(names = "--namespace", paramLabel = "NS", description = "Topic namespace (prefix of every topic name).")
    String namespace;

    @Option(names = "--set", paramLabel = "NAME=VALUE", description = "Any setting, e.g. --set kafka.security.protocol=SSL.")
    Map<String, String> settings = new LinkedHashMap<>();

    /** The configuration these options describe. */
    public Config config() {
        Map<String, String> values = new LinkedHashMap<>(settings);
        putIfSet(values, ClusterSettings.BOOTSTRAP_SERVERS.name(), bootstrapServers);
        putIfSet(values, ClusterSettings.REGISTRY_URL.name(), registryUrl);
        putIfSet(values, ClusterSettings.TOPIC_NAMESPACE.name(), namespace);
        return Config.fromEnvironment(values);
    }

    public ClusterSettings cluster() {
        return new ClusterSettings(config());
    }

    /** The topics of the configured namespace. */
    public Topics topics(ClusterSettings cluster) {
        return cluster.topics(cluster.registryClient());
    }

    private static void putIfSet(Map<String, String> values, String name, String value) {
        if (value != null) {
            values.put(name, value);
        }
    }
}
