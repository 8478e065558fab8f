package io.nmstream.embedded.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.nmstream.common.config.Config;
import io.nmstream.common.config.ConfigException;
import io.nmstream.common.http.SlowClients;
import io.nmstream.common.http.TestKeystores;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.embedded.EmbeddedCluster;
import io.nmstream.embedded.junit.EmbeddedClusterExtension;
import io.nmstream.schemas.avro.NodeEvent;
import io.nmstream.schemas.registry.SchemaRegistryClient;
import io.nmstream.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The registry's HTTP transport as clients on the network meet it: slow clients, oversized and malformed requests. */
@ExtendWith(EmbeddedClusterExtension.class)
class RegistryHttpTransportIT {

    private static final String CREDENTIALS = "nmstream:s3cret";

    private final EmbeddedCluster cluster;

    RegistryHttpTransportIT(EmbeddedCluster cluster) {
        this.cluster = cluster;
    }

    private EmbeddedSchemaRegistry start() {
        return EmbeddedSchemaRegistry.start(cluster.settings().clientProperties(), "transport-" + UUID.randomUUID() + "._schemas",
            EmbeddedSchemaRegistry.Options.onPort(0).withBasicAuth(CREDENTIALS));
    }

    @Test
    void answersAuthenticatedClientsWhileFiftySlowClientsHoldConnections() throws Exception {
        try (EmbeddedSchemaRegistry registry = start();
             SlowClients slow = SlowClients.open("127.0.0.1", registry.port(), 50, "/subjects/nodes-value/versions")) {
            RegistryHttp authorized = new RegistryHttp(registry.url(), CREDENTIALS);
            for (int i = 0; i < 10; i++) {
                slow.drip();
                RegistryHttp.Answer subjects = authorized.get("/subjects");
                assertThat(subjects.status()).isEqualTo(200);
                assertThat(subjects.body().isArray()).isTrue();
            }
            assertThat(slow.partialHeadersOpen()).as("slow clients still connected").isPositive();
            String refused = SlowClients.answer(slow.partialBodies().get(0));
            assertThat(refused).startsWith("HTTP/1.1 401").contains("\"error_code\":401");
        }
    }

    @Test
    void errorsOfHttpItselfAreConfluentErrorBodies() throws Exception {
        try (EmbeddedSchemaRegistry registry = start()) {
            String garbage = raw(registry, "NOT HTTP AT ALL\r\n\r\n");
            String tooLarge = raw(registry, "POST /subjects/nodes-value/versions HTTP/1.1\r\nHost: x\r\nAuthorization: Basic "
                + java.util.Base64.getEncoder().encodeToString(CREDENTIALS.getBytes(StandardCharsets.UTF_8))
                + "\r\nContent-Type: application/vnd.schemaregistry.v1+json\r\nContent-Length: 20000000\r\n\r\n{");

            assertThat(garbage).startsWith("HTTP/1.1 400").contains(RegistryHttpApi.CONTENT_TYPE);
            assertThat(body(garbage).get("error_code").asInt()).isEqualTo(400);
            assertThat(tooLarge).startsWith("HTTP/1.1 413");
            assertThat(body(tooLarge).get("error_code").asInt()).isEqualTo(413);
            assertThat(body(tooLarge).get("message").asText()).contains("larger than the limit");
        }
    }

    @Test
    void aClientTrustsTheRegistryCertificateOfItsTruststoreSetting(@TempDir Path dir) throws Exception {
        TestKeystores keystore = TestKeystores.selfSignedForLoopback(dir);
        EmbeddedSchemaRegistry.Options tls = EmbeddedSchemaRegistry.Options.onPort(0).withTls(keystore.serverContext());
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(cluster.settings().clientProperties(),
            "transport-tls-" + UUID.randomUUID() + "._schemas", tls)) {
            Config config = cluster.config().with(ClusterSettings.REGISTRY_URL.name(), registry.url());
            SchemaRegistryClient trusting = new ClusterSettings(config
                .with(ClusterSettings.REGISTRY_TRUSTSTORE_LOCATION.name(), keystore.file().toString())
                .with(ClusterSettings.REGISTRY_TRUSTSTORE_PASSWORD.name(), keystore.password())).registryClient();
            SchemaRegistryClient jvmDefaults = new ClusterSettings(config).registryClient();

            int id = trusting.register("nodes-value", NodeEvent.getClassSchema());

            assertThat(trusting.getById(id)).isEqualTo(NodeEvent.getClassSchema());
            assertThatThrownBy(() -> jvmDefaults.getById(id)).isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("SSLHandshakeException");
            assertThatThrownBy(() -> new ClusterSettings(config.with(ClusterSettings.REGISTRY_TRUSTSTORE_LOCATION.name(),
                dir.resolve("missing.p12").toString())).registryClient())
                .isInstanceOf(ConfigException.class).hasMessageContaining("'registry.ssl.truststore.location'")
                .hasMessageContaining("missing.p12");
        }
    }

    private static String raw(EmbeddedSchemaRegistry registry, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", registry.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return SlowClients.answer(socket);
        }
    }

    private static JsonNode body(String response) throws IOException {
        return RegistryHttp.JSON.readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
    }
}
