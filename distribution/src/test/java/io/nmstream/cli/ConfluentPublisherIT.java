package io.nmstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nmstream.embedded.interop.NodeClients;
import io.nmstream.embedded.interop.NodeClients.Result;
import io.nmstream.nmstate.CanonicalForm;
import io.nmstream.schemas.Digests;
import io.nmstream.schemas.avro.PolicyAction;
import io.nmstream.schemas.avro.PolicyEvent;
import io.nmstream.schemas.avro.PolicySource;
import io.nmstream.schemas.avro.SourceKind;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A GitOps publisher that is no nmstream code: Confluent's own serializer ({@code @confluentinc/schemaregistry} from
 * npm, run by Node.js) set up never to register schemas ({@code autoRegisterSchemas=false},
 * {@code useLatestVersion=true}) and without registry credentials, publishing a policy to {@code nmstream up} on its
 * first try; nmstream's policy commands list it and the reconciler rolls it out to the simulated fleet.
 */
class ConfluentPublisherIT {

    private static final NodeClients NODE = NodeClients.locate();
    private static final String DESIRED_STATE = """
        {"interfaces": [{"name": "ens8f0np0", "type": "ethernet", "state": "up", "mtu": 9000}]}""";
    private static final String OTHER_POLICY = """
        apiVersion: nmstate.io/v1
        kind: NodeNetworkConfigurationPolicy
        metadata:
          name: cli-mtu
        spec:
          nodeSelector:
            node-role.kubernetes.io/worker: ""
          desiredState:
            interfaces:
              - name: ens8f1np1
                type: ethernet
                state: up
                mtu: 1500
        """;

    @BeforeAll
    static void installNodeClients() throws IOException, InterruptedException {
        assumeTrue(NodeClients.nodeInstalled(), "Node.js is not installed: skipping the Confluent publisher test");
        NODE.install();
    }

    @Test
    void aPolicyPublishedByConfluentsSerializerWithoutRegisteringIsListedAndRolledOut(@TempDir Path dir) throws Exception {
        Process up = UpIT.startUp(dir.resolve("up.txt"), dir.resolve("data"));
        try {
            Result published = NODE.run(List.of("node", "confluent-produce-policy.js",
                "--brokers", "127.0.0.1:9092",
                "--registry", "http://127.0.0.1:8081",
                "--topic", "nmstream.policies",
                "--key", "gitops-mtu",
                "--event", NodeClients.asNodeJson(gitopsPolicy()).toString()));
            assertThat(published.exitCode()).as("Confluent serializer with autoRegisterSchemas=false:%n%s", published.stderr()).isZero();

            NmstreamJar.Run listed = NmstreamJar.run(Files.createDirectories(dir.resolve("policy-get")), 120, "policy", "get");
            assertThat(listed.stdout()).containsPattern("gitops-mtu\\s+1\\s+1\\s+\\w{12}\\s+GIT git@example.com:fleet.git");
            UpIT.awaitTable(dir.resolve("get"), "gitops-mtu\\s+Available\\s+SuccessfullyConfigured");

            // nmstream's own serializer publishes with the version the publisher used: still one
            Path manifest = Files.writeString(dir.resolve("cli-mtu.yaml"), OTHER_POLICY);
            NmstreamJar.Run apply = NmstreamJar.run(Files.createDirectories(dir.resolve("apply")), 120, "policy", "apply", "-f",
                manifest.toString());
            assertThat(apply.exitCode()).as(apply.stdout()).isZero();
            assertThat(registryGet("/subjects/nmstream.policies-value/versions")).isEqualTo("[1]");
        } finally {
            UpIT.stop(up, dir.resolve("up.txt"));
        }
    }

    /** A policy as a GitOps tool would build it from a manifest: canonical desired state and its digest. */
    private static PolicyEvent gitopsPolicy() throws IOException {
        String desiredState = CanonicalForm.canonicalJson(new ObjectMapper().readTree(DESIRED_STATE));
        return PolicyEvent.newBuilder()
            .setAction(PolicyAction.UPSERT)
            .setName("gitops-mtu")
            .setUid(UUID.randomUUID().toString())
            .setGeneration(1)
            .setNodeSelector(Map.of("node-role.kubernetes.io/worker", ""))
            .setMaxUnavailable("1")
            .setDesiredState(desiredState)
            .setDesiredStateDigest(Digests.sha256Hex(desiredState))
            .setSource(PolicySource.newBuilder().setKind(SourceKind.GIT).setOrigin("git@example.com:fleet.git").build())
            .setEventTime(Instant.now().truncatedTo(ChronoUnit.MILLIS))
            .build();
    }

    private static String registryGet(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:8081" + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }
}
