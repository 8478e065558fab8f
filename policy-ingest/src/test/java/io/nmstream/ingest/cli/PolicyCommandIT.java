package io.nmstream.ingest.cli;

import static io.nmstream.ingest.testing.CommandRun.policy;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nmstream.embedded.EmbeddedCluster;
import io.nmstream.embedded.LoopbackPorts;
import io.nmstream.embedded.junit.EmbeddedClusterExtension;
import io.nmstream.ingest.testing.CommandRun;
import io.nmstream.ingest.testing.Manifests;
import io.nmstream.ingest.testing.TopicContents;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.PolicyAction;
import io.nmstream.schemas.avro.PolicyEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The {@code policy} commands against a real broker and registry, as a GitOps pipeline would run them. */
@ExtendWith(EmbeddedClusterExtension.class)
class PolicyCommandIT {

    private final EmbeddedCluster cluster;
    private String namespace;
    private Topics topics;

    @TempDir
    Path repo;

    PolicyCommandIT(EmbeddedCluster cluster) {
        this.cluster = cluster;
    }

    @BeforeEach
    void createTopics() {
        namespace = "cli-" + UUID.randomUUID();
        topics = cluster.createTopics(namespace);
    }

    private CommandRun run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap-servers", cluster.bootstrapServers(), "--registry-url", cluster.registryUrl(),
            "--topic-namespace", namespace));
        return policy(all.toArray(String[]::new));
    }

    private List<PolicyEvent> events() {
        return TopicContents.values(cluster, topics.policies());
    }

    private void write(String file, String text) throws IOException {
        Files.writeString(repo.resolve(file), text);
    }

    @Test
    void applyPublishesOnceAndReapplyingReportsUnchanged() throws IOException {
        write("mtu.yaml", Manifests.ethernetMtu("mtu", 9000));

        CommandRun first = run("apply", "-f", repo.toString());
        CommandRun second = run("apply", "-f", repo.toString());

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains("nodenetworkconfigurationpolicy.nmstate.io/mtu created (generation 1)");
        assertThat(second.out()).contains("nodenetworkconfigurationpolicy.nmstate.io/mtu unchanged (generation 1)");
        assertThat(events()).hasSize(1);
    }

    @Test
    void diffShowsTheChangedFieldsAndPublishesNothingAndExitsAsKubectlDiff() throws IOException {
        write("mtu.yaml", Manifests.ethernetMtu("mtu", 1500));
        run("apply", "-f", repo.toString());
        CommandRun same = run("diff", "-f", repo.toString());
        write("mtu.yaml", Manifests.ethernetMtu("mtu", 9000));

        CommandRun diff = run("diff", "-f", repo.toString());

        assertThat(same.exitCode()).as(same.err()).isEqualTo(ExitCodes.OK);
        assertThat(same.out()).contains("nodenetworkconfigurationpolicy.nmstate.io/mtu unchanged (generation 1)");
        assertThat(diff.exitCode()).as(diff.err()).isEqualTo(ExitCodes.DIFFERENCES_FOUND);
        assertThat(diff.out()).contains("nodenetworkconfigurationpolicy.nmstate.io/mtu would be configured (generation 1 -> 2)",
            "~ spec.desiredState.interfaces[0].mtu: 1500 -> 9000");
        assertThat(events()).hasSize(1);

        Files.delete(repo.resolve("mtu.yaml"));
        write("other.yaml", Manifests.ethernetMtu("other", 1500));
        CommandRun createAndPrune = run("diff", "-f", repo.toString(), "--prune");
        assertThat(createAndPrune.exitCode()).as(createAndPrune.err()).isEqualTo(ExitCodes.DIFFERENCES_FOUND);
        assertThat(createAndPrune.out()).contains("nodenetworkconfigurationpolicy.nmstate.io/other would be created (generation 1)",
            "nodenetworkconfigurationpolicy.nmstate.io \"mtu\" would be deleted");
        assertThat(events()).hasSize(1);
    }

    @Test
    void diffOfAnInvalidManifestExitsAboveOneSoThatItIsNotTakenForDrift() throws IOException {
        write("bad.yaml", Manifests.ethernetMtu("bad", 1500).replace("maxUnavailable", "x").replace("  nodeSelector:",
            "  maxUnavailable: 0%\n  nodeSelector:"));

        CommandRun diff = run("diff", "-f", repo.toString());

        assertThat(diff.exitCode()).isEqualTo(ExitCodes.DIFF_FAILED).isGreaterThan(ExitCodes.DIFFERENCES_FOUND);
        assertThat(diff.err()).contains("bad.yaml document[0] spec.maxUnavailable: \"0%\" is not allowed");
        assertThat(diff.out()).isEmpty();
    }

    @Test
    void pruneDeletesPoliciesRemovedFromTheDirectoryAndDryRunOnlyReportsIt() throws IOException {
        write("a.yaml", Manifests.ethernetMtu("a", 1500));
        write("b.yaml", Manifests.ethernetMtu("b", 1500));
        run("apply", "-f", repo.toString());
        Files.delete(repo.resolve("b.yaml"));

        CommandRun dryRun = run("apply", "-f", repo.toString(), "--prune", "--dry-run");
        assertThat(dryRun.out()).contains("nodenetworkconfigurationpolicy.nmstate.io/b pruned (dry run)");
        assertThat(events()).hasSize(2);

        CommandRun prune = run("apply", "-f", repo.toString(), "--prune");
        assertThat(prune.out()).contains("nodenetworkconfigurationpolicy.nmstate.io/b pruned");
        assertThat(events()).filteredOn(e -> e.getAction() == PolicyAction.DELETE).extracting(PolicyEvent::getName).containsExactly("b");
    }

    @Test
    void applyOutputNamePrintsThePoliciesInForceAsKubectlNamesThem() throws IOException {
        write("a.yaml", Manifests.ethernetMtu("a", 1500));
        write("b.yaml", Manifests.ethernetMtu("b", 1500));
        CommandRun first = run("apply", "-f", repo.toString(), "-o", "name");
        CommandRun again = run("apply", "-f", repo.toString(), "-o", "name");
        Files.delete(repo.resolve("b.yaml"));
        CommandRun pruned = run("apply", "-f", repo.toString(), "--prune", "-o", "name");
        CommandRun badFormat = run("apply", "-f", repo.toString(), "-o", "yaml");
        CommandRun withWait = run("apply", "-f", repo.toString(), "-o", "name", "--wait");

        String both = "nodenetworkconfigurationpolicy.nmstate.io/a\nnodenetworkconfigurationpolicy.nmstate.io/b\n";
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).isEqualTo(both);
        assertThat(again.out()).as("unchanged, still in force").isEqualTo(both);
        assertThat(pruned.out()).as("what --prune deleted is not there to wait for").isEqualTo(
            "nodenetworkconfigurationpolicy.nmstate.io/a\n");
        assertThat(badFormat.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(badFormat.err()).contains("-o yaml is not an output format of policy apply: expected -o name");
        assertThat(withWait.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(withWait.err()).contains("-o name prints names only, --wait a rollout");
        assertThat(events()).extracting(e -> e.getName() + " " + e.getAction())
            .containsExactlyInAnyOrder("a UPSERT", "b UPSERT", "b DELETE");
    }

    @Test
    void pruneRefusesToRunWhenAFileUnderItCannotBeRead() throws IOException {
        write("a.yaml", Manifests.ethernetMtu("a", 1500));
        write("b.yaml", Manifests.ethernetMtu("b", 1500));
        assertThat(run("apply", "-f", repo.toString(), "--prune").exitCode()).isZero();
        // b's file is now a link to where it no longer is: b is not removed from the source, its file cannot be read
        Files.move(repo.resolve("b.yaml"), repo.resolve("b.yaml.moved"));
        Files.createSymbolicLink(repo.resolve("b.yaml"), repo.resolve("elsewhere/b.yaml"));
        write("c.yaml", Manifests.ethernetMtu("c", 1500));

        CommandRun prune = run("apply", "-f", repo.toString(), "--prune");

        assertThat(prune.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(prune.err()).contains(repo.resolve("b.yaml") + ": is a dangling symbolic link")
            .contains("nothing was published").contains("--prune did not run");
        assertThat(events()).extracting(PolicyEvent::getName, PolicyEvent::getAction).containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("a", PolicyAction.UPSERT), org.assertj.core.groups.Tuple.tuple("b", PolicyAction.UPSERT));
    }

    @Test
    void anInvalidManifestPublishesNothingEvenBesideValidOnes() throws IOException {
        write("good.yaml", Manifests.ethernetMtu("good", 1500));
        write("bad.yaml", Manifests.ethernetMtu("bad", 1500).replace("maxUnavailable", "x").replace("  nodeSelector:",
            "  maxUnavailable: 0%\n  nodeSelector:"));

        CommandRun apply = run("apply", "-f", repo.toString());

        assertThat(apply.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(apply.err()).contains("bad.yaml document[0] spec.maxUnavailable: \"0%\" is not allowed", "nothing was published");
        assertThat(events()).isEmpty();
    }

    @Test
    void deleteAndGetShowWhatIsInForce() throws IOException {
        write("a.yaml", Manifests.ethernetMtu("a", 1500));
        write("b.yaml", Manifests.ethernetMtu("b", 9000));
        CommandRun apply = run("apply", "-f", repo.toString());
        assertThat(apply.exitCode()).as(apply.err()).isZero();

        CommandRun delete = run("delete", "a");
        CommandRun deleteAgain = run("delete", "a");
        CommandRun deleteAgainIgnored = run("delete", "a", "--ignore-not-found", "--wait");
        CommandRun table = run("get");
        CommandRun json = run("get", "b", "-o", "json");
        CommandRun yaml = run("get", "-o", "yaml");

        assertThat(delete.out()).as("delete printed to stderr: %s", delete.err())
            .contains("nodenetworkconfigurationpolicy.nmstate.io \"a\" deleted");
        assertThat(deleteAgain.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(deleteAgain.err()).contains("Error from server (NotFound): nodenetworkconfigurationpolicies.nmstate.io \"a\" not found");
        assertThat(deleteAgainIgnored.exitCode()).as(deleteAgainIgnored.err()).isZero();
        assertThat(deleteAgainIgnored.out()).isEmpty();
        assertThat(deleteAgainIgnored.err()).isEmpty();
        assertThat(table.out()).contains("b ").doesNotContain("\na ");
        JsonNode manifest = readJson(json.out());
        assertThat(manifest.at("/kind").asText()).isEqualTo("NodeNetworkConfigurationPolicy");
        assertThat(manifest.at("/metadata/generation").asLong()).isEqualTo(1);
        assertThat(manifest.at("/spec/desiredState/interfaces/0/mtu").asInt()).isEqualTo(9000);
        assertThat(yaml.out()).contains("name: b", "mtu: 9000").doesNotContain("name: a\n");
    }

    @Test
    void deleteTakesSeveralPoliciesByTheNamesThatGetAndApplyPrint() throws IOException {
        write("a.yaml", Manifests.ethernetMtu("a", 1500));
        write("b.yaml", Manifests.ethernetMtu("b", 1500));
        write("c.yaml", Manifests.ethernetMtu("c", 9000));
        CommandRun apply = run("apply", "-f", repo.toString());
        assertThat(apply.exitCode()).as(apply.err()).isZero();

        CommandRun notAPolicy = run("delete", "a", "nnce/worker-0.b");
        CommandRun one = run("get", "policy/c", "-o", "json");
        // get nncp -o name prints the first form, policy apply the second; a name that does not exist is reported
        CommandRun delete = run("delete", "nodenetworkconfigurationpolicy.nmstate.io/a", "policy/b", "nope", "a");
        CommandRun deleteByName = run("delete", "c", "-o", "name");
        CommandRun badFormat = run("delete", "c", "-o", "yaml");

        assertThat(notAPolicy.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(notAPolicy.err()).contains("'nnce/worker-0.b' is a NodeNetworkConfigurationEnactment, not a policy");
        assertThat(one.exitCode()).as(one.err()).isZero();
        assertThat(readJson(one.out()).at("/metadata/name").asText()).isEqualTo("c");
        assertThat(delete.exitCode()).as("a missing policy fails the command, after the others are deleted")
            .isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(delete.out()).isEqualTo("nodenetworkconfigurationpolicy.nmstate.io \"a\" deleted\n"
            + "nodenetworkconfigurationpolicy.nmstate.io \"b\" deleted\n");
        assertThat(delete.err()).contains("Error from server (NotFound): nodenetworkconfigurationpolicies.nmstate.io \"nope\" not found");
        assertThat(deleteByName.out()).as("as kubectl delete -o name").isEqualTo("nodenetworkconfigurationpolicy.nmstate.io/c\n");
        assertThat(badFormat.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(badFormat.err()).contains("-o yaml is not an output format of policy delete: expected -o name");
        assertThat(events()).extracting(e -> e.getName() + " " + e.getAction())
            .containsExactlyInAnyOrder("a UPSERT", "b UPSERT", "c UPSERT", "a DELETE", "b DELETE", "c DELETE");
        assertThat(run("get").out()).doesNotContain("\na ", "\nb ", "\nc ");
    }

    @Test
    void aDryRunDeletePrintsTheDeletionAndPublishesNothing() throws IOException {
        write("a.yaml", Manifests.ethernetMtu("a", 1500));
        run("apply", "-f", repo.toString());

        CommandRun dryRun = run("delete", "a", "--dry-run");
        CommandRun withWait = run("delete", "a", "--dry-run", "--wait");
        CommandRun missing = run("delete", "nope", "--dry-run");

        assertThat(dryRun.exitCode()).as(dryRun.err()).isZero();
        assertThat(dryRun.out()).contains("nodenetworkconfigurationpolicy.nmstate.io \"a\" deleted (dry run)");
        assertThat(withWait.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(withWait.err()).contains("--wait cannot be used with --dry-run");
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(missing.err()).contains("Error from server (NotFound): nodenetworkconfigurationpolicies.nmstate.io \"nope\" not found");
        assertThat(events()).extracting(PolicyEvent::getAction).containsExactly(PolicyAction.UPSERT);
    }

    @Test
    void getOfTheYamlOutputValidatesAsAManifestAgain() throws IOException {
        write("a.yaml", Manifests.ethernetMtu("a", 1500));
        write("b.yaml", Manifests.ethernetMtu("b", 1500).replace("spec:\n", "spec:\n  maxUnavailable: 2\n"));
        run("apply", "-f", repo.toString());
        Path exported = repo.resolve("exported");
        Files.createDirectories(exported);
        Files.writeString(exported.resolve("a.yaml"), run("get", "a", "-o", "yaml").out());
        String b = run("get", "b", "-o", "yaml").out();
        Files.writeString(exported.resolve("b.yaml"), b);

        CommandRun reapply = run("apply", "-f", exported.toString());

        assertThat(b).as("a number of nodes, as the manifest wrote it").contains("  maxUnavailable: 2\n");
        assertThat(reapply.out()).as(reapply.err()).contains("nodenetworkconfigurationpolicy.nmstate.io/a unchanged")
            .contains("nodenetworkconfigurationpolicy.nmstate.io/b unchanged");
    }

    @Test
    void anUnreachableKafkaExitsWithTwoSayingSoAtOnce() throws IOException {
        write("a.yaml", Manifests.ethernetMtu("a", 1500));
        int closedPort = LoopbackPorts.free();

        CommandRun apply = policy("apply", "-f", repo.toString(), "--bootstrap-servers", "127.0.0.1:" + closedPort,
            "--registry-url", cluster.registryUrl(), "--topic-namespace", namespace);

        assertThat(apply.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(apply.err()).as("nothing listens there: said before any client retries for the 15 s timeout")
            .isEqualTo("error: Kafka at 127.0.0.1:" + closedPort + " refused the connection: is it running there? Point at it with "
                + "--bootstrap-servers or NMSTREAM_KAFKA_BOOTSTRAP_SERVERS\n");
        assertThat(apply.out()).isEmpty();
    }

    @Test
    void anUnreachableRegistryExitsWithTwoAndPublishesNothing() throws IOException {
        write("a.yaml", Manifests.ethernetMtu("a", 1500));
        int closedPort = LoopbackPorts.free();

        CommandRun apply = policy("apply", "-f", repo.toString(), "--bootstrap-servers", cluster.bootstrapServers(),
            "--registry-url", "http://127.0.0.1:" + closedPort, "--topic-namespace", namespace);

        assertThat(apply.exitCode()).as(apply.err()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(apply.err()).isEqualTo("error: Schema registry at http://127.0.0.1:" + closedPort + " refused the connection: is "
            + "it running there? Point at it with --registry-url or NMSTREAM_REGISTRY_URL\n");
        assertThat(events()).isEmpty();
    }

    private static JsonNode readJson(String text) throws IOException {
        return new ObjectMapper().readTree(text);
    }
}
