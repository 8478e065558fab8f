package io.nmstream.embedded.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nmstream.common.kafka.KafkaClients;
import io.nmstream.embedded.EmbeddedCluster;
import io.nmstream.embedded.junit.EmbeddedClusterExtension;
import io.nmstream.embedded.registry.RegistryHttp.Answer;
import io.nmstream.schemas.PublishedSchemas;
import io.nmstream.schemas.SampleEvents;
import io.nmstream.schemas.Topic;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.DesiredStateCommand;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.NodeEvent;
import io.nmstream.schemas.avro.PolicyEvent;
import io.nmstream.schemas.registry.RestSchemaRegistryClient;
import io.nmstream.schemas.registry.SchemaRegistryClient;
import io.nmstream.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(EmbeddedClusterExtension.class)
class EmbeddedSchemaRegistryIT {

    private final EmbeddedCluster cluster;

    EmbeddedSchemaRegistryIT(EmbeddedCluster cluster) {
        this.cluster = cluster;
    }

    @Test
    void everyEventTypeRoundTripsThroughTheBrokerWithTheRegistry() {
        Topics topics = cluster.createTopics(unique("roundtrip"));

        assertRoundTrip(topics.policies(), "br1-policy", SampleEvents.policy());
        assertRoundTrip(topics.nodes(), "worker-1", SampleEvents.node());
        assertRoundTrip(topics.nodeStates(), "worker-1", SampleEvents.nodeState());
        assertRoundTrip(topics.commands(), "worker-1", SampleEvents.command());
        assertRoundTrip(topics.enactments(), Topics.enactmentKey("worker-1", "br1-policy"), SampleEvents.enactment());
        assertRoundTrip(topics.status(), "NNCP/br1-policy", SampleEvents.status());
        // the registry now serves each value schema under its topic's subject
        RestSchemaRegistryClient registry = new RestSchemaRegistryClient(RestSchemaRegistryClient.Options.of(cluster.registryUrl()));
        String subject = SchemaRegistryClient.valueSubject(topics.enactments().name());
        assertThat(registry.lookup(subject, PublishedSchemas.of(EnactmentEvent.class))).isPresent();
    }

