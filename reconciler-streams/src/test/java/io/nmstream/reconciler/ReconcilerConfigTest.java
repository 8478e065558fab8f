package io.nmstream.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nmstream.common.config.Config;
import io.nmstream.common.config.ConfigException;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.reconciler.errors.DeadLetterDeserializationHandler;
import io.nmstream.reconciler.errors.DeadLetters;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.registry.InMemorySchemaRegistryClient;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class ReconcilerConfigTest {

    private final Topics topics = Topics.withDefaults(new InMemorySchemaRegistryClient());

    @Test
    void streamsRunExactlyOnceWithDeadLetterHandlers() {
        Config config = Config.of(Map.of());
        Properties props = ReconcilerConfig.from(config).streamsProperties(new ClusterSettings(config), topics);

        assertThat(props.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(props.get(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG))
            .isEqualTo(DeadLetterDeserializationHandler.class.getName());
        assertThat(props.get(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG)).isNotNull();
        assertThat(props.get(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG)).isNotNull();
        assertThat(props.get(DeadLetters.TOPIC_CONFIG)).isEqualTo(topics.deadLetters().name());
        assertThat((Long) props.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isGreaterThan(1L);
        assertThat(props.get(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG)))
            .as("a transaction may stay open for a minute, not Kafka Streams' 10 s").isEqualTo(60_000);
        assertThat(props.get(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("nmstream-reconciler");
    }

    @Test
    void settingsAreTakenFromTheConfiguration() {
        Config config = Config.of(Map.of("reconciler.threads", "4", "reconciler.standby.replicas", "2",
            "reconciler.command.timeout", "90s", "reconciler.application.id", "fleet-a-reconciler", "kafka.bootstrap.servers", "k1:9092",
            "reconciler.transaction.timeout", "2m"));
        ReconcilerConfig reconciler = ReconcilerConfig.from(config);
        Properties props = reconciler.streamsProperties(new ClusterSettings(config), topics);

        assertThat(reconciler.commandTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(props.get(StreamsConfig.NUM_STREAM_THREADS_CONFIG)).isEqualTo(4);
        assertThat(props.get(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG))).isEqualTo(120_000);
        assertThat(props.get(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG)).isEqualTo(2);
        assertThat(props.get(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("fleet-a-reconciler");
        assertThat(props.get("bootstrap.servers")).isEqualTo("k1:9092");
    }

    @Test
    void aTransactionTimeoutPassedThroughToKafkaAppliesUnlessTheReconcilersOwnIsSet() {
        assertThat(producerTransactionTimeout(Map.of())).as("default").isEqualTo(60_000);
        assertThat(producerTransactionTimeout(Map.of("kafka.client.transaction.timeout.ms", "90000"))).isEqualTo(90_000);
        assertThat(producerTransactionTimeout(Map.of("kafka.client.transaction.timeout.ms", "90000",
            "reconciler.transaction.timeout", "2m"))).isEqualTo(120_000);
    }

    /** The transaction timeout Kafka Streams gives its producers under these settings. */
    private int producerTransactionTimeout(Map<String, String> settings) {
        Config config = Config.of(settings);
        Properties props = ReconcilerConfig.from(config).streamsProperties(new ClusterSettings(config), topics);
        return Integer.parseInt(new StreamsConfig(props).getProducerConfigs("reconciler-test")
            .get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG).toString());
    }

    @Test
    void internalTopicsAreReplicatedAsTheClusterSettingsSay() {
        Config config = Config.of(Map.of("topics.replication.factor", "3", "topics.min.insync.replicas", "2"));
        ClusterSettings cluster = new ClusterSettings(config);
        Properties props = ReconcilerConfig.from(config).streamsProperties(cluster, cluster.topics(new InMemorySchemaRegistryClient()));

        assertThat(props.get(StreamsConfig.REPLICATION_FACTOR_CONFIG)).isEqualTo(3);
        assertThat(props.get(StreamsConfig.topicPrefix("min.insync.replicas"))).isEqualTo(2);
    }

    @Test
    void badValueStopsStartUpNamingTheSettingAndValue() {
        assertThatThrownBy(() -> ReconcilerConfig.from(Config.of(Map.of("reconciler.threads", "many"))))
            .isInstanceOf(ConfigException.class).hasMessageContaining("reconciler.threads").hasMessageContaining("'many'");
        assertThatThrownBy(() -> ReconcilerConfig.from(Config.of(Map.of("reconciler.commit.interval", "1ms"))))
            .isInstanceOf(ConfigException.class).hasMessageContaining("reconciler.commit.interval").hasMessageContaining("at least 10ms");
        assertThatThrownBy(() -> ReconcilerConfig.from(Config.of(Map.of("reconciler.transaction.timeout", "500ms"))))
            .isInstanceOf(ConfigException.class).hasMessageContaining("reconciler.transaction.timeout")
            .hasMessageContaining("at least 1000ms");
        assertThatThrownBy(() -> ReconcilerConfig.from(Config.of(Map.of("reconciler.command.timeout", "soon"))))
            .isInstanceOf(ConfigException.class).hasMessageContaining("NMSTREAM_RECONCILER_COMMAND_TIMEOUT");
    }
}
