package io.nmstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.nmstream.common.http.TestKeystores;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.embedded.EmbeddedCluster;
import io.nmstream.embedded.junit.EmbeddedClusterExtension;
import io.nmstream.ingest.kubernetes.NncpWatcher;
import io.nmstream.ingest.testing.Manifests;
import io.nmstream.ingest.testing.TopicContents;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.NodeEvent;
import io.nmstream.schemas.avro.PolicyEvent;
import io.nmstream.schemas.avro.SourceKind;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The whole service, as its main starts it: HTTP API and Kubernetes bridge sharing one publisher. */
@EnableKubernetesMockClient(crud = true)
@ExtendWith(EmbeddedClusterExtension.class)
class PolicyIngestServiceIT {

    KubernetesClient client;

    @Test
    void publishesPoliciesFromHttpAndKubernetesAndNodesFromKubernetes(EmbeddedCluster cluster) throws Exception {
        String namespace = "svc-" + UUID.randomUUID();
        Topics topics = cluster.createTopics(namespace);
        var config = cluster.config().with(ClusterSettings.TOPIC_NAMESPACE.name(), namespace)
            .with(IngestSettings.HTTP_HOST.name(), "127.0.0.1").with(IngestSettings.HTTP_PORT.name(), "0")
            .with(IngestSettings.HTTP_TOKEN.name(), "t0ken").with(IngestSettings.KUBERNETES_ENABLED.name(), "true");

        try (PolicyIngestService service = PolicyIngestService.start(config, client)) {
            HttpResponse<String> posted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + service.httpPort().orElseThrow() + "/v1/policies"))
                .header("Authorization", "Bearer t0ken").header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofString(Manifests.ethernetMtu("from-http", 1500)))
                .build(), HttpResponse.BodyHandlers.ofString());
            client.genericKubernetesResources(NncpWatcher.NNCP).resource(client.getKubernetesSerialization()
                .unmarshal(Manifests.ethernetMtu("from-kubectl", 9000), GenericKubernetesResource.class)).create();
            client.nodes().resource(new NodeBuilder().withNewMetadata().withName("worker-0").endMetadata().build()).create();

            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(TopicContents.values(cluster, topics.policies())).extracting(PolicyEvent::getName, e -> e.getSource().getKind())
                    .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("from-http", SourceKind.HTTP),
                        org.assertj.core.groups.Tuple.tuple("from-kubectl", SourceKind.KUBERNETES));
                assertThat(TopicContents.values(cluster, topics.nodes())).extracting(NodeEvent::getName).containsExactly("worker-0");
            });
        }
    }

    @Test
    void servesTheApiOverTlsForTheUsersOfItsTokensFile(EmbeddedCluster cluster, @TempDir Path dir) throws Exception {
        String namespace = "svc-tls-" + UUID.randomUUID();
        Topics topics = cluster.createTopics(namespace);
        TestKeystores keystore = TestKeystores.selfSignedForLoopback(dir);
        Path tokens = Files.writeString(dir.resolve("tokens"), "alice:alices-token\n");
        var config = cluster.config().with(ClusterSettings.TOPIC_NAMESPACE.name(), namespace)
            .with(IngestSettings.HTTP_PORT.name(), "0").with(IngestSettings.HTTP_TOKENS_FILE.name(), tokens.toString())
            .with(IngestSettings.HTTP.keystoreLocation().name(), keystore.file().toString())
            .with(IngestSettings.HTTP.keystorePassword().name(), keystore.password());

        try (PolicyIngestService service = PolicyIngestService.start(config, client)) {
            int port = service.httpPort().orElseThrow();
            HttpResponse<String> overTls = HttpClient.newBuilder().sslContext(keystore.clientContext()).build().send(
                HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/v1/policies"))
                    .header("Authorization", "Bearer alices-token").header("Content-Type", "application/yaml")
                    .POST(HttpRequest.BodyPublishers.ofString(Manifests.ethernetMtu("over-tls", 1500))).build(),
                HttpResponse.BodyHandlers.ofString());

            assertThat(overTls.statusCode()).as(overTls.body()).isEqualTo(200);
            assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/v1/policies")).header("Authorization", "Bearer alices-token").timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
            assertThat(TopicContents.values(cluster, topics.policies())).extracting(PolicyEvent::getName, e -> e.getSource().getUser())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("over-tls", "alice"));
        }
    }
}
