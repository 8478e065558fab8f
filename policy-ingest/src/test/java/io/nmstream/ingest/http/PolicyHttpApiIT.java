package io.nmstream.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nmstream.common.http.HttpServerSettings;
import io.nmstream.common.http.SlowClients;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.embedded.EmbeddedCluster;
import io.nmstream.embedded.LoopbackPorts;
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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The policy HTTP API over real HTTP against the real broker and registry. */
@ExtendWith(EmbeddedClusterExtension.class)
class PolicyHttpApiIT {

    private static final String TOKEN = "s3cret-token";
    private static final String BOB_TOKEN = "bobs-token";
    private final EmbeddedCluster cluster;
    private final HttpClient http = HttpClient.newHttpClient();
    private Topics topics;
    private PolicyPublisher publisher;
    private PolicyHttpServer server;

    PolicyHttpApiIT(EmbeddedCluster cluster) {
        this.cluster = cluster;
    }

    @BeforeEach
    void startServer() {
        String namespace = "http-" + UUID.randomUUID();
        topics = cluster.createTopics(namespace);
        publisher = PolicyPublisher.connect(new ClusterSettings(cluster.config().with(ClusterSettings.TOPIC_NAMESPACE.name(), namespace)),
            Duration.ofSeconds(30), "http-test");
        server = start(publisher, 1 << 20);
    }

    @AfterEach
    void stopServer() {
        server.close();
        publisher.close();
    }

    private static PolicyHttpServer start(PolicyPublisher publisher, long maxBodyBytes) {
        return new PolicyHttpServer(publisher, HttpServerSettings.defaults("policy-api", "127.0.0.1", 0, maxBodyBytes),
            ApiTokens.of(Map.of(TOKEN, "alice", BOB_TOKEN, "bob"))).start();
    }

