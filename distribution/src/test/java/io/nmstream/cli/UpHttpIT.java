package io.nmstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.nmstream.common.http.SlowClients;
import io.nmstream.embedded.LoopbackPorts;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The policy HTTP API of {@code nmstream up} as a client on the network meets it: on the loopback address only, for the
 * users of the tokens given by file and environment (never on the command line), recording the token's user in the
 * audit, and answering while fifty slow clients hold connections.
 */
class UpHttpIT {

    private static final String ALICE = "alices-token-5f0e";
    private static final String CI = "ci-token-77d1";
    private static final String POLICY = """
        apiVersion: nmstate.io/v1
        kind: NodeNetworkConfigurationPolicy
        metadata:
          name: worker-mtu
        spec:
          nodeSelector:
            node-role.kubernetes.io/worker: ""
          desiredState:
            interfaces:
              - name: ens8f0np0
                type: ethernet
                state: up
                mtu: 9000
        """;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void upServesItsApiOnLoopbackForTheUsersOfItsTokenFileAndVariable(@TempDir Path dir) throws Exception {
        Path tokens = Files.writeString(dir.resolve("tokens"), "alice:" + ALICE + "\n");
        Files.setPosixFilePermissions(tokens, PosixFilePermissions.fromString("rw-------"));
        int kafka = LoopbackPorts.free();
        int registry = LoopbackPorts.free();
        int api = LoopbackPorts.free();
        Path stdout = dir.resolve("up.txt");
        Process up = NmstreamJar.start(stdout, Map.of("NMSTREAM_INGEST_HTTP_TOKENS_FILE", tokens.toString(),
                "NMSTREAM_INGEST_HTTP_TOKEN", CI, "NMSTREAM_INGEST_HTTP_TOKEN_USER", "ci-pipeline"),
            "up", "--data-dir", dir.resolve("data").toString(), "--kafka-port", Integer.toString(kafka), "--registry-port",
            Integer.toString(registry), "--http-port", Integer.toString(api), "--simulated-nodes", "2",
            "--simulated-apply-latency", "300ms");
        try {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                .until(() -> !up.isAlive() || Files.readString(stdout, StandardCharsets.UTF_8).contains("nmstream is up"));
            assertThat(up.isAlive()).as("nmstream up exited; its log: %s", Path.of(stdout + ".log")).isTrue();
            String banner = Files.readString(stdout, StandardCharsets.UTF_8);
            assertThat(banner).contains("policy HTTP API         = http://127.0.0.1:" + api + "/v1/policies")
                .doesNotContain(ALICE).doesNotContain(CI);
            assertThat(up.info().commandLine().orElse("")).doesNotContain(ALICE).doesNotContain(CI);

            String base = "http://127.0.0.1:" + api + "/v1/policies";
            HttpResponse<String> byAlice = send(HttpRequest.newBuilder(URI.create(base)).header("Authorization", "Bearer " + ALICE)
                .header("Content-Type", "application/yaml").POST(HttpRequest.BodyPublishers.ofString(POLICY)));
            HttpResponse<String> byCi = send(HttpRequest.newBuilder(URI.create(base + "/worker-mtu"))
                .header("Authorization", "Bearer " + CI));
            HttpResponse<String> claimed = send(HttpRequest.newBuilder(URI.create(base)).header("Authorization", "Bearer " + CI)
                .header("X-Nmstream-User", "alice").header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofString(POLICY)));
            HttpResponse<String> anonymous = send(HttpRequest.newBuilder(URI.create(base)));

            assertThat(byAlice.statusCode()).as(byAlice.body()).isEqualTo(200);
            assertThat(byCi.statusCode()).isEqualTo(200);
            assertThat(claimed.statusCode()).isEqualTo(400);
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.body()).startsWith("{\"error\":");
            // bound to 127.0.0.1 only: another loopback address reaches nothing
            assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress("127.0.0.2", api), 5_000))
                .isInstanceOf(ConnectException.class);

            try (SlowClients slow = SlowClients.open("127.0.0.1", api, 50, "/v1/policies")) {
                for (int i = 0; i < 10; i++) {
                    slow.drip();
                    assertThat(send(HttpRequest.newBuilder(URI.create(base)).header("Authorization", "Bearer " + CI)).statusCode())
                        .isEqualTo(200);
                }
            }

            Path auditDir = Files.createDirectories(dir.resolve("audit"));
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
                NmstreamJar.Run audit = NmstreamJar.run(auditDir, 120, "audit", "--bootstrap-servers", "127.0.0.1:" + kafka,
                    "--registry-url", "http://127.0.0.1:" + registry, "--policy", "worker-mtu");
                assertThat(audit.stdout()).contains("\"user\":\"alice\"").contains("\"source\":\"http\"")
                    .doesNotContain("\"user\":\"ci-pipeline\"");
            });
        } finally {
            up.destroy();
            if (!up.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                up.destroyForcibly().waitFor();
            }
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
