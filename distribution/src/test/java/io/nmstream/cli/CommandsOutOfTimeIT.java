package io.nmstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.kafka.KafkaClients;
import io.nmstream.embedded.EmbeddedCluster;
import io.nmstream.embedded.junit.EmbeddedClusterExtension;
import io.nmstream.schemas.Digests;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.PolicyAction;
import io.nmstream.schemas.avro.PolicyEvent;
import io.nmstream.schemas.avro.PolicySource;
import io.nmstream.schemas.avro.ResourceKind;
import io.nmstream.schemas.avro.ResourceStatus;
import io.nmstream.schemas.avro.SourceKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The commands that read the cluster, given less time than reading takes (here none at all): each says in one line what
 * it could not read within what time and which flag gives it longer, and exits as documented (a wait's timeout 2, the
 * readers 1, the policy commands 2), without a stack trace and without printing a partial answer as if it were the whole.
 */
@ExtendWith(EmbeddedClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CommandsOutOfTimeIT {

    private static final String HINT = ": the cluster answers slowly, or there is more to read than that; give it longer with --timeout";

    private final EmbeddedCluster cluster;
    private final String namespace = "slow-" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path dir;

    CommandsOutOfTimeIT(EmbeddedCluster cluster) {
        this.cluster = cluster;
    }

    /** Something to read in every topic the commands read: a policy, its status, a dead letter. */
    @BeforeAll
    void recordSomeHistory() throws Exception {
        Topics topics = cluster.createTopics(namespace);
        ClusterSettings settings = new ClusterSettings(cluster.config().with(ClusterSettings.TOPIC_NAMESPACE.name(), namespace));
        String desired = "{\"interfaces\":[]}";
        try (KafkaProducer<String, PolicyEvent> policies = KafkaClients.producer(settings.clientProperties(), topics.policies(), "it-p");
             KafkaProducer<String, ResourceStatus> status = KafkaClients.producer(settings.clientProperties(), topics.status(), "it-s");
             KafkaProducer<byte[], byte[]> letters = KafkaClients.producer(settings.clientProperties(), topics.deadLetters(), "it-d")) {
            policies.send(new ProducerRecord<>(topics.policies().name(), "mtu", PolicyEvent.newBuilder().setAction(PolicyAction.UPSERT)
                .setName("mtu").setUid("uid-mtu").setGeneration(1).setNodeSelector(Map.of()).setDesiredState(desired)
                .setDesiredStateDigest(Digests.sha256Hex(desired))
                .setSource(PolicySource.newBuilder().setKind(SourceKind.CLI).setOrigin("it").setUser("it").build())
                .setEventTime(Instant.now()).build())).get();
            status.send(new ProducerRecord<>(topics.status().name(), "NNCP/mtu", ResourceStatus.newBuilder().setKind(ResourceKind.NNCP)
                .setName("mtu").setGeneration(1).setConditions(List.of()).setLabels(Map.of()).setDetail(null).setDeleted(false)
                .setUpdatedAt(Instant.now()).build())).get();
            letters.send(new ProducerRecord<>(topics.deadLetters().name(), "k".getBytes(StandardCharsets.UTF_8),
                "garbage".getBytes(StandardCharsets.UTF_8))).get();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "get nncp --timeout=0s | 1 | error: Topic '{ns}.status' not read to its end within 0s" + HINT,
        "get nncp -w --timeout=0s | 1 | error: Topic '{ns}.status' not read to its end within 0s" + HINT,
        "audit --timeout=0s | 1 | error: The history not read to its end within 0s" + HINT,
        "replay --timeout=0s | 1 | error: Topic '{ns}.status' (to the end of a whole publish) not read to its end within 0s" + HINT,
        "dead-letters --timeout=0s | 1 | error: Topic '{ns}.dead-letters' not read to its end within 0s" + HINT,
        "policy get --timeout=0s | 2 | error: Topic '{ns}.policies' not read to its end within 0s" + HINT,
        "policy delete mtu --timeout=0s | 2 | error: Topic '{ns}.policies' not read to its end within 0s" + HINT,
        "wait nncp/mtu --for=condition=Available --timeout=0s | 2 | error: timed out waiting for "
            + "nodenetworkconfigurationpolicy.nmstate.io/mtu: Topic '{ns}.policies' not read to its end within 0s"})
    void saysWhatItCouldNotReadInTimeAndHowToGiveItLonger(String command, int exitCode, String message) {
        InProcessCommand.Result result = InProcessCommand.run(command + " --bootstrap-servers=" + cluster.bootstrapServers()
            + " --registry-url=" + cluster.registryUrl() + " --namespace=" + namespace);

        assertThat(result.exit()).as(result.err()).isEqualTo(exitCode);
        assertThat(result.err()).isEqualTo(message.replace("{ns}", namespace) + "\n");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void policyApplyWaitingLessThanTheStatusTakesToReadTimesOut() throws Exception {
        Path manifest = Files.writeString(dir.resolve("p.yaml"), """
            apiVersion: nmstate.io/v1
            kind: NodeNetworkConfigurationPolicy
            metadata: {name: quick}
            spec:
              desiredState:
                interfaces:
                - {name: eth1, type: ethernet, state: up, mtu: 9000}
            """);
        InProcessCommand.Result result = InProcessCommand.run("policy", "apply", "-f", manifest.toString(), "--wait=0s",
            "--bootstrap-servers=" + cluster.bootstrapServers(), "--registry-url=" + cluster.registryUrl(), "--namespace=" + namespace);

        assertThat(result.exit()).as(result.err()).isEqualTo(2);
        assertThat(result.out()).startsWith("nodenetworkconfigurationpolicy.nmstate.io/quick created (generation 1)\n");
        assertThat(result.err()).isEqualTo("error: timed out after 0s waiting for the policies' status: Topic '" + namespace
            + ".status' not read to its end within 0s\n");
    }
}
