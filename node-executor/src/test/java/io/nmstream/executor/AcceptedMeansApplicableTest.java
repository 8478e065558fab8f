package io.nmstream.executor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nmstream.executor.backend.ApplyOptions;
import io.nmstream.executor.nm.ProfileChange;
import io.nmstream.executor.nm.ProfilePlanner;
import io.nmstream.executor.simulated.FailureRules;
import io.nmstream.executor.simulated.SimulatedBackend;
import io.nmstream.ingest.manifest.ManifestParser;
import io.nmstream.ingest.manifest.PolicyManifest;
import io.nmstream.nmstate.NetworkState;
import io.nmstream.nmstate.NmstateParser;
import io.nmstream.nmstate.StateValidator;
import io.nmstream.nmstate.StateVerifier;
import io.nmstream.nmstate.capture.CaptureException;
import io.nmstream.nmstate.capture.CaptureResolver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The promise of the one nmstate model: a policy that policy-ingest accepts is one a node can apply. For every manifest of
 * the project's examples (the README's examples, kubernetes-nmstate's documentation, the RoCE guides), each accepted
 * policy's desired state — its captures resolved against the host first, as the agent does — passes the executor's checks
 * against a host that has the hardware it names, translates to NetworkManager profiles without an error, and applies and
 * verifies on a simulated host. A manifest ingest refuses publishes nothing, so it has nothing to apply.
 */
class AcceptedMeansApplicableTest {

    private static final Path EXAMPLES = Path.of("..", "examples");
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The host {@code nmstream up}'s simulated nodes are (eth0 up with IPv4 and IPv6 addresses, the default routes and a
     * name server; eth1, eth2 and the two RDMA ports ens8f0np0 and ens8f1np1 down): what this test proves of the examples
     * holds on the embedded default.
     */
    static final NetworkState HOST = SimulatedBackend.typicalHost(5);

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            List<Path> yaml = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
            assertThat(yaml).as("examples in " + EXAMPLES.toAbsolutePath()).hasSizeGreaterThan(20);
            return yaml.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void everyPolicyIngestAcceptsTranslatesToNetworkManagerProfilesAndAppliesOnANode(Path example) throws IOException, CaptureException {
        ManifestParser.Result result = new ManifestParser().parse(example.getFileName().toString(),
            Files.readString(example, StandardCharsets.UTF_8));
        if (!result.problems().isEmpty()) {
            assertThat(result.policies()).as("a refused manifest publishes nothing").isEmpty();
            return;
        }
        assertThat(result.policies()).isNotEmpty();
        for (PolicyManifest policy : result.policies()) {
            NetworkState desired = NmstateParser.parse(resolved(policy));

            StateValidator.validate(desired, HOST);
            List<ProfileChange> plan = ProfilePlanner.plan(desired, HOST, Map.of());
            SimulatedBackend node = new SimulatedBackend(HOST, Duration.ZERO, FailureRules.none());
            node.apply(desired, ApplyOptions.defaults());

            assertThat(plan).as(policy.name() + ": every profile written has a NetworkManager connection type")
                .filteredOn(change -> change.settings() != null)
                .allSatisfy(change -> assertThat(change.settings().string("connection", "type")).isNotBlank());
            assertThat(StateVerifier.mismatches(desired, node.currentState())).as(policy.name() + " verifies after the apply").isEmpty();
        }
    }

    /** The desired state as the agent applies it: captures resolved against the host, as in the agent. */
    private static JsonNode resolved(PolicyManifest policy) throws IOException, CaptureException {
        JsonNode desired = JSON.readTree(policy.desiredState());
        return policy.capture().isEmpty() ? desired : CaptureResolver.resolve(policy.capture(), desired, HOST);
    }
}
