package io.nmstream.embedded.registry;

import static io.nmstream.embedded.registry.RegistryHttp.schemaBody;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nmstream.embedded.EmbeddedCluster;
import io.nmstream.embedded.junit.EmbeddedClusterExtension;
import io.nmstream.embedded.registry.RegistryHttp.Answer;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.NodeEvent;
import io.nmstream.schemas.avro.PolicyEvent;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Soft and permanent deletes as Confluent Schema Registry's REST API defines them, over real HTTP: what each listing
 * shows with and without {@code deleted=true}, the error codes of deleting twice or permanently without a soft delete
 * first, and ids that stay readable after a soft delete and are never handed out again after a permanent one.
 */
@ExtendWith(EmbeddedClusterExtension.class)
class RegistryDeletionIT {

    private static final Schema NODE_V1 = NodeEvent.getClassSchema();
    private static final Schema NODE_V2 = withOptionalField(NODE_V1, "rack");

    private final EmbeddedCluster cluster;

    RegistryDeletionIT(EmbeddedCluster cluster) {
        this.cluster = cluster;
    }

    @Test
    void softDeletedVersionsAndSubjectsAreListedOnlyWhenDeletedOnesAreAskedFor() {
        try (EmbeddedSchemaRegistry registry = start(unique("soft"))) {
            RegistryHttp http = new RegistryHttp(registry.url());
            int id1 = register(http, "nodes-value", NODE_V1);
            int id2 = register(http, "nodes-value", NODE_V2);
            register(http, "other-value", PolicyEvent.getClassSchema());

            assertThat(http.send("DELETE", "/subjects/nodes-value/versions/1", null).body().asInt()).isEqualTo(1);

            assertThat(ints(http.get("/subjects/nodes-value/versions"))).containsExactly(2);
            assertThat(ints(http.get("/subjects/nodes-value/versions?deleted=true"))).containsExactly(1, 2);
            assertThat(ints(http.get("/subjects/nodes-value/versions?deletedOnly=true"))).containsExactly(1);
            assertThat(ints(http.get("/subjects/nodes-value/versions?deletedAsNegative=true"))).containsExactly(-1, 2);
            assertError(http.get("/subjects/nodes-value/versions/1"), 404, 40402, "1");
            assertThat(http.get("/subjects/nodes-value/versions/1?deleted=true").body().path("id").asInt()).isEqualTo(id1);
            assertThat(http.get("/subjects/nodes-value/versions/latest?deleted=true").body().path("version").asInt())
                .as("latest is the latest version that is not deleted, as in Confluent's registry").isEqualTo(2);
            assertError(http.post("/subjects/nodes-value", schemaBody(NODE_V1)), 404, 40403, "nodes-value");
            assertThat(http.post("/subjects/nodes-value?deleted=true", schemaBody(NODE_V1)).body().path("version").asInt()).isEqualTo(1);
            assertError(http.send("DELETE", "/subjects/nodes-value/versions/1", null), 404, 40406, "soft deleted");

            assertThat(ints(http.send("DELETE", "/subjects/nodes-value", null))).containsExactly(2);

            assertThat(texts(http.get("/subjects"))).containsExactly("other-value");
            assertThat(texts(http.get("/subjects?deleted=true"))).containsExactly("nodes-value", "other-value");
            assertThat(texts(http.get("/subjects?deletedOnly=true"))).containsExactly("nodes-value");
            assertThat(texts(http.get("/subjects?deleted=true&subjectPrefix=nodes"))).containsExactly("nodes-value");
            assertError(http.get("/subjects/nodes-value/versions"), 404, 40401, "nodes-value");
            assertThat(ints(http.get("/subjects/nodes-value/versions?deleted=true"))).containsExactly(1, 2);
            assertError(http.send("DELETE", "/subjects/nodes-value", null), 404, 40404, "soft deleted");

            // the ids keep naming their schemas: records written with them stay readable
            assertThat(new Schema.Parser().parse(http.get("/schemas/ids/" + id2).body().path("schema").asText())).isEqualTo(NODE_V2);
            assertThat(texts(http.get("/schemas/ids/" + id1 + "/subjects"))).isEmpty();
            assertThat(texts(http.get("/schemas/ids/" + id1 + "/subjects?deleted=true"))).containsExactly("nodes-value");
            assertThat(http.get("/schemas/ids/" + id2 + "/versions").body()).isEmpty();
            assertThat(http.get("/schemas/ids/" + id2 + "/versions?deleted=true").body().toString())
                .isEqualTo("[{\"subject\":\"nodes-value\",\"version\":2}]");
        }
    }

