package io.nmstream.embedded.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.nmstream.common.kafka.KafkaClients;
import io.nmstream.embedded.EmbeddedCluster;
import io.nmstream.embedded.interop.NodeClients;
import io.nmstream.embedded.interop.NodeClients.Result;
import io.nmstream.embedded.junit.EmbeddedClusterExtension;
import io.nmstream.schemas.SampleEvents;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.PolicyEvent;
import io.nmstream.schemas.serde.AvroSerde;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Third-party clients against the embedded broker and registry: the npm packages {@code kafkajs} and
 * {@code @kafkajs/confluent-schema-registry}, run by Node.js from {@code src/test/node}. Proves the wire format and the
 * registry contract are the public ones, not merely ones our own client agrees with.
 *
 * <p>Installs the npm packages ({@link NodeClients#install}) when they are missing, which needs the npm registry;
 * skipped only when {@code node} is not installed.
 */
@ExtendWith(EmbeddedClusterExtension.class)
class NodeInteropIT {

    private static final Path POLICY_AVSC = Path.of("..", "schemas", "src", "main", "avro", "PolicyEvent.avsc");
    private static final NodeClients NODE = NodeClients.locate();

    private final EmbeddedCluster cluster;

    NodeInteropIT(EmbeddedCluster cluster) {
        this.cluster = cluster;
    }

    @BeforeAll
    static void installNodeClients() throws IOException, InterruptedException {
        assumeTrue(NodeClients.nodeInstalled(), "Node.js is not installed: skipping the kafkajs interoperability test");
        NODE.install();
    }

    @Test
    void policyEventProducedByKafkajsIsReadByJavaFieldForField() throws IOException, InterruptedException {
        Topics topics = cluster.createTopics(unique("interop"));
        String topic = topics.policies().name();
        PolicyEvent sent = SampleEvents.policy();

        Result produced = NODE.run(List.of("node", "produce-policy.js",
            "--brokers", cluster.bootstrapServers(),
            "--registry", cluster.registryUrl(),
            "--topic", topic,
            "--schema", POLICY_AVSC.toAbsolutePath().normalize().toString(),
            "--key", sent.getName(),
            "--event", NodeClients.asNodeJson(sent).toString()));
        assertThat(produced.exitCode()).as("kafkajs producer:%n%s", produced.stderr()).isZero();
        int nodeSchemaId = RegistryHttp.JSON.readTree(produced.stdout()).path("id").asInt();

        ConsumerRecord<String, byte[]> record = readOne(topic);
        PolicyEvent received = ((AvroSerde<PolicyEvent>) topics.policies().valueSerde())
            .decode(topic, record.partition(), record.offset(), record.value());

        assertThat(record.key()).isEqualTo(sent.getName());
        assertThat(ByteBuffer.wrap(record.value(), 1, 4).getInt()).as("schema id in the record").isEqualTo(nodeSchemaId);
        assertThat(received).isEqualTo(sent);
        assertThat(cluster.registryClient().getById(nodeSchemaId)).as("the schema kafkajs registered")
            .isEqualTo(new Schema.Parser().parse(Files.readString(POLICY_AVSC)));
        assertThat(new RegistryHttp(cluster.registryUrl()).get("/subjects/" + topic + "-value/versions").body().toString())
            .as("kafkajs registering the .avsc adds no version to the one the topics were created with").isEqualTo("[1]");
    }

    @Test
    void enactmentEventsProducedByJavaAreDecodedByKafkajsFieldForField() throws IOException, InterruptedException {
        Topics topics = cluster.createTopics(unique("interop"));
        String topic = topics.enactments().name();
        List<EnactmentEvent> sent = List.of(SampleEvents.enactment(), SampleEvents.pendingEnactment());
        try (KafkaProducer<String, EnactmentEvent> producer = KafkaClients.producer(cluster.settings().clientProperties(),
            topics.enactments(), "interop")) {
            // one key, so one partition and the order they were sent in
            for (EnactmentEvent event : sent) {
                producer.send(new ProducerRecord<>(topic, "worker-1.br1-policy", event));
            }
        }

        Result decoded = NODE.run(List.of("node", "decode-enactments.js",
            "--brokers", cluster.bootstrapServers(),
            "--registry", cluster.registryUrl(),
            "--topic", topic,
            "--count", Integer.toString(sent.size()),
            "--group", unique("interop-node")));
        assertThat(decoded.exitCode()).as("kafkajs consumer:%n%s", decoded.stderr()).isZero();

        JsonNode records = RegistryHttp.JSON.readTree(decoded.stdout());
        assertThat(records).hasSize(sent.size());
        for (int i = 0; i < sent.size(); i++) {
            JsonNode record = records.get(i);
            assertThat(record.path("key").asText()).isEqualTo("worker-1.br1-policy");
            // compared as parsed JSON text, so that 3 and 3L are the same number on both sides
            assertThat(record.path("value")).as("record %d as kafkajs decoded it", i)
                .isEqualTo(RegistryHttp.JSON.readTree(NodeClients.asNodeJson(sent.get(i)).toString()));
        }
    }

    private ConsumerRecord<String, byte[]> readOne(String topic) {
        Properties props = cluster.settings().clientProperties();
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "interop-java");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<String, byte[]>> read = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
                return !read.isEmpty();
            });
            assertThat(read).hasSize(1);
            return read.get(0);
        }
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
