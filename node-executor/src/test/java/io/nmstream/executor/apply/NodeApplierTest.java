package io.nmstream.executor.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nmstream.nmstate.InterfaceState;
import io.nmstream.nmstate.NetworkState;
import io.nmstream.nmstate.NmstateParser;
import io.nmstream.executor.backend.ForwardingBackend;
import io.nmstream.executor.backend.NetworkBackend;
import io.nmstream.executor.backend.Probe;
import io.nmstream.executor.backend.ProbeResult;
import io.nmstream.executor.simulated.FailureRules;
import io.nmstream.executor.simulated.SimulatedBackend;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class NodeApplierTest {

    private static final ApplyContext CONTEXT = new ApplyContext("worker-1", "jumbo", 3, "cmd-1");
    private static final NetworkState JUMBO = NmstateParser.parse("""
        interfaces:
        - name: ens8f0np0
          type: ethernet
          state: up
          mtu: 9000
          ipv4: {enabled: true, dhcp: false, address: [{ip: 10.10.1.50, prefix-length: 24}]}
        """);

    private static NodeApplier applier(NetworkBackend host) {
        return new NodeApplier(host, 2, Duration.ZERO, CommitGate.OPEN);
    }

    @Test
    void appliesVerifiesAndCommitsSoNoCheckpointIsLeft() {
        SimulatedBackend host = new SimulatedBackend(SimulatedBackend.typicalHost(1), Duration.ZERO, FailureRules.none());
        ApplyResult result = applier(host).apply(CONTEXT, JUMBO, ApplyRequest.defaults());
        assertThat(result.pendingCheckpoint()).isNull();
        assertThat(host.checkpoints()).isEmpty();
        assertThat(host.currentState().find("ens8f0np0").orElseThrow().mtu()).isEqualTo(9000);
        assertThat(host.currentState().find("ens8f0np0").orElseThrow().effectiveState()).isEqualTo(InterfaceState.UP);
        assertThat(host.currentState().find("eth0")).as("interfaces not named stay as they are")
            .isEqualTo(SimulatedBackend.typicalHost(1).find("eth0"));
    }

    @Test
    void everyApplyRecordsOneTimerSampleTaggedWithItsOutcome() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        SimulatedBackend good = new SimulatedBackend(SimulatedBackend.typicalHost(1), Duration.ZERO, FailureRules.none());
        SimulatedBackend limited = new SimulatedBackend(SimulatedBackend.typicalHost(1), Duration.ZERO,
            FailureRules.none().withMaxMtu("ens8f0np0", 1500));
        SimulatedBackend missing = new SimulatedBackend(SimulatedBackend.typicalHost(1), Duration.ZERO,
            FailureRules.none().withMissingInterface("ens8f0np0"));

        new NodeApplier(good, 2, Duration.ZERO, CommitGate.OPEN, meters).apply(CONTEXT, JUMBO, ApplyRequest.defaults());
        new NodeApplier(good, 2, Duration.ZERO, CommitGate.OPEN, meters).apply(CONTEXT, JUMBO, ApplyRequest.defaults());
        assertThatThrownBy(() -> new NodeApplier(limited, 2, Duration.ZERO, CommitGate.OPEN, meters)
            .apply(CONTEXT, JUMBO, ApplyRequest.defaults())).isInstanceOf(ApplyException.class);
        assertThatThrownBy(() -> new NodeApplier(missing, 2, Duration.ZERO, CommitGate.OPEN, meters)
            .apply(CONTEXT, JUMBO, ApplyRequest.defaults())).isInstanceOf(ApplyException.class);

        assertThat(meters.get(NodeApplier.APPLY_DURATION).tag("outcome", "applied").timer().count()).isEqualTo(2);
        assertThat(meters.get(NodeApplier.APPLY_DURATION).tag("outcome", "rolled-back").timer().count()).isEqualTo(1);
        assertThat(meters.get(NodeApplier.APPLY_DURATION).tag("outcome", "failed").timer().count()).isEqualTo(1);
    }

    @Test
    void aLimitOnEveryInterfaceRefusesJumboFramesOnAnyOfThem() {
        SimulatedBackend host = new SimulatedBackend(SimulatedBackend.typicalHost(1), Duration.ZERO,
            FailureRules.none().withMaxMtuOnEveryInterface(1500));
        NetworkState before = host.currentState();
        assertThatThrownBy(() -> applier(host).apply(CONTEXT, JUMBO, ApplyRequest.defaults()))
            .isInstanceOfSatisfying(ApplyException.class,
                e -> assertThat(e.userMessage()).isEqualTo("Interface ens8f0np0: MTU 9000 exceeds the maximum supported by the driver"));
        assertThat(host.currentState()).isEqualTo(before);
    }

    @Test
    void mtuAboveTheDriverLimitFailsInTheUsersTermsAndLeavesTheHostAsItWas() {
        SimulatedBackend host = new SimulatedBackend(SimulatedBackend.typicalHost(1), Duration.ZERO,
            FailureRules.none().withMaxMtu("ens8f0np0", 1500));
        NetworkState before = host.currentState();
        assertThatThrownBy(() -> applier(host).apply(CONTEXT, JUMBO, ApplyRequest.defaults()))
            .isInstanceOfSatisfying(ApplyException.class, e -> {
                assertThat(e.userMessage()).isEqualTo("Interface ens8f0np0: MTU 9000 exceeds the maximum supported by the driver");
                assertThat(e.rolledBack()).isTrue();
                assertThat(e.retriable()).isTrue();
                assertThat(e.getMessage()).contains("worker-1").contains("jumbo generation 3").contains("cmd-1");
            });
        assertThat(host.currentState()).isEqualTo(before);
        assertThat(host.checkpoints()).isEmpty();
    }

    @Test
    void missingInterfaceIsRejectedBeforeAnyCheckpointAndIsNotWorthRetrying() {
        SimulatedBackend host = new SimulatedBackend(SimulatedBackend.typicalHost(1), Duration.ZERO,
            FailureRules.none().withMissingInterface("ens8f0np0"));
        assertThatThrownBy(() -> applier(host).apply(CONTEXT, JUMBO, ApplyRequest.defaults()))
            .isInstanceOfSatisfying(ApplyException.class, e -> {
                assertThat(e.step()).isEqualTo(ApplyStep.VALIDATE);
                assertThat(e.userMessage())
                    .isEqualTo("Interface ens8f0np0: no such interface on this node (interfaces of type ethernet cannot be created)");
                assertThat(e.retriable()).isFalse();
            });
    }

    @Test
    void noCommitLeavesTheCheckpointWhichRollsBackByItselfWhenItTimesOut() {
        SimulatedBackend host = new SimulatedBackend(SimulatedBackend.typicalHost(1), Duration.ZERO, FailureRules.none());
        NetworkState before = host.currentState();
        ApplyResult result = applier(host).apply(CONTEXT, JUMBO,
            ApplyRequest.defaults().withCommit(false).withCheckpointTimeout(Duration.ofMillis(200)));
        assertThat(result.pendingCheckpoint()).isNotNull();
        assertThat(host.currentState().find("ens8f0np0").orElseThrow().mtu()).isEqualTo(9000);
        await().atMost(Duration.ofSeconds(10)).until(() -> host.currentState().equals(before));
        assertThat(host.checkpoints()).isEmpty();
    }

    @Test
    void failingProbeThatPassedBeforeRollsBack() {
        SimulatedBackend host = new SimulatedBackend(SimulatedBackend.typicalHost(1), Duration.ZERO, FailureRules.none());
        NetworkState before = host.currentState();
        NetworkState cutsManagement = NmstateParser.parse("interfaces: [{name: eth0, state: down}]");
        // a 16 s checkpoint leaves a failing probe 1 s to pass again: no time for a second attempt
        ApplyRequest request = ApplyRequest.defaults().withCheckpointTimeout(NodeApplier.PROBE_COMMIT_MARGIN.plusSeconds(1));
        assertThatThrownBy(() -> applier(host).apply(CONTEXT, cutsManagement, request))
            .isInstanceOfSatisfying(ApplyException.class, e -> {
                assertThat(e.step()).isEqualTo(ApplyStep.PROBE);
                assertThat(e.userMessage()).isEqualTo("Connectivity check failed after the apply: no default gateway");
            });
        assertThat(host.currentState()).isEqualTo(before);
    }

    @Test
    void theGatewayAndNameServerProbesRunTogetherSoOneThatDoesNotAnswerCostsOneTimeoutNotTwo() {
        SimulatedBackend host = new SimulatedBackend(SimulatedBackend.typicalHost(1), Duration.ZERO, FailureRules.none());
        CyclicBarrier bothProbing = new CyclicBarrier(2);
        List<ProbeResult> results = new CopyOnWriteArrayList<>();
        NetworkBackend probesThatPassOnlyTogether = new ForwardingBackend(host) {
            @Override
            public ProbeResult probe(Probe probe, NetworkState current, Duration timeout) {
                ProbeResult result;
                try {
                    bothProbing.await(10, TimeUnit.SECONDS);
                    result = host.probe(probe, current, timeout);
                } catch (BrokenBarrierException | TimeoutException e) {
                    result = ProbeResult.failed(probe, "probed while the other probe was not running");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                results.add(result);
                return result;
            }
        };

        applier(probesThatPassOnlyTogether).apply(CONTEXT, JUMBO, ApplyRequest.defaults());

        assertThat(results).as("both probes before the apply and both after it")
            .extracting(ProbeResult::probe).containsExactlyInAnyOrder(Probe.DEFAULT_GATEWAY, Probe.DNS, Probe.DEFAULT_GATEWAY, Probe.DNS);
        assertThat(results).allSatisfy(r -> assertThat(r.passed()).as(r.message()).isTrue());
    }

    @Test
    void aProbeThatFailsRightAfterTheApplyIsTriedAgainUntilItPasses() {
        SimulatedBackend host = new SimulatedBackend(SimulatedBackend.typicalHost(1), Duration.ZERO, FailureRules.none());
        AtomicInteger gatewayProbes = new AtomicInteger();
        // the gateway answers before the apply, then not for two attempts (a bridge port still learning), then again
        NetworkBackend slowToForward = new ForwardingBackend(host) {
            @Override
            public ProbeResult probe(Probe probe, NetworkState current, Duration timeout) {
                int attempt = probe == Probe.DEFAULT_GATEWAY ? gatewayProbes.incrementAndGet() : 0;
                return attempt == 2 || attempt == 3 ? ProbeResult.failed(probe, "default gateway 192.0.2.1 does not answer")
                    : host.probe(probe, current, timeout);
            }
        };

        ApplyResult result = applier(slowToForward).apply(CONTEXT, JUMBO, ApplyRequest.defaults());

        assertThat(result.pendingCheckpoint()).isNull();
        assertThat(gatewayProbes).as("once before the apply, three times after it").hasValue(4);
        assertThat(host.currentState().find("ens8f0np0").orElseThrow().mtu()).isEqualTo(9000);
        assertThat(host.checkpoints()).isEmpty();
    }
}
