package io.nmstream.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.embedded.EmbeddedCluster;
import io.nmstream.embedded.junit.EmbeddedClusterExtension;
import io.nmstream.ingest.publish.PolicyPublisher;
import io.nmstream.ingest.testing.Manifests;
import io.nmstream.ingest.testing.TopicContents;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.PolicyAction;
import io.nmstream.schemas.avro.PolicyEvent;
import io.nmstream.schemas.avro.SourceKind;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The policy HTTP API over real HTTP against the real broker and registry. */
@ExtendWith(EmbeddedClusterExtension.class)
class PolicyHttpApiIT {

    private static final String TOKEN = "s3cret-token";
    private final EmbeddedCluster cluster;
    private final HttpClient http = HttpClient.newHttpClient();
    private Topics topics;
    private PolicyPublisher publisher;
    private PolicyHttpServer server;

    PolicyHttpApiIT(EmbeddedCluster cluster) {
        this.cluster = cluster;
    }

    @BeforeEach
    void startServer() throws IOException {
        String namespace = "http-" + UUID.randomUUID();
        topics = cluster.createTopics(namespace);
        publisher = PolicyPublisher.connect(new ClusterSettings(cluster.config().with(ClusterSettings.TOPIC_NAMESPACE.name(), namespace)),
            Duration.ofSeconds(30), "http-test");
        server = new PolicyHttpServer(publisher, "127.0.0.1", 0, TOKEN);
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.close();
        publisher.close();
    }

    private HttpResponse<String> send(String method, String path, String body, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/yaml");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return new ObjectMapper().readTree(response.body());
    }

    private List<PolicyEvent> events() {
        return TopicContents.values(cluster, topics.policies());
    }

    @Test
    void postPublishesEveryDocumentAndRepostingPublishesNothing() throws Exception {
        String body = Manifests.ethernetMtu("a", 1500) + "---\n" + Manifests.ethernetMtu("b", 9000);

        HttpResponse<String> first = send("POST", "/v1/policies", body, TOKEN);
        HttpResponse<String> second = send("POST", "/v1/policies", body, TOKEN);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(json(first).at("/changes")).extracting(c -> c.get("change").asText()).containsExactly("CREATE", "CREATE");
        assertThat(json(second).at("/changes")).extracting(c -> c.get("change").asText()).containsExactly("UNCHANGED", "UNCHANGED");
        assertThat(events()).hasSize(2).allSatisfy(event -> {
            assertThat(event.getSource().getKind()).isEqualTo(SourceKind.HTTP);
            assertThat(event.getSource().getOrigin()).isEqualTo("http:127.0.0.1");
        });
    }

    @Test
    void aDryRunReportsTheChangesAndPublishesNothing() throws Exception {
        HttpResponse<String> response = send("POST", "/v1/policies?dryRun=true", Manifests.ethernetMtu("a", 1500), TOKEN);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("dryRun").asBoolean()).isTrue();
        assertThat(json(response).at("/changes/0/change").asText()).isEqualTo("CREATE");
        assertThat(events()).isEmpty();
    }

    @Test
    void acceptsJsonBodies() throws Exception {
        String json = """
            {"apiVersion": "nmstate.io/v1", "kind": "NodeNetworkConfigurationPolicy", "metadata": {"name": "j"},
             "spec": {"desiredState": {"interfaces": [{"name": "eth1", "type": "ethernet", "state": "up"}]}}}
            """;

        HttpResponse<String> response = send("POST", "/v1/policies", json, TOKEN);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(events()).extracting(PolicyEvent::getName).containsExactly("j");
    }

    @Test
    void anInvalidManifestGetsJsonProblemsWithTheCliPathsAndPublishesNothing() throws Exception {
        String body = Manifests.ethernetMtu("ok", 1500) + "---\n" + Manifests.ethernetMtu("bad", 1500).replace("mtu: 1500", "mtu: 20");

        HttpResponse<String> response = send("POST", "/v1/policies", body, TOKEN);

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode problem = json(response).at("/problems/0");
        assertThat(problem.get("document").asInt()).isEqualTo(1);
        assertThat(problem.get("path").asText()).isEqualTo("spec.desiredState.interfaces[0].mtu");
        assertThat(problem.get("value").asText()).isEqualTo("20");
        assertThat(problem.get("allowed").asText()).isEqualTo("must be an integer from 68 to 65535");
        assertThat(events()).isEmpty();
    }

    @Test
    void aTypeNmstreamCannotApplyIsRefusedWith422() throws Exception {
        HttpResponse<String> response = send("POST", "/v1/policies", Manifests.ethernetMtu("team", 1500)
            .replace("type: ethernet", "type: team"), TOKEN);

        assertThat(response.statusCode()).isEqualTo(422);
        JsonNode problem = json(response).at("/problems/0");
        assertThat(problem.get("path").asText()).isEqualTo("spec.desiredState.interfaces[0].type");
        assertThat(problem.get("allowed").asText()).startsWith("interface type team is not supported by nmstream");
        assertThat(events()).isEmpty();
    }

    @Test
    void refusesRequestsWithoutTheBearerToken() throws Exception {
        HttpResponse<String> none = send("GET", "/v1/policies", null, null);
        HttpResponse<String> wrong = send("POST", "/v1/policies", Manifests.ethernetMtu("a", 1500), "guess");

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(json(wrong).get("error").asText()).contains("bearer token");
        assertThat(events()).isEmpty();
    }

    @Test
    void getListsAndShowsPoliciesAndDeletePublishesADeleteEvent() throws Exception {
        send("POST", "/v1/policies", Manifests.ethernetMtu("a", 1500) + "---\n" + Manifests.ethernetMtu("b", 9000), TOKEN);

        HttpResponse<String> one = send("GET", "/v1/policies/b", null, TOKEN);
        HttpResponse<String> deleted = send("DELETE", "/v1/policies/a", null, TOKEN);
        HttpResponse<String> list = send("GET", "/v1/policies", null, TOKEN);
        HttpResponse<String> missing = send("GET", "/v1/policies/a", null, TOKEN);
        HttpResponse<String> deleteMissing = send("DELETE", "/v1/policies/a", null, TOKEN);

        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(json(one).at("/spec/desiredState/interfaces/0/mtu").asInt()).isEqualTo(9000);
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(json(deleted).get("generation").asLong()).isEqualTo(2);
        assertThat(json(list).get("items")).extracting(item -> item.at("/metadata/name").asText()).containsExactly("b");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(deleteMissing.statusCode()).isEqualTo(404);
        assertThat(events()).filteredOn(e -> e.getAction() == PolicyAction.DELETE).extracting(PolicyEvent::getName).containsExactly("a");
    }

    @Test
    void anInvalidNameOrMethodIsAJsonError() throws Exception {
        HttpResponse<String> badName = send("DELETE", "/v1/policies/Bad_Name-", null, TOKEN);
        HttpResponse<String> badMethod = send("PUT", "/v1/policies", "x", TOKEN);

        assertThat(badName.statusCode()).isEqualTo(400);
        assertThat(json(badName).at("/problems/0/path").asText()).isEqualTo("metadata.name");
        assertThat(badMethod.statusCode()).isEqualTo(405);
        assertThat(badMethod.headers().firstValue("Allow")).hasValue("GET, POST");
    }
}
