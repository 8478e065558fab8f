package io.nmstream.embedded.registry;

import static io.nmstream.embedded.registry.RegistryDeletionIT.assertError;
import static io.nmstream.embedded.registry.RegistryDeletionIT.unique;
import static io.nmstream.embedded.registry.RegistryDeletionIT.withOptionalField;
import static io.nmstream.embedded.registry.RegistryHttp.schemaBody;
import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.embedded.EmbeddedCluster;
import io.nmstream.embedded.junit.EmbeddedClusterExtension;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.NodeEvent;
import io.nmstream.schemas.avro.PolicyEvent;
import java.util.Properties;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code /mode} as Confluent Schema Registry defines it, over real HTTP: READONLY refuses every change with error
 * 42205 and keeps serving reads; a subject's own mode overrides the global one; IMPORT takes schemas with the ids they
 * had in another registry; modes survive a restart.
 */
@ExtendWith(EmbeddedClusterExtension.class)
class RegistryModeIT {

    private static final Schema NODE_V1 = NodeEvent.getClassSchema();
    private static final Schema NODE_V2 = withOptionalField(NODE_V1, "rack");

    private final EmbeddedCluster cluster;

    RegistryModeIT(EmbeddedCluster cluster) {
        this.cluster = cluster;
    }

    @Test
    void readOnlyRefusesEveryChangeWithConfluentsCodeAndKeepsServingReads() {
        String topic = unique("readonly") + "._schemas";
        Properties kafka = cluster.settings().clientProperties();
        int id;
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(kafka, topic, 0)) {
            RegistryHttp http = new RegistryHttp(registry.url());
            id = http.post("/subjects/nodes-value/versions", schemaBody(NODE_V1)).body().path("id").asInt();
            assertThat(http.get("/mode").body().path("mode").asText()).isEqualTo("READWRITE");

            assertThat(http.put("/mode", "{\"mode\": \"READONLY\"}").body().path("mode").asText()).isEqualTo("READONLY");

            assertError(http.post("/subjects/nodes-value/versions", schemaBody(NODE_V2)), 422, 42205, "READONLY");
            assertError(http.post("/subjects/nodes-value/versions", schemaBody(NODE_V1)), 422, 42205, "READONLY");
            assertError(http.send("DELETE", "/subjects/nodes-value/versions/1", null), 422, 42205, "READONLY");
            assertError(http.send("DELETE", "/subjects/nodes-value", null), 422, 42205, "READONLY");
            assertError(http.put("/config", "{\"compatibility\": \"NONE\"}"), 422, 42205, "READONLY");
            assertError(http.put("/config/nodes-value", "{\"compatibility\": \"NONE\"}"), 422, 42205, "READONLY");
            assertThat(http.get("/config").body().path("compatibilityLevel").asText()).isEqualTo("BACKWARD");
            assertThat(http.get("/subjects/nodes-value/versions").body()).hasSize(1);
            assertThat(http.get("/subjects/nodes-value/versions/latest").body().path("id").asInt()).isEqualTo(id);
            assertThat(http.post("/subjects/nodes-value", schemaBody(NODE_V1)).body().path("id").asInt()).isEqualTo(id);
            assertThat(http.post("/compatibility/subjects/nodes-value/versions/latest", schemaBody(NODE_V2)).body()
                .path("is_compatible").asBoolean()).isTrue();
            assertThat(http.get("/schemas/ids/" + id).status()).isEqualTo(200);
        }

