package io.nmstream.executor.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.nmstream.executor.apply.CommitGate;
import io.nmstream.executor.apply.NodeApplier;
import io.nmstream.executor.simulated.FailureRules;
import io.nmstream.executor.simulated.SimulatedBackend;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.nmstream.executor.testing.Commands;
import io.nmstream.nmstate.CanonicalForm;
import io.nmstream.nmstate.InterfaceSpec;
import io.nmstream.nmstate.IpAddress;
import io.nmstream.nmstate.NetworkState;
import io.nmstream.nmstate.NmstateParser;
import io.nmstream.nmstate.Route;
import io.nmstream.schemas.avro.CommandKind;
import io.nmstream.schemas.avro.DesiredStateCommand;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commands of policies with captures: resolved on the node against its own state, applied, reported and reverted. */
class CommandProcessorCaptureTest {

    private final List<EnactmentEvent> events = new ArrayList<>();

    @TempDir
    Path dir;

    private CommandProcessor processor(SimulatedBackend host, AppliedLedger ledger) {
        return new CommandProcessor("n1", host, new NodeApplier(host, 1, Duration.ZERO, CommitGate.OPEN), ledger,
            new CommandProcessor.RetryPolicy(1, Duration.ofMillis(1), Duration.ofMillis(2)), events::add, Clock.systemUTC());
    }

    private static SimulatedBackend typicalHost() {
        return new SimulatedBackend(SimulatedBackend.typicalHost(1), Duration.ZERO, FailureRules.none());
    }

    private static DesiredStateCommand bridgeOnDefaultGateway(long generation) {
        return CapturedCommands.of(CapturedCommands.BRIDGE_ON_DEFAULT_GW, "n1", generation, CommandKind.APPLY);
    }

