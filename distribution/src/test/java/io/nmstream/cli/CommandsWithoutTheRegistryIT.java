package io.nmstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.embedded.EmbeddedCluster;
import io.nmstream.embedded.LoopbackPorts;
import io.nmstream.embedded.junit.EmbeddedClusterExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The commands that read the cluster, pointed at a schema registry nothing listens at, or at something that is no
 * registry URL: each says so at once, in one line naming the URL, without a stack trace.
 */
@ExtendWith(EmbeddedClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CommandsWithoutTheRegistryIT {

    private final EmbeddedCluster cluster;
    private String namespace;

    CommandsWithoutTheRegistryIT(EmbeddedCluster cluster) {
        this.cluster = cluster;
    }

    /** One policy for every case to read: each case only points the command at another registry URL. */
    @BeforeAll
    void publishAPolicy(@TempDir Path dir) throws IOException {
        namespace = "registry-" + UUID.randomUUID();
        cluster.createTopics(namespace);
        Path manifest = Files.writeString(dir.resolve("mtu.yaml"), """
            apiVersion: nmstate.io/v1
            kind: NodeNetworkConfigurationPolicy
            metadata:
              name: mtu
            spec:
              desiredState:
                interfaces:
                - {name: eth1, type: ethernet, state: up, mtu: 9000}
            """);
        InProcessCommand.Result apply = run("policy apply -f " + manifest + " --registry-url=" + cluster.registryUrl());
        assertThat(apply.exit()).as(apply.err()).isZero();
    }

    /** As documented: the policy commands exit 2 when Kafka or the registry cannot be reached, the readers 1. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"audit, 1", "policy get, 2"})
    void saysTheRegistryDoesNotAnswerAtTheUrlGiven(String command, int exitCode) {
        int closedPort = LoopbackPorts.free();

        InProcessCommand.Result result = run(command + " --registry-url=http://127.0.0.1:" + closedPort);

        assertThat(result.exit()).as(result.err()).isEqualTo(exitCode);
        assertThat(result.err()).as("nothing listens there: said before any client retries")
            .isEqualTo("error: Schema registry at http://127.0.0.1:" + closedPort + " refused the connection: is it running there? "
                + "Point at it with --registry-url or NMSTREAM_REGISTRY_URL\n");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"audit", "get nncp", "policy get"})
    void namesTheSettingWhenTheRegistryUrlIsNoUrl(String command) {
        InProcessCommand.Result result = run(command + " --registry-url=registry:8081");

        assertThat(result.exit()).as(result.err()).isEqualTo(1);
        assertThat(result.err()).startsWith("error: ").contains("registry.url", "registry:8081",
            "must be an http:// or https:// URL with a host").doesNotContain("\tat ");
    }

    private InProcessCommand.Result run(String command) {
        return InProcessCommand.run(command + " --bootstrap-servers=" + cluster.bootstrapServers() + " --namespace=" + namespace);
    }
}
