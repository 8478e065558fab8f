package io.nmstream.embedded.registry;

import static io.nmstream.embedded.registry.RegistryDeletionIT.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.kafka.TopicBootstrapper;
import io.nmstream.embedded.EmbeddedCluster;
import io.nmstream.embedded.interop.NodeClients;
import io.nmstream.embedded.interop.NodeClients.Result;
import io.nmstream.embedded.junit.EmbeddedClusterExtension;
import io.nmstream.schemas.SampleEvents;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.PolicyEvent;
import io.nmstream.schemas.registry.RestSchemaRegistryClient;
import io.nmstream.schemas.serde.AvroSerde;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Confluent's own Node.js client, {@code @confluentinc/schemaregistry} from npm, against the embedded registry and
 * broker: registration and lookups, listings of soft-deleted subjects and versions, permanent deletes, modes, credentials
 * required for writes only, and its serializer publishing a policy without ever registering a schema.
 *
 * <p>Installs the npm packages ({@link NodeClients#install}) when they are missing, which needs the npm registry;
 * skipped only when {@code node} is not installed.
 */
@ExtendWith(EmbeddedClusterExtension.class)
class ConfluentClientInteropIT {

    private static final Path POLICY_AVSC = Path.of("..", "schemas", "src", "main", "avro", "PolicyEvent.avsc");
    private static final NodeClients NODE = NodeClients.locate();

    private final EmbeddedCluster cluster;

    ConfluentClientInteropIT(EmbeddedCluster cluster) {
        this.cluster = cluster;
    }

    @BeforeAll
    static void installNodeClients() throws IOException, InterruptedException {
        assumeTrue(NodeClients.nodeInstalled(), "Node.js is not installed: skipping the Confluent client interoperability test");
        NODE.install();
    }

    @Test
    void confluentsClientRegistersLooksUpListsDeletedOnesHonoursModesAndNeedsCredentialsOnlyToWrite()
        throws IOException, InterruptedException {
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(cluster.settings().clientProperties(),
            unique("confluent") + "._schemas", EmbeddedSchemaRegistry.Options.onPort(0).withBasicAuth("publisher:s3cret"))) {
            Result run = NODE.run(List.of("node", "confluent-registry-contract.js",
                "--registry", registry.url(),
                "--user-info", "publisher:s3cret",
                "--subject", "policies-value",
                "--mode-subject", "frozen-value",
                "--schema", POLICY_AVSC.toAbsolutePath().normalize().toString()));
            assertThat(run.exitCode()).as("@confluentinc/schemaregistry script:%n%s", run.stderr()).isZero();
            JsonNode out = RegistryHttp.JSON.readTree(run.stdout());

            refused(out, "anonymousRegister", 401, 401);
            int id = value(out, "registered").path("id").asInt();
            assertThat(value(out, "lookup").path("id").asInt()).isEqualTo(id);
            assertThat(value(out, "lookup").path("version").asInt()).isEqualTo(1);
            assertThat(value(out, "latest").path("id").asInt()).isEqualTo(id);
            assertThat(new Schema.Parser().parse(value(out, "byId").path("schema").asText()))
                .isEqualTo(new Schema.Parser().parse(POLICY_AVSC.toFile()));
            int idV2 = value(out, "registeredV2").asInt();
            assertThat(idV2).isNotEqualTo(id);

            refused(out, "anonymousDeleteVersion", 401, 401);
            assertThat(value(out, "softDeleteV1").asInt()).isEqualTo(1);
            assertThat(value(out, "versions").toString()).isEqualTo("[2]");
            assertThat(value(out, "versionsWithDeleted").toString()).isEqualTo("[1,2]");
            assertThat(value(out, "deletedV1").path("id").asInt()).isEqualTo(id);
            refused(out, "hiddenV1", 404, 40402);
            assertThat(value(out, "versionOfDeleted").asInt()).isEqualTo(1);
            assertThat(value(out, "softDeleteSubject").toString()).isEqualTo("[2]");
            assertThat(value(out, "subjects").toString()).isEqualTo("[]");
            assertThat(value(out, "subjectsWithDeleted").toString()).isEqualTo("[\"policies-value\"]");
            assertThat(value(out, "permanentDelete").toString()).isEqualTo("[1,2]");
            assertThat(value(out, "subjectsWithDeletedAfterPermanentDelete").toString()).isEqualTo("[]");

            refused(out, "anonymousSetMode", 401, 401);
            assertThat(value(out, "setMode").path("mode").asText()).isEqualTo("READONLY");
            assertThat(value(out, "mode").path("mode").asText()).isEqualTo("READONLY");
            assertThat(value(out, "globalMode").path("mode").asText()).isEqualTo("READWRITE");
            refused(out, "registerReadOnly", 422, 42205);
            assertThat(value(out, "clearMode").path("mode").asText()).isEqualTo("READONLY");
            assertThat(value(out, "registerAfterMode").asInt()).as("a new id: the old one went with the permanent delete")
                .isGreaterThan(idV2);
            assertThat(value(out, "compatibility").asBoolean()).isTrue();
        }
    }

    @Test
    void confluentsSerializerThatNeverRegistersPublishesAPolicyNmstreamReadsOnItsFirstTry() throws IOException, InterruptedException {
        Topics topics = cluster.createTopics(unique("gitops"));
        PolicyEvent sent = SampleEvents.policy();

        Result produced = publish(topics.policies().name(), sent);

        assertThat(produced.exitCode()).as("Confluent serializer with autoRegisterSchemas=false:%n%s", produced.stderr()).isZero();
        ConsumerRecord<String, byte[]> record = readOne(topics.policies().name());
        int bootstrapped = new RegistryHttp(cluster.registryUrl()).get("/subjects/" + topics.policies().name() + "-value/versions/1")
            .body().path("id").asInt();
        assertThat(RegistryHttp.JSON.readTree(produced.stdout()).path("id").asInt()).isEqualTo(bootstrapped);
        assertThat(ByteBuffer.wrap(record.value(), 1, 4).getInt()).isEqualTo(bootstrapped);
        assertThat(((AvroSerde<PolicyEvent>) topics.policies().valueSerde())
            .decode(topics.policies().name(), record.partition(), record.offset(), record.value())).isEqualTo(sent);
    }

    @Test
    void withoutTheSubjectBootstrapTheSameSerializerFailsItsFirstPublishWithSubjectNotFound() throws IOException, InterruptedException {
        String namespace = unique("unbootstrapped");
        Topics topics = new ClusterSettings(cluster.config().with(ClusterSettings.TOPIC_NAMESPACE.name(), namespace))
            .topics(new RestSchemaRegistryClient(cluster.registryUrl()));
        try (Admin admin = Admin.create(cluster.settings().clientProperties())) {
            new TopicBootstrapper(admin, cluster.settings()).ensure(topics.all());
        }

        Result produced = publish(topics.policies().name(), SampleEvents.policy());

        assertThat(produced.exitCode()).isNotZero();
        assertThat(produced.stderr()).contains("40401");
    }

    private Result publish(String topic, PolicyEvent event) throws IOException, InterruptedException {
        return NODE.run(List.of("node", "confluent-produce-policy.js",
            "--brokers", cluster.bootstrapServers(),
            "--registry", cluster.registryUrl(),
            "--topic", topic,
            "--key", event.getName(),
            "--event", NodeClients.asNodeJson(event).toString()));
    }

    private ConsumerRecord<String, byte[]> readOne(String topic) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(cluster.settings().clientProperties(), new StringDeserializer(),
            new ByteArrayDeserializer())) {
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

    /** What a step of the script got back; fails naming the step when the registry refused it. */
    private static JsonNode value(JsonNode out, String step) {
        assertThat(out.path(step).has("value")).as("step %s answered %s", step, out.path(step)).isTrue();
        return out.path(step).path("value");
    }

    private static void refused(JsonNode out, String step, int status, int errorCode) {
        assertThat(out.path(step).path("status").asInt()).as("HTTP status of step %s: %s", step, out.path(step)).isEqualTo(status);
        assertThat(out.path(step).path("errorCode").asInt()).as("error code of step %s: %s", step, out.path(step)).isEqualTo(errorCode);
    }
}