    private <V extends SpecificRecord> void assertRoundTrip(Topic<String, V> topic, String key, V event) {
        try (KafkaProducer<String, V> producer = KafkaClients.producer(cluster.settings().clientProperties(), topic, "roundtrip")) {
            producer.send(new ProducerRecord<>(topic.name(), key, event));
        }
        try (KafkaConsumer<String, V> consumer = KafkaClients.consumer(cluster.settings().clientProperties(), topic, null, "roundtrip")) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic.name()).forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<String, V>> read = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
                return !read.isEmpty();
            });
            assertThat(read).singleElement().satisfies(record -> {
                assertThat(record.key()).isEqualTo(key);
                assertThat(record.value()).as(topic.name()).isEqualTo(event);
            });
        }
    }

    @Test
    void incompatibleSchemaChangeIsRefusedWithConflictNamingTheField() {
        String subject = unique("enactments") + "-value";
        RegistryHttp http = new RegistryHttp(cluster.registryUrl());
        assertThat(http.post("/subjects/" + subject + "/versions", RegistryHttp.schemaBody(EnactmentEvent.getClassSchema())).status())
            .isEqualTo(200);
        Schema withRequiredField = withField(EnactmentEvent.getClassSchema(), "rolloutWave", "int");

        Answer refused = http.post("/subjects/" + subject + "/versions", RegistryHttp.schemaBody(withRequiredField));

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
        assertThat(refused.body().path("error_code").asInt()).isEqualTo(409);
        assertThat(refused.body().path("message").asText()).contains("field 'rolloutWave'").contains(subject);
        Answer verdict = http.post("/compatibility/subjects/" + subject + "/versions/latest?verbose=true",
            RegistryHttp.schemaBody(withRequiredField));
        assertThat(verdict.body().path("is_compatible").asBoolean(true)).isFalse();
        assertThat(verdict.body().path("messages").toString()).contains("rolloutWave");
        assertThat(http.get("/subjects/" + subject + "/versions").body()).as("nothing half-registered").hasSize(1);

        RestSchemaRegistryClient client = new RestSchemaRegistryClient(RestSchemaRegistryClient.Options.of(cluster.registryUrl()));
        assertThatThrownBy(() -> client.register(subject, withRequiredField))
            .isInstanceOf(SchemaRegistryException.class)
            .hasMessageContaining("schema is incompatible with an earlier version")
            .hasMessageContaining("rolloutWave")
            .satisfies(e -> assertThat(((SchemaRegistryException) e).errorCode()).isEqualTo(409));
        assertThat(client.testCompatibility(subject, withRequiredField)).singleElement().asString().contains("rolloutWave");
    }

    @Test
    void compatibleNewVersionIsRegisteredAsTheNextVersion() {
        String subject = unique("nodes") + "-value";
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(RestSchemaRegistryClient.Options.of(cluster.registryUrl()));
        int first = client.register(subject, NodeEvent.getClassSchema());
        Schema withOptionalField = withOptionalField(NodeEvent.getClassSchema(), "rack");

        int second = client.register(subject, withOptionalField);

        assertThat(second).isNotEqualTo(first);
        assertThat(client.register(subject, NodeEvent.getClassSchema())).as("re-registering is idempotent").isEqualTo(first);
        JsonNode latest = new RegistryHttp(cluster.registryUrl()).get("/subjects/" + subject + "/versions/latest").body();
        assertThat(latest.path("version").asInt()).isEqualTo(2);
        assertThat(latest.path("id").asInt()).isEqualTo(second);
        assertThat(new Schema.Parser().parse(latest.path("schema").asText())).isEqualTo(withOptionalField);
    }

    @Test
    void concurrentRegistrationsOfOneSchemaGiveOneVersionAndOneId() {
        String subject = unique("concurrent") + "-value";
        List<CompletableFuture<Integer>> registrations = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            // a client each: a shared one would answer from its cache after the first registration
            RestSchemaRegistryClient client = new RestSchemaRegistryClient(RestSchemaRegistryClient.Options.of(cluster.registryUrl()));
            registrations.add(CompletableFuture.supplyAsync(() -> client.register(subject, PolicyEvent.getClassSchema())));
        }

        List<Integer> ids = registrations.stream().map(CompletableFuture::join).toList();

        assertThat(ids).containsOnly(ids.get(0));
        assertThat(new RegistryHttp(cluster.registryUrl()).get("/subjects/" + subject + "/versions").body())
            .extracting(JsonNode::asInt).containsExactly(1);
    }

    @Test
    void subjectNamesWithReservedCharactersArePassedThroughUnchanged() {
        String subject = unique("fleet a/b+c") + "-value";
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(RestSchemaRegistryClient.Options.of(cluster.registryUrl()));

        int id = client.register(subject, NodeEvent.getClassSchema());

        assertThat(new RegistryHttp(cluster.registryUrl()).get("/subjects").body()).extracting(JsonNode::asText).contains(subject);
        assertThat(new RestSchemaRegistryClient(RestSchemaRegistryClient.Options.of(cluster.registryUrl()))
            .lookup(subject, NodeEvent.getClassSchema())).contains(id);
    }

    @Test
    void restartedRegistryKeepsEveryIdVersionAndSetting() {
        String topic = unique("restart") + "._schemas";
        Properties kafka = cluster.settings().clientProperties();
        Map<String, Integer> idBySubject;
        try (EmbeddedSchemaRegistry first = EmbeddedSchemaRegistry.start(kafka, topic, 0)) {
            RestSchemaRegistryClient client = new RestSchemaRegistryClient(RestSchemaRegistryClient.Options.of(first.url()));
            idBySubject = Map.of(
                "policies-value", client.register("policies-value", PolicyEvent.getClassSchema()),
                "commands-value", client.register("commands-value", DesiredStateCommand.getClassSchema()),
                "nodes-value", client.register("nodes-value", NodeEvent.getClassSchema()),
                "nodes-v2-value", client.register("nodes-v2-value", withOptionalField(NodeEvent.getClassSchema(), "rack")),
                // an equal schema under another subject shares its id
                "other-nodes-value", client.register("other-nodes-value", NodeEvent.getClassSchema()));
            assertThat(new RegistryHttp(first.url()).put("/config/policies-value", "{\"compatibility\": \"FULL\"}").status())
                .isEqualTo(200);
        }

        try (EmbeddedSchemaRegistry second = EmbeddedSchemaRegistry.start(kafka, topic, 0)) {
            RestSchemaRegistryClient client = new RestSchemaRegistryClient(RestSchemaRegistryClient.Options.of(second.url()));
            RegistryHttp http = new RegistryHttp(second.url());

            assertThat(client.getById(idBySubject.get("policies-value"))).isEqualTo(PolicyEvent.getClassSchema());
            assertThat(client.getById(idBySubject.get("commands-value"))).isEqualTo(DesiredStateCommand.getClassSchema());
            assertThat(client.getById(idBySubject.get("nodes-value"))).isEqualTo(NodeEvent.getClassSchema());
            assertThat(idBySubject.get("other-nodes-value")).isEqualTo(idBySubject.get("nodes-value"));
            assertThat(client.register("policies-value", PolicyEvent.getClassSchema())).isEqualTo(idBySubject.get("policies-value"));
            assertThat(client.register("nodes-v2-value", withOptionalField(NodeEvent.getClassSchema(), "rack")))
                .isEqualTo(idBySubject.get("nodes-v2-value"));
            assertThat(http.get("/subjects").body()).extracting(JsonNode::asText)
                .containsExactlyInAnyOrderElementsOf(idBySubject.keySet());
            assertThat(http.get("/config/policies-value").body().path("compatibilityLevel").asText()).isEqualTo("FULL");
            int highest = idBySubject.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
            assertThat(client.register("enactments-value", EnactmentEvent.getClassSchema())).as("a new schema gets a new id")
                .isGreaterThan(highest);
        }
    }

    @Test
    void recordsNoRegistryWroteInTheStorageTopicAreSkippedAndTheRegistryStillStartsWithEverySchema() throws Exception {
        String topic = unique("garbage") + "._schemas";
        Properties kafka = cluster.settings().clientProperties();
        int id;
        try (EmbeddedSchemaRegistry first = EmbeddedSchemaRegistry.start(kafka, topic, 0)) {
            id = new RestSchemaRegistryClient(RestSchemaRegistryClient.Options.of(first.url()))
                .register("policies-value", PolicyEvent.getClassSchema());
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(kafka, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "not json", "{")).get();
            producer.send(new ProducerRecord<>(topic, "{\"keytype\":\"SCHEMA\",\"subject\":\"x\",\"version\":1,\"magic\":1}",
                "{\"subject\":\"x\"}")).get();
            producer.send(new ProducerRecord<>(topic, "{\"keytype\":\"CONFIG\",\"subject\":null,\"magic\":0}",
                "{\"compatibilityLevel\":\"SOMETIMES\"}")).get();
        }

        try (EmbeddedSchemaRegistry second = EmbeddedSchemaRegistry.start(kafka, topic, 0)) {
            RestSchemaRegistryClient client = new RestSchemaRegistryClient(RestSchemaRegistryClient.Options.of(second.url()));
            assertThat(client.getById(id)).isEqualTo(PolicyEvent.getClassSchema());
            RegistryHttp http = new RegistryHttp(second.url());
            assertThat(http.get("/subjects").body()).extracting(JsonNode::asText).containsExactly("policies-value");
            assertThat(http.get("/config").body().path("compatibilityLevel").asText()).isEqualTo("BACKWARD");
            assertThat(client.register("nodes-value", NodeEvent.getClassSchema())).as("ids go on from the last real one")
                .isEqualTo(id + 1);
        }
    }

    @Test
    void storageTopicThatWouldLoseSchemasIsRefusedNamingTheSetting() throws Exception {
        String deleting = unique("deleting") + "._schemas";
        String spread = unique("spread") + "._schemas";
        try (Admin admin = Admin.create(cluster.settings().clientProperties())) {
            admin.createTopics(List.of(
                new NewTopic(deleting, 1, (short) 1).configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE)),
                new NewTopic(spread, 3, (short) 1).configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                .all().get();
        }

        assertThatThrownBy(() -> EmbeddedSchemaRegistry.start(cluster.settings().clientProperties(), deleting, 0))
            .hasMessageContaining(deleting)
            .hasMessageContaining("cleanup.policy=delete");
        assertThatThrownBy(() -> EmbeddedSchemaRegistry.start(cluster.settings().clientProperties(), spread, 0))
            .hasMessageContaining(spread)
            .hasMessageContaining("3 partitions");
    }

    @Test
    void restContractAnswersWithConfluentShapesAndErrorCodes() {
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(cluster.settings().clientProperties(),
            unique("contract") + "._schemas", 0)) {
            RegistryHttp http = new RegistryHttp(registry.url());
            String subject = "nodes-value";
            int v1 = http.post("/subjects/" + subject + "/versions", RegistryHttp.schemaBody(NodeEvent.getClassSchema()))
                .body().path("id").asInt();
            Schema v2Schema = withOptionalField(NodeEvent.getClassSchema(), "rack");
            int v2 = http.post("/subjects/" + subject + "/versions", RegistryHttp.schemaBody(v2Schema)).body().path("id").asInt();

            assertThat(http.get("/config").body().path("compatibilityLevel").asText()).isEqualTo("BACKWARD");
            assertThat(http.get("/subjects").body()).extracting(JsonNode::asText).containsExactly(subject);
            assertThat(http.get("/subjects/" + subject + "/versions").body()).extracting(JsonNode::asInt).containsExactly(1, 2);
            assertThat(http.get("/subjects/" + subject + "/versions/1").body().path("id").asInt()).isEqualTo(v1);
            assertThat(http.get("/subjects/" + subject + "/versions/latest").body().path("id").asInt()).isEqualTo(v2);
            assertThat(new Schema.Parser().parse(http.get("/schemas/ids/" + v1).body().path("schema").asText()))
                .isEqualTo(NodeEvent.getClassSchema());
            JsonNode found = http.post("/subjects/" + subject, RegistryHttp.schemaBody(v2Schema)).body();
            assertThat(found.path("subject").asText()).isEqualTo(subject);
            assertThat(found.path("version").asInt()).isEqualTo(2);
            assertThat(found.path("id").asInt()).isEqualTo(v2);
            assertThat(http.post("/compatibility/subjects/" + subject + "/versions/1", RegistryHttp.schemaBody(v2Schema))
                .body().path("is_compatible").asBoolean(false)).isTrue();

            assertError(http.get("/subjects/unknown-value/versions"), 404, 40401, "unknown-value");
            assertError(http.get("/subjects/" + subject + "/versions/9"), 404, 40402, "9");
            assertError(http.get("/subjects/" + subject + "/versions/zero"), 422, 42202, "zero");
            assertError(http.post("/subjects/" + subject, RegistryHttp.schemaBody(EnactmentEvent.getClassSchema())), 404, 40403, subject);
            assertError(http.post("/subjects/unknown-value", RegistryHttp.schemaBody(EnactmentEvent.getClassSchema())), 404, 40401,
                "unknown-value");
            assertError(http.get("/schemas/ids/99999"), 404, 40403, "99999");
            assertError(http.post("/subjects/" + subject + "/versions", "{\"schema\": \"{\\\"type\\\": \\\"recrod\\\"}\"}"), 422, 42201,
                "recrod");
            assertError(http.post("/subjects/" + subject + "/versions", "{\"schemaType\": \"PROTOBUF\", \"schema\": \"syntax = 1;\"}"),
                422, 42201, "PROTOBUF");
            assertError(http.put("/config", "{\"compatibility\": \"SIDEWAYS\"}"), 422, 42203, "SIDEWAYS");
            assertError(http.get("/config/" + subject), 404, 40408, subject);
            assertThat(http.get("/config/" + subject + "?defaultToGlobal=true").body().path("compatibilityLevel").asText())
                .isEqualTo("BACKWARD");
            assertThat(http.put("/config/" + subject, "{\"compatibility\": \"full_transitive\"}").body().path("compatibility").asText())
                .isEqualTo("FULL_TRANSITIVE");
            assertThat(http.get("/config/" + subject).body().path("compatibilityLevel").asText()).isEqualTo("FULL_TRANSITIVE");
            assertThat(http.get("/config").body().path("compatibilityLevel").asText()).as("global level untouched").isEqualTo("BACKWARD");
        }
    }

    @Test
    void deletedVersionsLeaveTheSubjectButTheirIdsStayReadableAcrossRestart() {
        String topic = unique("delete") + "._schemas";
        Properties kafka = cluster.settings().clientProperties();
        String subject = "nodes-value";
        Schema v2Schema = withOptionalField(NodeEvent.getClassSchema(), "rack");
        int id1;
        int id2;
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(kafka, topic, 0)) {
            RegistryHttp http = new RegistryHttp(registry.url());
            String versions = "/subjects/" + subject + "/versions";
            id1 = http.post(versions, RegistryHttp.schemaBody(NodeEvent.getClassSchema())).body().path("id").asInt();
            id2 = http.post(versions, RegistryHttp.schemaBody(v2Schema)).body().path("id").asInt();

            assertThat(http.send("DELETE", "/subjects/" + subject + "/versions/2", null).body().asInt()).isEqualTo(2);
            assertThat(http.get("/subjects/" + subject + "/versions").body()).extracting(JsonNode::asInt).containsExactly(1);
            assertThat(http.get("/schemas/ids/" + id2).status()).as("id of a deleted version still readable").isEqualTo(200);
            JsonNode again = http.post("/subjects/" + subject + "/versions", RegistryHttp.schemaBody(v2Schema)).body();
            assertThat(again.path("id").asInt()).isEqualTo(id2);
            assertThat(http.get("/subjects/" + subject + "/versions/latest").body().path("version").asInt())
                .as("numbered after the deleted version").isEqualTo(3);

            assertError(http.send("DELETE", "/subjects/" + subject + "?permanent=true", null), 404, 40405, "not deleted first");
            assertThat(http.send("DELETE", "/subjects/" + subject, null).body()).extracting(JsonNode::asInt).containsExactly(1, 3);
            assertThat(http.get("/subjects").body()).isEmpty();
            assertError(http.get("/subjects/" + subject + "/versions"), 404, 40401, subject);
            assertError(http.send("DELETE", "/subjects/" + subject, null), 404, 40404, "soft deleted");
        }

        try (EmbeddedSchemaRegistry restarted = EmbeddedSchemaRegistry.start(kafka, topic, 0)) {
            RegistryHttp http = new RegistryHttp(restarted.url());
            assertThat(http.get("/subjects").body()).isEmpty();
            assertThat(new Schema.Parser().parse(http.get("/schemas/ids/" + id1).body().path("schema").asText()))
                .isEqualTo(NodeEvent.getClassSchema());
            // with every version deleted nothing constrains the next one, as in Confluent's registry
            Schema unrelated = withField(NodeEvent.getClassSchema(), "rack", "string");
            int id3 = http.post("/subjects/" + subject + "/versions", RegistryHttp.schemaBody(unrelated)).body().path("id").asInt();
            assertThat(id3).isNotIn(id1, id2);
            assertThat(http.get("/subjects/" + subject + "/versions").body()).extracting(JsonNode::asInt).containsExactly(4);
        }
    }

    private static void assertError(Answer answer, int status, int errorCode, String named) {
        assertThat(answer.status()).as("HTTP status of %s", answer.body()).isEqualTo(status);
        assertThat(answer.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
        assertThat(answer.body().path("error_code").asInt()).as("error_code of %s", answer.body()).isEqualTo(errorCode);
        assertThat(answer.body().path("message").asText()).contains(named);
    }

    @Test
    void clientTurnsRegistryErrorCodesIntoReadableMessages() {
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(RestSchemaRegistryClient.Options.of(cluster.registryUrl()));

        assertThatThrownBy(() -> client.getById(987_654))
            .isInstanceOf(SchemaRegistryException.class)
            .hasMessageContaining("schema not found")
            .hasMessageContaining("error code 40403")
            .hasMessageContaining("/schemas/ids/987654");
        assertThat(client.lookup(unique("never") + "-value", NodeEvent.getClassSchema())).isEmpty();
    }

    @Test
    void registryWithBasicAuthRefusesWritesWithoutTheCredentialsAndServesReadsToAnyone() {
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(cluster.settings().clientProperties(),
            unique("auth") + "._schemas", EmbeddedSchemaRegistry.Options.onPort(0).withBasicAuth("nmstream:s3cret"))) {
            RestSchemaRegistryClient anonymous = new RestSchemaRegistryClient(RestSchemaRegistryClient.Options.of(registry.url()));
            RestSchemaRegistryClient wrong = new RestSchemaRegistryClient(
                RestSchemaRegistryClient.Options.of(registry.url()).withBasicAuth("nmstream:guess"));
            RestSchemaRegistryClient authorized = new RestSchemaRegistryClient(
                RestSchemaRegistryClient.Options.of(registry.url()).withBasicAuth("nmstream:s3cret"));

            assertThatThrownBy(() -> anonymous.register("nodes-value", NodeEvent.getClassSchema()))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("unauthorized: check the registry credentials")
                .satisfies(e -> assertThat(((SchemaRegistryException) e).httpStatus()).isEqualTo(401));
            assertThatThrownBy(() -> wrong.register("nodes-value", NodeEvent.getClassSchema()))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("unauthorized");
            int id = authorized.register("nodes-value", NodeEvent.getClassSchema());

            // consumers and producers of registered schemas need no secret
            assertThat(anonymous.getById(id)).isEqualTo(NodeEvent.getClassSchema());
            assertThat(anonymous.lookup("nodes-value", NodeEvent.getClassSchema())).contains(id);
            RegistryHttp open = new RegistryHttp(registry.url());
            assertThat(open.get("/subjects").body()).extracting(JsonNode::asText).containsExactly("nodes-value");
            // but a client presenting wrong credentials learns it on its first request, a read too
            assertThatThrownBy(() -> wrong.getById(id)).isInstanceOf(SchemaRegistryException.class).hasMessageContaining("unauthorized");
            assertThat(open.post("/compatibility/subjects/nodes-value/versions/latest", RegistryHttp.schemaBody(NodeEvent.getClassSchema()))
                .body().path("is_compatible").asBoolean()).isTrue();
            Answer refused = open.put("/config", "{\"compatibility\": \"NONE\"}");
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.body().path("message").asText()).contains("PUT /config").contains("basic authentication");
            assertThat(open.put("/mode", "{\"mode\": \"READONLY\"}").status()).isEqualTo(401);
            assertThat(open.send("DELETE", "/subjects/nodes-value", null).status()).isEqualTo(401);
            assertThat(open.get("/config").body().path("compatibilityLevel").asText()).isEqualTo("BACKWARD");
            assertThat(open.get("/mode").body().path("mode").asText()).isEqualTo("READWRITE");
            assertThat(open.get("/subjects/nodes-value/versions").body()).hasSize(1);
        }
    }

    @Test
    void clientTrustingAPrivateCertificateTalksTlsToTheRegistry(@TempDir Path dir) throws Exception {
        SelfSignedTls tls = SelfSignedTls.forLoopback(dir);
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(cluster.settings().clientProperties(),
            unique("tls") + "._schemas", EmbeddedSchemaRegistry.Options.onPort(0).withTls(tls.serverContext()))) {
            RestSchemaRegistryClient trusting = new RestSchemaRegistryClient(
                RestSchemaRegistryClient.Options.of(registry.url()).withSslContext(tls.clientContext()));
            RestSchemaRegistryClient jvmDefaults = new RestSchemaRegistryClient(
                RestSchemaRegistryClient.Options.of(registry.url()).withRetries(0, Duration.ofMillis(50)));

            assertThat(registry.url()).startsWith("https://");
            int id = trusting.register("nodes-value", NodeEvent.getClassSchema());
            assertThat(new RestSchemaRegistryClient(RestSchemaRegistryClient.Options.of(registry.url())
                .withSslContext(tls.clientContext())).getById(id)).isEqualTo(NodeEvent.getClassSchema());
            assertThatThrownBy(() -> jvmDefaults.getById(id))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining(registry.url())
                .hasMessageContaining("SSLHandshakeException");
        }
    }

    @Test
    void clientRetriesWithBackoffUntilARegistryThatIsBrieflyDownComesUp() throws IOException {
        Properties kafka = cluster.settings().clientProperties();
        String topic = unique("late") + "._schemas";
        // the registry's port first answers by dropping every connection, as a registry that is restarting does
        ServerSocket down = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        int port = down.getLocalPort();
        AtomicInteger dropped = new AtomicInteger();
        Thread dropper = new Thread(() -> dropConnections(down, dropped), "registry-down");
        dropper.setDaemon(true);
        dropper.start();
        String url = "http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + port;
        RestSchemaRegistryClient impatient = new RestSchemaRegistryClient(RestSchemaRegistryClient.Options.of(url)
            .withRetries(0, Duration.ofMillis(50)));
        RestSchemaRegistryClient patient = new RestSchemaRegistryClient(RestSchemaRegistryClient.Options.of(url)
            .withRetries(30, Duration.ofMillis(50)));

        assertThatThrownBy(() -> impatient.register("nodes-value", NodeEvent.getClassSchema()))
            .isInstanceOf(SchemaRegistryException.class)
            .hasMessageContaining("unreachable after 1 attempts");
        CompletableFuture<Integer> registration = CompletableFuture.supplyAsync(
            () -> patient.register("nodes-value", NodeEvent.getClassSchema()));
        int droppedBefore = dropped.get();
        await().atMost(Duration.ofSeconds(30)).until(() -> dropped.get() >= droppedBefore + 2);
        down.close();

        try (EmbeddedSchemaRegistry late = EmbeddedSchemaRegistry.start(kafka, topic, port)) {
            await().atMost(Duration.ofSeconds(60)).until(registration::isDone);
            int id = registration.join();
            assertThat(new RestSchemaRegistryClient(RestSchemaRegistryClient.Options.of(late.url())).getById(id))
                .isEqualTo(NodeEvent.getClassSchema());
        }
    }

    private static void dropConnections(ServerSocket server, AtomicInteger dropped) {
        while (!server.isClosed()) {
            try (Socket connection = server.accept()) {
                dropped.incrementAndGet();
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** {@code schema} with one more field, of {@code type} and without default. */
    private static Schema withField(Schema schema, String name, String type) {
        return withFieldNode(schema, RegistryHttp.JSON.createObjectNode().put("name", name).put("type", type));
    }

    /** {@code schema} with one more optional string field (null by default): a compatible change. */
    private static Schema withOptionalField(Schema schema, String name) {
        ObjectNode field = RegistryHttp.JSON.createObjectNode().put("name", name);
        field.putArray("type").add("null").add("string");
        field.putNull("default");
        return withFieldNode(schema, field);
    }

    private static Schema withFieldNode(Schema schema, ObjectNode field) {
        try {
            ObjectNode tree = (ObjectNode) RegistryHttp.JSON.readTree(schema.toString());
            ((ArrayNode) tree.get("fields")).add(field);
            return new Schema.Parser().parse(tree.toString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
