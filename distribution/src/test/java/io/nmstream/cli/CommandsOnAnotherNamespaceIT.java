package io.nmstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.embedded.EmbeddedCluster;
import io.nmstream.embedded.junit.EmbeddedClusterExtension;
import java.util.UUID;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The commands that read the cluster, pointed at a topic namespace the cluster does not have (a typo in --namespace):
 * each says which topic is missing and how to name the namespace, in one line, without a stack trace.
 */
@ExtendWith(EmbeddedClusterExtension.class)
class CommandsOnAnotherNamespaceIT {

    private final EmbeddedCluster cluster;

    CommandsOnAnotherNamespaceIT(EmbeddedCluster cluster) {
        this.cluster = cluster;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"get nncp", "audit", "replay", "wait nncp/mtu --for=condition=Available"})
    void saysWhichTopicIsMissingAndHowToNameTheNamespace(String command) {
        String namespace = "typo-" + UUID.randomUUID();
        InProcessCommand.Result result = InProcessCommand.run(command + " --bootstrap-servers=" + cluster.bootstrapServers()
            + " --registry-url=" + cluster.registryUrl() + " --namespace=" + namespace);

        assertThat(result.exit()).as(result.err()).isEqualTo(1);
        assertThat(result.err()).startsWith("error: Topic '" + namespace + ".")
            .contains("' does not exist: is the topic namespace right? (--namespace or NMSTREAM_TOPICS_NAMESPACE; nmstream up's is the "
                + "default, 'nmstream'); otherwise create nmstream's topics first").doesNotContain("\tat ");
        assertThat(result.out()).isEmpty();
    }
}
