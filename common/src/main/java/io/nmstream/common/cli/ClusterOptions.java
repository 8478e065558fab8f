package io.nmstream.common.cli;

import io.nmstream.common.config.Config;
import io.nmstream.common.kafka.ClusterListeners;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.kafka.KafkaConnectionCheck;
import io.nmstream.schemas.Topics;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The connection flags of every {@code nmstream} command that talks to the cluster (a picocli mixin): Kafka, the
 * registry, the topic namespace and any other setting as {@code --set name=value}. Unset flags fall back to the
 * {@code NMSTREAM_*} environment variables and then to the defaults, which point at {@code nmstream up} on this host.
 */
public final class ClusterOptions {

    /** How long a command waits for Kafka's first answer. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(5);

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]", description = "Kafka bootstrap servers.")
    String bootstrapServers;

    @Option(names = "--registry-url", paramLabel = "URL", description = "Schema registry URL.")
    String registryUrl;

    @Option(names = {"--topic-namespace", "--namespace"}, paramLabel = "NAME", description = "Prefix of nmstream's topic names.")
    String topicNamespace;

    @Option(names = "--set", paramLabel = "NAME=VALUE", description = "Any other setting, e.g. --set kafka.security.protocol=SSL.")
    Map<String, String> settings = new LinkedHashMap<>();

    /** The configuration these flags describe, over the environment. */
    public Config config() {
        Map<String, String> values = new LinkedHashMap<>(settings);
        putIfSet(values, ClusterSettings.BOOTSTRAP_SERVERS.name(), bootstrapServers);
        putIfSet(values, ClusterSettings.REGISTRY_URL.name(), registryUrl);
        putIfSet(values, ClusterSettings.TOPIC_NAMESPACE.name(), topicNamespace);
        return Config.fromEnvironment(values);
    }

    /** The cluster these flags point at. */
    public ClusterSettings cluster() {
        return new ClusterSettings(config());
    }

    /**
     * The cluster these flags point at, once Kafka has answered: a command that only reads fails within a few seconds
     * (at once when nothing listens at Kafka's or the registry's address), naming the address it tried, instead of
     * retrying for its whole timeout.
     */
    public ClusterSettings answeringCluster() {
        ClusterSettings cluster = cluster();
        ClusterListeners.require(cluster);
        KafkaConnectionCheck.requireAnswer(cluster, ANSWER_TIMEOUT);
        return cluster;
    }

    /** The topics of the configured namespace, with serdes bound to the configured registry. */
    public Topics topics(ClusterSettings cluster) {
        return cluster.topics(cluster.registryClient());
    }

    private static void putIfSet(Map<String, String> values, String name, String value) {
        if (value != null) {
            values.put(name, value);
        }
    }
}