        try (EmbeddedSchemaRegistry restarted = EmbeddedSchemaRegistry.start(kafka, topic, 0)) {
            RegistryHttp http = new RegistryHttp(restarted.url());
            assertThat(http.get("/mode").body().path("mode").asText()).as("the mode survives a restart").isEqualTo("READONLY");
            assertError(http.post("/subjects/nodes-value/versions", schemaBody(NODE_V2)), 422, 42205, "READONLY");

            assertThat(http.send("DELETE", "/mode", null).body().path("mode").asText()).as("the mode it had").isEqualTo("READONLY");
            assertThat(http.get("/mode").body().path("mode").asText()).isEqualTo("READWRITE");
            assertThat(http.post("/subjects/nodes-value/versions", schemaBody(NODE_V2)).status()).isEqualTo(200);
        }
    }

    @Test
    void aSubjectsOwnModeOverridesTheGlobalOne() {
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(cluster.settings().clientProperties(),
            unique("subject-mode") + "._schemas", 0)) {
            RegistryHttp http = new RegistryHttp(registry.url());
            http.put("/mode", "{\"mode\": \"READONLY\"}");

            assertThat(http.put("/mode/open-value", "{\"mode\": \"READWRITE\"}").body().path("mode").asText()).isEqualTo("READWRITE");

            assertThat(http.post("/subjects/open-value/versions", schemaBody(NODE_V1)).status()).isEqualTo(200);
            assertError(http.post("/subjects/closed-value/versions", schemaBody(NODE_V1)), 422, 42205, "closed-value");
            assertThat(http.get("/mode/open-value").body().path("mode").asText()).isEqualTo("READWRITE");
            assertError(http.get("/mode/closed-value"), 404, 40409, "closed-value");
            assertThat(http.get("/mode/closed-value?defaultToGlobal=true").body().path("mode").asText()).isEqualTo("READONLY");
            assertError(http.put("/mode/open-value", "{\"mode\": \"SIDEWAYS\"}"), 422, 42204, "SIDEWAYS");
            assertError(http.put("/mode/open-value", "{\"mood\": \"READONLY\"}"), 422, 42204, "mode");

            assertThat(http.send("DELETE", "/mode/open-value", null).body().path("mode").asText()).isEqualTo("READWRITE");
            assertError(http.post("/subjects/open-value/versions", schemaBody(NODE_V2)), 422, 42205, "READONLY");
            assertError(http.send("DELETE", "/mode/open-value", null), 404, 40401, "open-value");
        }
    }

    @Test
    void importModeTakesSchemasWithTheIdsAndVersionsTheyHadInAnotherRegistry() {
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(cluster.settings().clientProperties(),
            unique("import") + "._schemas", 0)) {
            RegistryHttp http = new RegistryHttp(registry.url());
            http.post("/subjects/existing-value/versions", schemaBody(PolicyEvent.getClassSchema()));
            assertError(http.put("/mode", "{\"mode\": \"IMPORT\"}"), 422, 42205, "existing subjects");
            assertThat(http.put("/mode/imported-value", "{\"mode\": \"IMPORT\"}").body().path("mode").asText()).isEqualTo("IMPORT");

            assertThat(http.post("/subjects/imported-value/versions", importBody(NODE_V1, 500, 3)).body().path("id").asInt())
                .isEqualTo(500);
            assertThat(http.post("/subjects/imported-value/versions", importBody(NODE_V2, 501, null)).body().path("id").asInt())
                .isEqualTo(501);

            assertThat(http.get("/subjects/imported-value/versions").body().toString()).isEqualTo("[3,4]");
            assertThat(http.get("/subjects/imported-value/versions/3").body().path("id").asInt()).isEqualTo(500);
            assertThat(new Schema.Parser().parse(http.get("/schemas/ids/501").body().path("schema").asText())).isEqualTo(NODE_V2);
            assertError(http.post("/subjects/imported-value/versions", schemaBody(EnactmentEvent.getClassSchema())), 422, 42205,
                "IMPORT");
            assertError(http.post("/subjects/imported-value/versions", importBody(EnactmentEvent.getClassSchema(), 500, null)), 422,
                42205, "id 500");
            assertError(http.post("/subjects/imported-value/versions", importBody(EnactmentEvent.getClassSchema(), 502, 3)), 422,
                42205, "version 3");
            assertError(http.post("/subjects/existing-value/versions", importBody(EnactmentEvent.getClassSchema(), 502, null)), 422,
                42205, "not IMPORT");

            http.put("/mode/imported-value", "{\"mode\": \"READWRITE\"}");
            int next = http.post("/subjects/fresh-value/versions", schemaBody(EnactmentEvent.getClassSchema())).body().path("id").asInt();
            assertThat(next).as("ids handed out after an import come after the imported ones").isGreaterThan(501);
        }
    }

    private static String importBody(Schema schema, int id, Integer version) {
        var body = RegistryHttp.JSON.createObjectNode().put("schema", schema.toString()).put("id", id);
        if (version != null) {
            body.put("version", version);
        }
        return body.toString();
    }
}
