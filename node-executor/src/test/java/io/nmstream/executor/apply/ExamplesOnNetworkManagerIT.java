package io.nmstream.executor.apply;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nmstream.executor.nm.NetworkManagerBackend;
import io.nmstream.executor.sandbox.NetworkManagerSandbox;
import io.nmstream.executor.simulated.SimulatedBackend;
import io.nmstream.ingest.manifest.ManifestParser;
import io.nmstream.ingest.manifest.PolicyManifest;
import io.nmstream.nmstate.InterfaceSpec;
import io.nmstream.nmstate.InterfaceState;
import io.nmstream.nmstate.InterfaceType;
import io.nmstream.nmstate.NetworkState;
import io.nmstream.nmstate.NmstateParser;
import io.nmstream.nmstate.StateDiff;
import io.nmstream.nmstate.capture.CaptureResolver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Accepted means applicable, on a real NetworkManager: every policy of the project's examples that ingest accepts is
 * applied to a sandbox built as the host the examples are written for (veths named eth0, eth1, eth2, ens8f0np0 and
 * ens8f1np1, eth0 with the typical host's addresses, default routes and name server). Each either applies and verifies,
 * or is refused for something this host lacks (a kernel without bonding or 802.1Q, no Open vSwitch, no SR-IOV or DCB on a
 * veth), rolled back; either way the host is then as it was. The simulated-node counterpart is
 * {@code AcceptedMeansApplicableTest}.
 */
class ExamplesOnNetworkManagerIT {

    private static final Path EXAMPLES = Path.of("..", "examples");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What a host may lack, in the words the refusal uses (see NodeApplierInterfaceTypesNetworkManagerIT). */
    private static final List<String> HOST_LIMITS = List.of("Operation not supported", "plugin for 'ovs-bridge' unavailable",
        "plugin for 'ovs-interface' unavailable", "does not support SR-IOV", "DCB setup failed", "bridge VLAN filtering");

    /** The veths that stand in for the examples' ethernets (the kernel here has no dummy links to stand in for them). */
    private static final List<String> STAND_INS = List.of("eth0", "eth1", "eth2", "ens8f0np0", "ens8f1np1");

    private static NetworkManagerSandbox sandbox;
    private static NetworkManagerBackend nm;
    private static NodeApplier applier;
    private static NetworkState host;

    @BeforeAll
    static void buildTheExamplesHost() throws Exception {
        sandbox = NetworkManagerSandbox.start(Path.of(System.getProperty("basedir", "."), "target", "nm-sandbox"),
            "eth0:eth0p eth1:eth1p eth2:eth2p ens8f0np0:ens8f0np0p ens8f1np1:ens8f1np1p");
        nm = NetworkManagerBackend.connect(sandbox.busAddress());
        applier = new NodeApplier(nm, 5, Duration.ofSeconds(1), CommitGate.OPEN);
        NetworkState typical = SimulatedBackend.typicalHost(0);
        // the veths have MAC addresses of their own; the spare ports stay down without a profile, as on a fresh host
        List<InterfaceSpec> up = typical.interfaces().stream().filter(i -> i.effectiveState() == InterfaceState.UP)
            .map(i -> i.toBuilder().macAddress(null).build()).toList();
        applier.apply(ApplyContext.manual("examples-host"), new NetworkState(up, typical.routes(), List.of(), typical.dns()),
            ApplyRequest.defaults().withProbes(false, false, Duration.ZERO));
        host = nm.currentState();
    }

    /** {@code state} with the stand-ins as the ethernets they stand in for, which is what the examples' captures look for. */
    private static NetworkState asEthernets(NetworkState state) {
        return new NetworkState(state.interfaces().stream().map(i -> STAND_INS.contains(i.name())
            ? i.toBuilder().type(InterfaceType.ETHERNET).vethPeer(null).build() : i).toList(), state.routes(), state.runningRoutes(),
            state.dns());
    }

    @AfterAll
    static void stopSandbox() throws Exception {
        if (nm != null) {
            nm.close();
        }
        sandbox.close();
    }

    static Stream<Path> examples() throws Exception {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void everyAcceptedPolicyAppliesOrIsRefusedForWhatTheHostLacksAndLeavesTheHostAsItWas(Path example) throws Exception {
        ManifestParser.Result result = new ManifestParser().parse(example.getFileName().toString(),
            Files.readString(example, StandardCharsets.UTF_8));
        for (PolicyManifest policy : result.problems().isEmpty() ? result.policies() : List.<PolicyManifest>of()) {
            JsonNode desiredJson = JSON.readTree(policy.desiredState());
            NetworkState desired = NmstateParser.parse(policy.capture().isEmpty() ? desiredJson
                : CaptureResolver.resolve(policy.capture(), desiredJson, asEthernets(nm.currentState())));
            boolean removesAStandIn = desired.interfaces().stream()
                .anyMatch(i -> i.effectiveState() == InterfaceState.ABSENT && STAND_INS.contains(i.name()));
            try {
                ApplyResult applied = applier.apply(ApplyContext.manual("examples-host"), desired,
                    ApplyRequest.defaults().withCommit(false).withProbes(false, false, Duration.ZERO));
                nm.rollback(applied.pendingCheckpoint());
            } catch (ApplyException e) {
                if (removesAStandIn && e.userMessage().contains("was not created by NetworkManager")) {
                    // the veths standing in for ethernets were made with ip link: removing one is refused, where an
                    // ethernet would stay, down (ProfilePlannerTest)
                } else {
                    assertThat(e.userMessage()).as(policy.name() + " was refused for something other than what this host lacks")
                        .containsAnyOf(HOST_LIMITS.toArray(String[]::new));
                }
                assertThat(e.rolledBack()).as(policy.name() + ": rolled back").isTrue();
            }
            NetworkState afterwards = nm.currentState();
            // what differs, in the first line a failure prints
            assertThat(afterwards).as("%s: the host afterwards, unlike before in: %s", policy.name(),
                StateDiff.describe(host, afterwards).replace('\n', ' ')).isEqualTo(host);
            assertThat(nm.checkpoints()).isEmpty();
        }
    }
}