    @Test
    void schemaIdsListTheSubjectsAndVersionsUsingThem() {
        try (EmbeddedSchemaRegistry registry = start(unique("ids"))) {
            RegistryHttp http = new RegistryHttp(registry.url());
            int shared = register(http, "a-value", NODE_V1);
            assertThat(register(http, "b-value", NODE_V1)).isEqualTo(shared);
            register(http, "b-value", NODE_V2);
            assertThat(register(http, "c-value", NODE_V1)).isEqualTo(shared);

            assertThat(texts(http.get("/schemas/ids/" + shared + "/subjects"))).containsExactly("a-value", "b-value", "c-value");
            assertThat(http.get("/schemas/ids/" + shared + "/versions").body().toString())
                .isEqualTo("[{\"subject\":\"a-value\",\"version\":1},{\"subject\":\"b-value\",\"version\":1},"
                    + "{\"subject\":\"c-value\",\"version\":1}]");
            assertThat(texts(http.get("/schemas/ids/" + shared + "/subjects?subject=b-value"))).containsExactly("b-value");
            assertError(http.get("/schemas/ids/98765/subjects"), 404, 40403, "98765");
            assertError(http.get("/schemas/ids/98765/versions"), 404, 40403, "98765");
        }
    }

    @Test
    void permanentDeleteNeedsASoftDeleteFirstAndRemovesTheVersionForGood() {
        try (EmbeddedSchemaRegistry registry = start(unique("permanent"))) {
            RegistryHttp http = new RegistryHttp(registry.url());
            int onlyHere = register(http, "nodes-value", NODE_V1);
            int shared = register(http, "nodes-value", NODE_V2);
            assertThat(register(http, "rack-nodes-value", NODE_V2)).isEqualTo(shared);
            assertThat(http.put("/config/nodes-value", "{\"compatibility\": \"FULL\"}").status()).isEqualTo(200);

            assertError(http.send("DELETE", "/subjects/nodes-value/versions/2?permanent=true", null), 404, 40407, "not deleted first");
            http.send("DELETE", "/subjects/nodes-value/versions/2", null);
            assertThat(http.send("DELETE", "/subjects/nodes-value/versions/2?permanent=true", null).body().asInt()).isEqualTo(2);
            assertThat(ints(http.get("/subjects/nodes-value/versions?deleted=true"))).containsExactly(1);
            assertError(http.get("/subjects/nodes-value/versions/2?deleted=true"), 404, 40402, "2");
            assertThat(texts(http.get("/schemas/ids/" + shared + "/subjects?deleted=true"))).as("still used by another subject")
                .containsExactly("rack-nodes-value");

            assertError(http.send("DELETE", "/subjects/nodes-value?permanent=true", null), 404, 40405, "not deleted first");
            assertThat(ints(http.send("DELETE", "/subjects/nodes-value", null))).containsExactly(1);
            assertThat(ints(http.send("DELETE", "/subjects/nodes-value?permanent=true", null))).containsExactly(1);

            assertThat(texts(http.get("/subjects?deleted=true"))).containsExactly("rack-nodes-value");
            assertError(http.get("/subjects/nodes-value/versions?deleted=true"), 404, 40401, "nodes-value");
            assertError(http.get("/schemas/ids/" + onlyHere), 404, 40403, Integer.toString(onlyHere));
            assertError(http.get("/config/nodes-value"), 404, 40408, "nodes-value");
            assertError(http.send("DELETE", "/subjects/nodes-value?permanent=true", null), 404, 40401, "nodes-value");
            // a subject deleted for good starts again at version 1, with a new id for a schema whose id was removed
            int again = register(http, "nodes-value", NODE_V1);
            assertThat(again).isNotIn(onlyHere, shared);
            assertThat(ints(http.get("/subjects/nodes-value/versions"))).containsExactly(1);
        }
    }

