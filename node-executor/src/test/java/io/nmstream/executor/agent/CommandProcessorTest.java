package io.nmstream.executor.agent;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.nmstream.executor.apply.CommitGate;
import io.nmstream.executor.apply.NodeApplier;
import io.nmstream.executor.simulated.FailureRules;
import io.nmstream.executor.simulated.SimulatedBackend;
import io.nmstream.executor.testing.Commands;
import io.nmstream.nmstate.InterfaceSpec;
import io.nmstream.nmstate.InterfaceState;
import io.nmstream.schemas.avro.CommandKind;
import io.nmstream.schemas.avro.DesiredStateCommand;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class CommandProcessorTest {

    private static final String BRIDGE = """
        interfaces:
        - name: br-data
          type: linux-bridge
          bridge: {port: [{name: ens8f0np0}]}
        routes:
          config:
          - {destination: 192.0.2.0/24, next-hop-interface: eth0, next-hop-address: 10.0.0.1}
        """;

    private final List<EnactmentEvent> events = new ArrayList<>();

    @TempDir
    Path dir;

    private CommandProcessor processor(SimulatedBackend host, AppliedLedger ledger, int attempts) {
        return new CommandProcessor("n1", host, new NodeApplier(host, 1, Duration.ZERO, CommitGate.OPEN), ledger,
            new CommandProcessor.RetryPolicy(attempts, Duration.ofMillis(1), Duration.ofMillis(2)), events::add, Clock.systemUTC());
    }

    private List<EnactmentPhase> phases() {
        return events.stream().map(EnactmentEvent::getPhase).toList();
    }

    @Test
    void backoffDoublesFromTheInitialPauseUpToTheMaximum() {
        CommandProcessor.RetryPolicy policy = new CommandProcessor.RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(30));
        assertThat(List.of(1, 2, 3, 4, 5, 6, 7).stream().map(policy::backoffAfter).map(Duration::toSeconds))
            .containsExactly(1L, 2L, 4L, 8L, 16L, 30L, 30L);
    }

    @Test
    void everyLogLineOfACommandCarriesItsPolicyGenerationNodeAndCommandIdAndNothingIsLeftAfter() {
        SimulatedBackend host = new SimulatedBackend(SimulatedBackend.typicalHost(1), Duration.ZERO,
            FailureRules.none().withMaxMtu("ens8f0np0", 1500));
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger executorLogs = (Logger) LoggerFactory.getLogger("io.nmstream.executor");
        executorLogs.addAppender(logs);
        DesiredStateCommand command = Commands.apply("n1", "jumbo", 4, "interfaces: [{name: ens8f0np0, state: up, mtu: 9000}]");
        try {
            processor(host, AppliedLedger.inMemory(), 2).handle(command);
        } finally {
            executorLogs.detachAppender(logs);
        }

        assertThat(logs.list).as("the applier's and the processor's lines, the failed attempts included")
            .extracting(ILoggingEvent::getLoggerName).contains(NodeApplier.class.getName(), CommandProcessor.class.getName());
        assertThat(logs.list).allSatisfy(line -> assertThat(line.getMDCPropertyMap())
            .containsEntry("policy", "jumbo").containsEntry("generation", "4").containsEntry("node", "n1")
            .containsEntry("commandId", command.getCommandId()));
        assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
    }

    @Test
    void revertRemovesWhatThePolicyCreatedAndReportsRemoved() {
        SimulatedBackend host = new SimulatedBackend(SimulatedBackend.typicalHost(1), Duration.ZERO, FailureRules.none());
        CommandProcessor processor = processor(host, AppliedLedger.inMemory(), 1);
        processor.handle(Commands.apply("n1", "bridge", 1, BRIDGE));
        assertThat(host.currentState().find("br-data")).isPresent();
        processor.handle(Commands.build("n1", "bridge", 1, BRIDGE, CommandKind.REVERT, 60));
        assertThat(phases()).containsExactly(EnactmentPhase.PROGRESSING, EnactmentPhase.AVAILABLE, EnactmentPhase.PROGRESSING,
            EnactmentPhase.REMOVED);
        assertThat(host.currentState().find("br-data")).isEmpty();
        assertThat(host.currentState().find("ens8f0np0").orElseThrow().controller()).isNull();
        assertThat(host.currentState().routes()).noneMatch(r -> r.destination().equals("192.0.2.0/24"));
    }

    @Test
    void revertPutsTheNodesOwnInterfacesBackAsTheyWereBeforeTheFirstGenerationEvenAfterARestart() {
        SimulatedBackend host = new SimulatedBackend(SimulatedBackend.typicalHost(1), Duration.ZERO, FailureRules.none());
        InterfaceSpec before = host.currentState().find("eth1").orElseThrow();
        String eth1 = "interfaces: [{name: eth1, type: ethernet, state: up, mtu: %d, ipv4: {enabled: true, address: "
            + "[{ip: 192.0.2.7, prefix-length: 24}]}}, {name: br-new, type: linux-bridge, bridge: {port: [{name: eth2}]}}]";
        processor(host, AppliedLedger.inDirectory(dir), 1).handle(Commands.apply("n1", "storage", 1, eth1.formatted(9000)));
        processor(host, AppliedLedger.inDirectory(dir), 1).handle(Commands.apply("n1", "storage", 2, eth1.formatted(9216)));
        assertThat(host.currentState().find("eth1").orElseThrow().mtu()).isEqualTo(9216);
        events.clear();

        processor(host, AppliedLedger.inDirectory(dir), 1)
            .handle(Commands.build("n1", "storage", 2, eth1.formatted(9216), CommandKind.REVERT, 60));

        assertThat(phases()).containsExactly(EnactmentPhase.PROGRESSING, EnactmentPhase.REMOVED);
        assertThat(events.get(1).getMessage())
            .isEqualTo("Policy configuration removed: deleted br-new; eth1, eth2 back to how they were before the policy");
        InterfaceSpec after = host.currentState().find("eth1").orElseThrow();
        assertThat(after.effectiveState()).isEqualTo(before.effectiveState()).isEqualTo(InterfaceState.DOWN);
        assertThat(after.mtu()).as("not 9000, what generation 1 found").isEqualTo(before.mtu()).isEqualTo(1500);
        assertThat(after.ipv4().addresses()).isNullOrEmpty();
        assertThat(host.currentState().find("eth2").orElseThrow().controller()).isNull();
        assertThat(host.currentState().find("br-new")).isEmpty();
    }

    @Test
    void invalidDesiredStateFailsAtOnceNamingTheField() {
        SimulatedBackend host = new SimulatedBackend(SimulatedBackend.typicalHost(1), Duration.ZERO, FailureRules.none());
        processor(host, AppliedLedger.inMemory(), 5).handle(Commands.apply("n1", "p", 1, "interfaces: [{name: ens9, type: ethernet}]"));
        assertThat(phases()).containsExactly(EnactmentPhase.PROGRESSING, EnactmentPhase.FAILING);
        assertThat(events.get(1).getMessage()).startsWith("Interface ens9: no such interface on this node");
        assertThat(events.get(1).getAttempt()).as("not retried: the host will not grow the interface").isEqualTo(1);
    }

    @Test
    void appliedGenerationsAreRememberedAcrossRestarts() {
        SimulatedBackend host = new SimulatedBackend(SimulatedBackend.typicalHost(1), Duration.ZERO, FailureRules.none());
        processor(host, AppliedLedger.inDirectory(dir), 1).handle(Commands.apply("n1", "bridge", 3, BRIDGE));
        events.clear();
        processor(host, AppliedLedger.inDirectory(dir), 1).handle(Commands.apply("n1", "bridge", 2, BRIDGE));
        assertThat(phases()).containsExactly(EnactmentPhase.ABORTED);
        assertThat(events.get(0).getMessage()).isEqualTo("Generation 2 of policy bridge is older than the applied generation 3; skipped");
    }

    @Test
    void successfulEventsCarryTimingsAndTheDigest() {
        SimulatedBackend host = new SimulatedBackend(SimulatedBackend.typicalHost(1), Duration.ZERO, FailureRules.none());
        var command = Commands.apply("n1", "bridge", 1, BRIDGE);
        processor(host, AppliedLedger.inMemory(), 1).handle(command);
        EnactmentEvent available = events.get(1);
        assertThat(available.getStartedAt()).isNotNull();
        assertThat(available.getFinishedAt()).isAfterOrEqualTo(available.getStartedAt());
        assertThat(available.getDurationMillis())
            .isEqualTo(Duration.between(available.getStartedAt(), available.getFinishedAt()).toMillis());
        assertThat(available.getDesiredStateDigest()).isEqualTo(command.getDesiredStateDigest());
        assertThat(events.get(0).getFinishedAt()).as("PROGRESSING has not finished").isNull();
    }
}
