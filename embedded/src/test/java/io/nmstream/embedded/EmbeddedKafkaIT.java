package io.nmstream.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nmstream.common.config.ConfigException;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.kafka.TopicBootstrapper;
import io.nmstream.common.kafka.TopicBootstrapper.TopicMismatchException;
import io.nmstream.schemas.Topic;
import io.nmstream.schemas.TopicSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaIT {

    private static Topic<String, String> topic(String name, TopicSettings settings) {
        return new Topic<>(name, Serdes.String(), Serdes.String(), settings);
    }

    @Test
    void bootstrapperCreatesMissingTopicsOnceAndRefusesAnExistingTopicWithOtherSettings(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withDataDir(dir));
             Admin admin = Admin.create(kafka.clientProperties())) {
            Topic<String, String> compacted = topic("t.compacted", TopicSettings.compacted(3, (short) 1));
            Topic<String, String> retained = topic("t.retained", TopicSettings.retained(2, (short) 1, Duration.ofDays(30).toMillis()));
            TopicBootstrapper bootstrapper = new TopicBootstrapper(admin, settings(kafka, 1, 1));

            assertThat(bootstrapper.ensure(List.of(compacted, retained))).containsExactlyInAnyOrder("t.compacted", "t.retained");
            assertThat(bootstrapper.ensure(List.of(compacted, retained))).isEmpty();

            Config config = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, "t.compacted")))
                .all().get().values().iterator().next();
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(admin.describeTopics(List.of("t.retained")).allTopicNames().get().get("t.retained").partitions()).hasSize(2);

            Topic<String, String> sameNameOtherPolicy = topic("t.compacted", TopicSettings.retained(3, (short) 1, 1000L));
            assertThatThrownBy(() -> bootstrapper.ensure(List.of(sameNameOtherPolicy)))
                .isInstanceOf(TopicMismatchException.class)
                .hasMessageContaining("t.compacted: cleanup.policy is compact, expected delete")
                .hasMessageContaining("t.compacted: retention.ms is -1, expected 1000");
        }
    }

    @Test
    void bootstrapperRefusesAReplicationFactorTheClusterHasTooFewBrokersFor(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withDataDir(dir));
             Admin admin = Admin.create(kafka.clientProperties())) {
            Topic<String, String> topic = topic("t.replicated", TopicSettings.compacted(1, (short) 3));

            assertThatThrownBy(() -> new TopicBootstrapper(admin, settings(kafka, 3, 2)).ensure(List.of(topic)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("topics.replication.factor is 3 but the Kafka cluster has 1 broker");
            assertThat(admin.listTopics().names().get()).doesNotContain("t.replicated");
        }
    }

    private static ClusterSettings settings(EmbeddedKafka kafka, int replicationFactor, int minInsyncReplicas) {
        return new ClusterSettings(io.nmstream.common.config.Config.of(Map.of(
            ClusterSettings.BOOTSTRAP_SERVERS.name(), kafka.bootstrapServers(),
            ClusterSettings.TOPIC_REPLICATION.name(), Integer.toString(replicationFactor),
            ClusterSettings.TOPIC_MIN_INSYNC_REPLICAS.name(), Integer.toString(minInsyncReplicas))));
    }

    @Test
    void aBrokerPortAnotherBrokerListensOnIsRefusedBeforeAnythingStartsNotTakenForReady(@TempDir Path dir) {
        try (EmbeddedKafka first = EmbeddedKafka.start(EmbeddedKafka.Options.defaults())) {
            int port = Integer.parseInt(first.bootstrapServers().substring(first.bootstrapServers().lastIndexOf(':') + 1));

            assertThatThrownBy(() -> EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withDataDir(dir.resolve("second"))
                .withBrokerPort(port)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Port " + port + " on 127.0.0.1 is in use (another Kafka broker, or another nmstream up?): the embedded "
                    + "broker cannot listen there");
            assertThat(dir.resolve("second")).as("nothing formatted").doesNotExist();
        }
    }

    @Test
    void restartOnTheSameDataDirectoryKeepsTopicsAndRecords(@TempDir Path dir) throws Exception {
        Topic<String, String> topic = topic("t.kept", TopicSettings.compacted(1, (short) 1));
        try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withDataDir(dir));
             Admin admin = Admin.create(kafka.clientProperties());
             KafkaProducer<String, String> producer = new KafkaProducer<>(kafka.clientProperties(), Serdes.String().serializer(),
                 Serdes.String().serializer())) {
            new TopicBootstrapper(admin, settings(kafka, 1, 1)).ensure(List.of(topic));
            producer.send(new ProducerRecord<>(topic.name(), "node-1", "hello")).get();
        }
        assertThat(Files.exists(dir.resolve("logs").resolve("meta.properties"))).isTrue();

        try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withDataDir(dir))) {
            Properties props = kafka.clientProperties();
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, Serdes.String().deserializer(),
                Serdes.String().deserializer())) {
                consumer.assign(List.of(new TopicPartition(topic.name(), 0)));
                ConsumerRecords<String, String> records = ConsumerRecords.empty();
                for (int i = 0; i < 20 && records.isEmpty(); i++) {
                    records = consumer.poll(Duration.ofMillis(500));
                }
                assertThat(records.records(new TopicPartition(topic.name(), 0)))
                    .extracting(r -> Map.entry(r.key(), r.value()))
                    .containsExactly(Map.entry("node-1", "hello"));
            }
        }
    }

    /**
     * A JVM that names its logging configuration with logback's system property (the bench does) gives it to its broker.
     * The broker used to fall back to logback's default and write a line for every request it served, at DEBUG.
     */
    @Test
    void theBrokerLogsAsTheLoggingConfigurationOfTheJvmThatStartedItSays(@TempDir Path dir) throws Exception {
        Path configuration = dir.resolve("owner-logback.xml");
        Files.writeString(configuration, """
            <configuration>
              <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                <encoder><pattern>owner-configured %-5level %logger - %msg%n</pattern></encoder>
              </appender>
              <root level="INFO"><appender-ref ref="OUT"/></root>
            </configuration>
            """);
        Path log = dir.resolve("broker.log");
        String before = System.getProperty(EmbeddedKafka.LOGBACK_CONFIGURATION);
        System.setProperty(EmbeddedKafka.LOGBACK_CONFIGURATION, configuration.toString());
        try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withDataDir(dir.resolve("data")).withLogFile(log));
             Admin admin = Admin.create(kafka.clientProperties())) {
            new TopicBootstrapper(admin, settings(kafka, 1, 1)).ensure(List.of(topic("t.logged", TopicSettings.compacted(1, (short) 1))));
        } finally {
            if (before == null) {
                System.clearProperty(EmbeddedKafka.LOGBACK_CONFIGURATION);
            } else {
                System.setProperty(EmbeddedKafka.LOGBACK_CONFIGURATION, before);
            }
        }
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).as("the broker's log").anyMatch(line -> line.startsWith("owner-configured INFO "))
            .noneMatch(line -> line.contains("DEBUG"));
    }
}