    @Test
    void idsOfPermanentlyDeletedSchemasAreNeverHandedOutAgainEvenAfterCompactionAndRestart() {
        String topic = unique("watermark") + "._schemas";
        Properties kafka = cluster.settings().clientProperties();
        int highest;
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(kafka, topic, 0)) {
            RegistryHttp http = new RegistryHttp(registry.url());
            register(http, "kept-value", PolicyEvent.getClassSchema());
            highest = register(http, "gone-value", NODE_V1);
            http.send("DELETE", "/subjects/gone-value", null);
            assertThat(http.send("DELETE", "/subjects/gone-value?permanent=true", null).status()).isEqualTo(200);
        }
        // what compaction leaves once it has run: the latest record of each key, tombstones dropped
        String compacted = unique("watermark-compacted") + "._schemas";
        assertThat(copyCompacted(kafka, topic, compacted)).as("records left after compaction").noneMatch(key -> key.contains("gone-value"));

        try (EmbeddedSchemaRegistry restarted = EmbeddedSchemaRegistry.start(kafka, compacted, 0)) {
            RegistryHttp http = new RegistryHttp(restarted.url());
            assertError(http.get("/schemas/ids/" + highest), 404, 40403, Integer.toString(highest));
            int next = register(http, "new-value", EnactmentEvent.getClassSchema());
            assertThat(next).as("the id of the permanently deleted schema is not handed out to another one").isGreaterThan(highest);
        }
    }

    /** Copies a registry topic as Kafka's compaction leaves it; the keys copied. */
    private static List<String> copyCompacted(Properties kafka, String from, String to) {
        Map<String, ConsumerRecord<String, String>> latest = new LinkedHashMap<>();
        TopicPartition partition = new TopicPartition(from, 0);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(kafka, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    latest.remove(record.key());
                    latest.put(record.key(), record);
                });
            }
        }
        try (Admin admin = Admin.create(kafka)) {
            admin.createTopics(List.of(new NewTopic(to, 1, (short) 1)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)))).all().get();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot create " + to, e);
        }
        List<String> keys = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(kafka, new StringSerializer(), new StringSerializer())) {
            for (ConsumerRecord<String, String> record : latest.values()) {
                if (record.value() != null) {
                    Headers headers = record.headers();
                    producer.send(new ProducerRecord<>(to, 0, null, record.key(), record.value(), headers));
                    keys.add(record.key());
                }
            }
        }
        return keys;
    }

    private EmbeddedSchemaRegistry start(String name) {
        return EmbeddedSchemaRegistry.start(cluster.settings().clientProperties(), name + "._schemas", 0);
    }

    private static int register(RegistryHttp http, String subject, Schema schema) {
        Answer answer = http.post("/subjects/" + subject + "/versions", schemaBody(schema));
        assertThat(answer.status()).as("registering under %s: %s", subject, answer.body()).isEqualTo(200);
        return answer.body().path("id").asInt();
    }

    private static List<Integer> ints(Answer answer) {
        assertThat(answer.status()).as("%s", answer.body()).isEqualTo(200);
        List<Integer> values = new ArrayList<>();
        answer.body().forEach(v -> values.add(v.asInt()));
        return values;
    }

    private static List<String> texts(Answer answer) {
        assertThat(answer.status()).as("%s", answer.body()).isEqualTo(200);
        List<String> values = new ArrayList<>();
        answer.body().forEach(v -> values.add(v.asText()));
        return values;
    }

    static void assertError(Answer answer, int status, int errorCode, String named) {
        assertThat(answer.status()).as("HTTP status of %s", answer.body()).isEqualTo(status);
        assertThat(answer.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
        assertThat(answer.body().path("error_code").asInt()).as("error_code of %s", answer.body()).isEqualTo(errorCode);
        assertThat(answer.body().path("message").asText()).contains(named);
    }

    /** {@code schema} with one more optional string field (null by default): a compatible change. */
    static Schema withOptionalField(Schema schema, String name) {
        try {
            ObjectNode tree = (ObjectNode) RegistryHttp.JSON.readTree(schema.toString());
            ObjectNode field = ((ArrayNode) tree.get("fields")).addObject().put("name", name);
            field.putArray("type").add("null").add("string");
            field.putNull("default");
            return new Schema.Parser().parse(tree.toString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