    private static JsonNode yaml(String text) {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<EnactmentPhase> phases() {
        return events.stream().map(EnactmentEvent::getPhase).toList();
    }

    @Test
    void aBridgeOnTheDefaultGatewayInterfaceIsResolvedOnTheNodeAndApplied() {
        SimulatedBackend host = typicalHost();
        AppliedLedger ledger = AppliedLedger.inMemory();
        DesiredStateCommand command = bridgeOnDefaultGateway(1);

        processor(host, ledger).handle(command);

        assertThat(phases()).containsExactly(EnactmentPhase.PROGRESSING, EnactmentPhase.AVAILABLE);
        NetworkState now = host.currentState();
        InterfaceSpec bridge = now.find("br1").orElseThrow();
        assertThat(bridge.bridge().portNames()).containsExactly("eth0");
        assertThat(now.find("eth0").orElseThrow().controller()).isEqualTo("br1");
        assertThat(bridge.ipv4().addresses()).containsExactly(new IpAddress("10.0.0.3", 16));
        assertThat(now.routes()).extracting(Route::destination, Route::nextHopInterface, Route::nextHopAddress)
            .contains(tuple("0.0.0.0/0", "br1", "10.0.0.1"));
    }

    @Test
    void everyEnactmentOfTheCommandCarriesTheDigestOfTheResolvedState() {
        AppliedLedger ledger = AppliedLedger.inMemory();
        DesiredStateCommand command = bridgeOnDefaultGateway(1);

        processor(typicalHost(), ledger).handle(command);

        String resolved = ledger.get(command.getPolicy()).orElseThrow().resolvedState();
        assertThat(NmstateParser.parse(resolved).find("br1")).as("the ledger keeps the resolved state").isPresent();
        assertThat(resolved).doesNotContain("{{");
        assertThat(events).hasSize(2).allSatisfy(e -> {
            assertThat(e.getResolvedStateDigest()).isEqualTo(CanonicalForm.sha256Hex(resolved));
            assertThat(e.getDesiredStateDigest()).isEqualTo(command.getDesiredStateDigest());
        });
        assertThat(events.get(0).getResolvedStateDigest()).isNotEqualTo(command.getDesiredStateDigest());
    }

    @Test
    void aCaptureThatMatchesNothingFailsBeforeTheHostIsTouched() {
        NetworkState noGateway = SimulatedBackend.typicalHost(1);
        noGateway = new NetworkState(noGateway.interfaces(), List.of(), List.of(), noGateway.dns());
        SimulatedBackend host = new SimulatedBackend(noGateway, Duration.ZERO, FailureRules.none());

        processor(host, AppliedLedger.inMemory()).handle(bridgeOnDefaultGateway(1));

        assertThat(phases()).containsExactly(EnactmentPhase.FAILING);
        EnactmentEvent failing = events.get(0);
        assertThat(failing.getReason()).isEqualTo("FailedToConfigure");
        assertThat(failing.getMessage()).isEqualTo("Capture default-gw matched nothing: routes.running.destination==\"0.0.0.0/0\"");
        assertThat(failing.getResolvedStateDigest()).isNull();
        assertThat(host.currentState()).isEqualTo(noGateway);
        assertThat(host.checkpoints()).isEmpty();
    }

    @Test
    void theSameGenerationAgainIsVerifiedAgainstTheStateResolvedBeforeNotCapturedOnTheChangedHost() {
        SimulatedBackend host = typicalHost();
        CommandProcessor processor = processor(host, AppliedLedger.inMemory());
        DesiredStateCommand command = bridgeOnDefaultGateway(1);
        processor.handle(command);
        String digest = events.get(1).getResolvedStateDigest();
        events.clear();

        processor.handle(CapturedCommands.again(command));

        assertThat(phases()).containsExactly(EnactmentPhase.AVAILABLE);
        assertThat(events.get(0).getMessage()).isEqualTo("Already applied; verified without changes");
        assertThat(events.get(0).getResolvedStateDigest()).isEqualTo(digest);
    }

    @Test
    void aRevertRemovesTheStateTheNodeResolvedEvenAfterARestart() {
        SimulatedBackend host = typicalHost();
        DesiredStateCommand command = CapturedCommands.of("data-bridge", "n1", 1, CommandKind.APPLY,
            Map.of("spare", "interfaces.name==\"ens8f0np0\""), yaml("""
                interfaces:
                - name: br-data
                  type: linux-bridge
                  state: up
                  mtu: "{{ capture.spare.interfaces.0.mtu }}"
                  bridge:
                    port:
                    - name: "{{ capture.spare.interfaces.0.name }}"
                """));
        processor(host, AppliedLedger.inDirectory(dir)).handle(command);
        assertThat(host.currentState().find("br-data")).isPresent();
        String digest = events.get(1).getResolvedStateDigest();
        events.clear();

        processor(host, AppliedLedger.inDirectory(dir)).handle(CapturedCommands.as(command, CommandKind.REVERT));

        assertThat(phases()).containsExactly(EnactmentPhase.PROGRESSING, EnactmentPhase.REMOVED);
        assertThat(events).allSatisfy(e -> assertThat(e.getResolvedStateDigest()).isEqualTo(digest));
        assertThat(host.currentState().find("br-data")).isEmpty();
        assertThat(host.currentState().find("ens8f0np0").orElseThrow().controller()).isNull();
        assertThat(AppliedLedger.inDirectory(dir).get(command.getPolicy())).isEmpty();
    }

    @Test
    void revertingTheBridgeOnTheDefaultGatewayWouldCutTheHostOffSoItIsRolledBack() {
        SimulatedBackend host = typicalHost();
        CommandProcessor processor = processor(host, AppliedLedger.inMemory());
        DesiredStateCommand command = bridgeOnDefaultGateway(1);
        processor.handle(command);
        events.clear();

        // a 16 s checkpoint leaves the failing probe 1 s to pass again (45 s with the default 60 s): one attempt
        processor.handle(DesiredStateCommand.newBuilder(CapturedCommands.as(command, CommandKind.REVERT)).setCheckpointTimeoutSeconds(16)
            .build());

        assertThat(phases()).containsExactly(EnactmentPhase.PROGRESSING, EnactmentPhase.FAILING);
        assertThat(events.get(1).getErrorDetail()).isEqualTo("PROBE, rolled back");
        assertThat(host.currentState().find("br1")).as("the host keeps its bridge and its connectivity").isPresent();
    }

    @Test
    void aRevertOfACapturedPolicyThisNodeNeverAppliedFailsSayingSo() {
        SimulatedBackend host = typicalHost();
        NetworkState before = host.currentState();

        processor(host, AppliedLedger.inMemory()).handle(CapturedCommands.of(CapturedCommands.BRIDGE_ON_DEFAULT_GW, "n1", 1,
            CommandKind.REVERT));

        assertThat(phases()).containsExactly(EnactmentPhase.FAILING);
        assertThat(events.get(0).getMessage()).isEqualTo("Cannot revert policy br1-default-gw: its desired state is resolved from"
            + " captures [base-iface, base-iface-routes, bridge-routes, default-gw], and this node has no record of a state it resolved"
            + " and applied");
        assertThat(host.currentState()).isEqualTo(before);
    }

    @Test
    void aPolicyWithoutCapturesReportsNoResolvedDigest() {
        processor(typicalHost(), AppliedLedger.inMemory()).handle(Commands.apply("n1", "mtu", 1,
            "interfaces: [{name: ens8f0np0, state: up, mtu: 1400}]"));

        assertThat(phases()).containsExactly(EnactmentPhase.PROGRESSING, EnactmentPhase.AVAILABLE);
        assertThat(events).allSatisfy(e -> assertThat(e.getResolvedStateDigest()).isNull());
    }
}
