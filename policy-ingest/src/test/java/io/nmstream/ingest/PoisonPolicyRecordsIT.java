package io.nmstream.ingest;

import static io.nmstream.ingest.testing.CommandRun.policy;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.kafka.RejectedRecords;
import io.nmstream.embedded.EmbeddedCluster;
import io.nmstream.embedded.junit.EmbeddedClusterExtension;
import io.nmstream.embedded.junit.PoisonRecords;
import io.nmstream.embedded.junit.PoisonRecords.Poison;
import io.nmstream.ingest.testing.CommandRun;
import io.nmstream.ingest.testing.Manifests;
import io.nmstream.schemas.DeadLetterHeaders;
import io.nmstream.schemas.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records in the policies topic that cannot be decoded or break the event contract: the service sets each aside as a
 * dead letter with its reason, and {@code policy apply}, {@code policy get} and the HTTP API go on as if they were not
 * there.
 */
@ExtendWith(EmbeddedClusterExtension.class)
class PoisonPolicyRecordsIT {

    private static final String TOKEN = "t0ken";

    @TempDir
    Path repo;

    @Test
    void poisonInThePoliciesTopicIsSetAsideAndApplyGetAndTheHttpApiKeepWorking(EmbeddedCluster cluster) throws Exception {
        String namespace = "poison-" + UUID.randomUUID();
        Topics topics = cluster.createTopics(namespace);
        List<Poison> poison = PoisonRecords.policies(topics);
        PoisonRecords.send(cluster, topics.policies(), poison);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        var config = cluster.config().with(ClusterSettings.TOPIC_NAMESPACE.name(), namespace)
            .with(IngestSettings.HTTP_HOST.name(), "127.0.0.1").with(IngestSettings.HTTP_PORT.name(), "0")
            .with(IngestSettings.HTTP_TOKEN.name(), TOKEN);
        Files.writeString(repo.resolve("mtu.yaml"), Manifests.ethernetMtu("mtu", 9000));

        try (PolicyIngestService service = PolicyIngestService.start(config, null, meters)) {
            String api = "http://127.0.0.1:" + service.httpPort().orElseThrow() + "/v1/policies";
            CommandRun apply = cli(cluster, namespace, "apply", "-f", repo.toString());
            HttpResponse<String> posted = http(HttpRequest.newBuilder(URI.create(api)).header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofString(Manifests.ethernetMtu("from-http", 1500))));
            HttpResponse<String> listed = http(HttpRequest.newBuilder(URI.create(api)).GET());
            CommandRun get = cli(cluster, namespace, "get");

            assertThat(apply.exitCode()).as(apply.err()).isZero();
            assertThat(apply.out()).contains("nodenetworkconfigurationpolicy.nmstate.io/mtu created (generation 1)");
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
            assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
            assertThat(listed.body()).contains("\"mtu\"", "\"from-http\"").doesNotContain("eth1-policy", "negative", "bad-digest");
            assertThat(get.exitCode()).as(get.err()).isZero();
            assertThat(get.out()).contains("mtu", "from-http").doesNotContain("eth1-policy", "negative", "bad-digest");

            Map<String, String> reasons = PoisonRecords.deadLetters(cluster, topics).stream()
                .collect(Collectors.toMap(letter -> new String(letter.key(), StandardCharsets.UTF_8), PoisonPolicyRecordsIT::reason));
            assertThat(reasons).as("one dead letter per poison record, written once by the service").hasSize(poison.size());
            assertThat(reasons.get("garbage")).isNotBlank();
            assertThat(reasons.get("unknown-schema")).contains("schema id");
            assertThat(reasons.get("not-the-key")).contains("field name has value 'eth1-policy'");
            assertThat(reasons.get("negative")).contains("field generation has value '-7'");
            assertThat(reasons.get("bad-digest")).contains("field desiredStateDigest has value 'd1'");
            for (Poison record : poison) {
                assertThat(meters.get(RejectedRecords.METRIC).tags("topic", topics.policies().name(), "reason", record.reason()).counter()
                    .count()).as(record.key()).isEqualTo(poison.stream().filter(p -> p.reason().equals(record.reason())).count());
            }
        }
    }

    private static CommandRun cli(EmbeddedCluster cluster, String namespace, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap-servers", cluster.bootstrapServers(), "--registry-url", cluster.registryUrl(),
            "--topic-namespace", namespace));
        return policy(all.toArray(String[]::new));
    }

    private static HttpResponse<String> http(HttpRequest.Builder request) throws Exception {
        return HttpClient.newHttpClient().send(request.header("Authorization", "Bearer " + TOKEN).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    private static String reason(ConsumerRecord<byte[], byte[]> letter) {
        return new String(letter.headers().lastHeader(DeadLetterHeaders.REASON).value(), StandardCharsets.UTF_8);
    }
}