    private HttpResponse<String> send(String method, String path, String body, String token) throws IOException, InterruptedException {
        return send(server, method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8), token, "application/yaml");
    }

    private HttpResponse<String> send(PolicyHttpServer to, String method, String path, byte[] body, String token, String contentType)
        throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(to.url() + path)).timeout(Duration.ofSeconds(60))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
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
    void aDryRunDeleteReportsTheDeletionAndPublishesNothing() throws Exception {
        send("POST", "/v1/policies", Manifests.ethernetMtu("a", 1500), TOKEN);

        HttpResponse<String> kubernetesStyle = send("DELETE", "/v1/policies/a?dryRun=All", null, TOKEN);
        HttpResponse<String> ours = send("DELETE", "/v1/policies/a?dryRun=true", null, TOKEN);

        for (HttpResponse<String> response : List.of(kubernetesStyle, ours)) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(json(response).get("change").asText()).isEqualTo("DELETE");
            assertThat(json(response).get("dryRun").asBoolean()).isTrue();
        }
        assertThat(events()).extracting(PolicyEvent::getAction).containsExactly(PolicyAction.UPSERT);
        assertThat(send("GET", "/v1/policies/a", null, TOKEN).statusCode()).isEqualTo(200);
    }

    @Test
    void aQueryParameterTheApiDoesNotTakeOrCannotReadIsRefusedAndNothingIsPublished() throws Exception {
        send("POST", "/v1/policies", Manifests.ethernetMtu("a", 1500), TOKEN);

        HttpResponse<String> misspelt = send("POST", "/v1/policies?dryrun=true", Manifests.ethernetMtu("b", 1500), TOKEN);
        HttpResponse<String> unreadable = send("POST", "/v1/policies?dryRun=maybe", Manifests.ethernetMtu("b", 1500), TOKEN);
        HttpResponse<String> twice = send("DELETE", "/v1/policies/a?dryRun=true&dryRun=false", null, TOKEN);
        HttpResponse<String> deleteMisspelt = send("DELETE", "/v1/policies/a?dry_run=true", null, TOKEN);
        HttpResponse<String> onGet = send("GET", "/v1/policies?watch=true", null, TOKEN);

        assertThat(misspelt.statusCode()).isEqualTo(400);
        assertThat(json(misspelt).get("error").asText())
            .isEqualTo("query parameter \"dryrun\" is not accepted; did you mean dryRun? (POST takes: dryRun); nothing was published");
        assertThat(unreadable.statusCode()).isEqualTo(400);
        assertThat(json(unreadable).get("error").asText()).contains("dryRun: \"maybe\" is not allowed: expected true, All or false");
        assertThat(twice.statusCode()).isEqualTo(400);
        assertThat(json(twice).get("error").asText()).contains("dryRun is given 2 times");
        assertThat(deleteMisspelt.statusCode()).isEqualTo(400);
        assertThat(json(deleteMisspelt).get("error").asText()).contains("\"dry_run\"", "did you mean dryRun?");
        assertThat(onGet.statusCode()).isEqualTo(400);
        assertThat(json(onGet).get("error").asText())
            .isEqualTo("query parameter \"watch\" is not accepted (GET takes no query parameters)");
        assertThat(events()).extracting(PolicyEvent::getName, PolicyEvent::getAction).containsExactly(tuple("a", PolicyAction.UPSERT));
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
        // the API server's words for a missing object, as kubectl and the command line print them
        assertThat(json(missing).get("error").asText()).isEqualTo("nodenetworkconfigurationpolicies.nmstate.io \"a\" not found");
        assertThat(json(deleteMissing).get("error").asText()).isEqualTo("nodenetworkconfigurationpolicies.nmstate.io \"a\" not found");
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
        assertThat(json(badMethod).get("error").asText()).contains("method PUT not allowed");
    }

    @Test
    void theAuditRecordsTheUserOfTheTokenAndRefusesAUserHeader() throws Exception {
        HttpResponse<String> byAlice = send("POST", "/v1/policies", Manifests.ethernetMtu("a", 1500), TOKEN);
        HttpResponse<String> byBob = send("DELETE", "/v1/policies/a", null, BOB_TOKEN);
        HttpResponse<String> claimed = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/v1/policies"))
            .header("Authorization", "Bearer " + BOB_TOKEN).header("X-Nmstream-User", "alice").header("Content-Type", "application/yaml")
            .POST(HttpRequest.BodyPublishers.ofString(Manifests.ethernetMtu("b", 1500))).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(byAlice.statusCode()).isEqualTo(200);
        assertThat(byBob.statusCode()).isEqualTo(200);
        assertThat(claimed.statusCode()).isEqualTo(400);
        assertThat(json(claimed).get("error").asText()).startsWith("X-Nmstream-User is not accepted").contains("(bob)");
        assertThat(events()).extracting(PolicyEvent::getName, PolicyEvent::getAction, e -> e.getSource().getUser()).containsExactly(
            tuple("a", PolicyAction.UPSERT, "alice"), tuple("a", PolicyAction.DELETE, "bob"));
    }

    @Test
    void refusesContentTypesOtherThanYamlAndJsonWith415BeforeReadingTheBody() throws Exception {
        byte[] manifest = Manifests.ethernetMtu("a", 1500).getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> png = send(server, "POST", "/v1/policies", manifest, TOKEN, "image/png");
        HttpResponse<String> form = send(server, "POST", "/v1/policies", manifest, TOKEN, "application/x-www-form-urlencoded");
        HttpResponse<String> none = send(server, "POST", "/v1/policies", manifest, TOKEN, null);
        HttpResponse<String> latin1 = send(server, "POST", "/v1/policies", manifest, TOKEN, "application/yaml; charset=ISO-8859-1");
        HttpResponse<String> yaml = send(server, "POST", "/v1/policies", manifest, TOKEN, "text/yaml; charset=utf-8");

        for (HttpResponse<String> refused : List.of(png, form, none, latin1)) {
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(415);
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(json(refused).get("error").asText()).contains("application/yaml or application/json");
        }
        assertThat(json(png).get("error").asText()).startsWith("Content-Type image/png is not accepted");
        assertThat(yaml.statusCode()).isEqualTo(200);
        assertThat(events()).hasSize(1);
    }

    @Test
    void refusesABodyThatIsNotUtf8With400() throws Exception {
        byte[] latin1 = (Manifests.ethernetMtu("a", 1500) + "# caf\u00e9\n").getBytes(StandardCharsets.ISO_8859_1);

        HttpResponse<String> response = send(server, "POST", "/v1/policies", latin1, TOKEN, "application/yaml");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("error").asText()).startsWith("the request body is not UTF-8 text: byte 0xe9 at offset ");
        assertThat(events()).isEmpty();
    }

    @Test
    void refusesABodyOverTheManifestSizeLimitWith413() throws Exception {
        try (PolicyHttpServer small = start(publisher, 1024)) {
            String big = Manifests.ethernetMtu("a", 1500) + "#" + "x".repeat(2048) + "\n";

            HttpResponse<String> response = send(small, "POST", "/v1/policies", big.getBytes(StandardCharsets.UTF_8), TOKEN,
                "application/yaml");

            assertThat(response.statusCode()).isEqualTo(413);
            assertThat(json(response).get("error").asText()).contains("larger than the limit of 1024 bytes")
                .contains("manifests may be at most 1 KiB (setting ingest.manifest.max.bytes)");
        }
        assertThat(events()).isEmpty();
    }

    @Test
    void resolvesYamlAliasesAndRefusesAnAliasBombWithItsPath() throws Exception {
        String anchored = """
            apiVersion: nmstate.io/v1
            kind: NodeNetworkConfigurationPolicy
            metadata:
              name: anchored
            spec:
              desiredState:
                interfaces:
                - name: eth1
                  type: ethernet
                  state: up
                  mtu: &jumbo 9000
                - name: eth2
                  type: ethernet
                  state: up
                  mtu: *jumbo
            """;
        StringBuilder bomb = new StringBuilder(Manifests.ethernetMtu("bomb", 1500))
            .append("  x0: &x0 [lol, lol, lol, lol, lol, lol, lol]\n");
        for (int level = 1; level < 9; level++) {
            bomb.append("  x").append(level).append(": &x").append(level).append(" [").append(("*x" + (level - 1) + ", ").repeat(6))
                .append("*x").append(level - 1).append("]\n");
        }

        HttpResponse<String> resolved = send("POST", "/v1/policies", anchored, TOKEN);
        HttpResponse<String> exploded = send("POST", "/v1/policies", bomb.toString(), TOKEN);

        assertThat(resolved.statusCode()).as(resolved.body()).isEqualTo(200);
        assertThat(new ObjectMapper().readTree(events().get(0).getDesiredState()).findValues("mtu"))
            .extracting(JsonNode::asInt).containsExactly(9000, 9000);
        assertThat(exploded.statusCode()).isEqualTo(422);
        assertThat(json(exploded).at("/problems/0/path").asText()).matches("spec\\.x\\d\\[\\d\\]");
        assertThat(json(exploded).at("/problems/0/allowed").asText()).contains("expands to more than");
        assertThat(events()).hasSize(1);
    }

    @Test
    void answers503WithAJsonBodyWhenKafkaIsUnreachable() throws Exception {
        ClusterSettings nowhere = new ClusterSettings(cluster.config()
            .with(ClusterSettings.BOOTSTRAP_SERVERS.name(), "127.0.0.1:" + LoopbackPorts.free()));
        try (PolicyPublisher unreachable = PolicyPublisher.connect(nowhere, Duration.ofSeconds(2), "http-test-unreachable");
             PolicyHttpServer api = start(unreachable, 1 << 20)) {
            HttpResponse<String> list = send(api, "GET", "/v1/policies", null, TOKEN, null);
            HttpResponse<String> post = send(api, "POST", "/v1/policies", Manifests.ethernetMtu("a", 1500).getBytes(StandardCharsets.UTF_8),
                TOKEN, "application/yaml");

            for (HttpResponse<String> response : List.of(list, post)) {
                assertThat(response.statusCode()).isEqualTo(503);
                assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
                assertThat(json(response).get("error").asText()).startsWith("Cannot reach Kafka or the schema registry");
            }
        }
    }

    @Test
    void answers503WithAJsonBodyWhenTheRegistryIsUnreachable() throws Exception {
        ClusterSettings noRegistry = new ClusterSettings(cluster.config().with(ClusterSettings.TOPIC_NAMESPACE.name(), topics.namespace())
            .with(ClusterSettings.REGISTRY_URL.name(), "http://127.0.0.1:" + LoopbackPorts.free()));
        try (PolicyPublisher unreachable = PolicyPublisher.connect(noRegistry, Duration.ofSeconds(5), "http-test-no-registry");
             PolicyHttpServer api = start(unreachable, 1 << 20)) {
            HttpResponse<String> post = send(api, "POST", "/v1/policies", Manifests.ethernetMtu("a", 1500).getBytes(StandardCharsets.UTF_8),
                TOKEN, "application/yaml");

            assertThat(post.statusCode()).as(post.body()).isEqualTo(503);
            assertThat(json(post).get("error").asText()).startsWith("Cannot reach Kafka or the schema registry while publishing");
        }
        assertThat(events()).isEmpty();
    }

    @Test
    void answersAuthenticatedRequestsWhileFiftySlowClientsHoldConnections() throws Exception {
        send("POST", "/v1/policies", Manifests.ethernetMtu("a", 1500), TOKEN);

        try (SlowClients slow = SlowClients.open("127.0.0.1", server.port(), 50, "/v1/policies")) {
            for (int i = 0; i < 10; i++) {
                slow.drip();
                HttpResponse<String> list = send("GET", "/v1/policies", null, TOKEN);
                assertThat(list.statusCode()).isEqualTo(200);
                assertThat(json(list).get("items")).hasSize(1);
            }
            HttpResponse<String> post = send("POST", "/v1/policies", Manifests.ethernetMtu("b", 9000), BOB_TOKEN);
            assertThat(post.statusCode()).isEqualTo(200);
            assertThat(slow.partialHeadersOpen()).as("slow clients still connected").isPositive();
            assertThat(SlowClients.answer(slow.partialBodies().get(0))).startsWith("HTTP/1.1 401");
        }
        assertThat(events()).extracting(PolicyEvent::getName).containsExactlyInAnyOrder("a", "b");
    }
}
