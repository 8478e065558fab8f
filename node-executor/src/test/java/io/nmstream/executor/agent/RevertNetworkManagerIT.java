package io.nmstream.executor.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nmstream.executor.apply.CommitGate;
import io.nmstream.executor.apply.Nmcli;
import io.nmstream.executor.apply.NodeApplier;
import io.nmstream.executor.nm.NetworkManagerBackend;
import io.nmstream.executor.sandbox.NetworkManagerSandbox;
import io.nmstream.executor.sandbox.NetworkManagerSandboxExtension;
import io.nmstream.executor.testing.Commands;
import io.nmstream.schemas.avro.CommandKind;
import io.nmstream.schemas.avro.DesiredStateCommand;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;
import io.nmstream.schemas.avro.ProbeSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A policy's revert on a real NetworkManager 1.42: the node's own interface the policy configured goes back to how it was
 * before the policy, kernel included, and the node's report says so.
 */
@ExtendWith(NetworkManagerSandboxExtension.class)
class RevertNetworkManagerIT {

    private final NetworkManagerSandbox sandbox;
    private final List<EnactmentEvent> events = new ArrayList<>();
    private NetworkManagerBackend nm;

    @TempDir
    Path ledgerDir;

    RevertNetworkManagerIT(NetworkManagerSandbox sandbox) {
        this.sandbox = sandbox;
    }

    @BeforeEach
    void connect() {
        // a NIC of this test's own, as the node found it: up, no address, its driver's MTU
        sandbox.ip("link", "add", "rv0", "type", "veth", "peer", "name", "rv1");
        sandbox.ip("link", "set", "rv0", "up");
        sandbox.ip("link", "set", "rv1", "up");
        nm = NetworkManagerBackend.connect(sandbox.busAddress());
        await().atMost(Duration.ofSeconds(10)).until(() -> nm.currentState().find("rv0").isPresent());
    }

    @AfterEach
    void disconnect() {
        nm.close();
        // the profiles too: a profile left naming rv0 would take the next test's rv0 over
        for (String profile : Nmcli.profileNames(sandbox)) {
            if (profile.equals("rv0") || profile.equals("brv0")) {
                Nmcli.run(sandbox, "connection", "delete", profile);
            }
        }
        sandbox.ip("link", "delete", "rv0");
    }

    private CommandProcessor processor() {
        return new CommandProcessor("sandbox", nm, new NodeApplier(nm, 5, Duration.ofSeconds(1), CommitGate.OPEN),
            AppliedLedger.inDirectory(ledgerDir), new CommandProcessor.RetryPolicy(1, Duration.ofMillis(1), Duration.ofMillis(1)),
            events::add, Clock.systemUTC());
    }

    private static DesiredStateCommand withoutProbes(DesiredStateCommand command) {
        // the probes would send their packets from this JVM, outside the sandbox's namespace
        command.setProbes(ProbeSettings.newBuilder().setDefaultGateway(false).setDns(false).build());
        return command;
    }

    @Test
    void revertTakesTheAddressAndMtuThePolicySetOffTheNodesInterface() {
        String storage = "interfaces: [{name: rv0, type: ethernet, state: up, mtu: 1400, ipv4: {enabled: true, address: "
            + "[{ip: 192.0.2.90, prefix-length: 24}]}}]";
        String before = sandbox.ip("-4", "addr", "show", "dev", "rv0");
        processor().handle(withoutProbes(Commands.apply("sandbox", "storage", 1, storage)));
        assertThat(sandbox.ip("addr", "show", "dev", "rv0")).contains("mtu 1400", "192.0.2.90/24");

        processor().handle(withoutProbes(Commands.build("sandbox", "storage", 1, storage, CommandKind.REVERT, 60)));

        assertThat(events).as("%s", events).extracting(EnactmentEvent::getPhase).containsExactly(EnactmentPhase.PROGRESSING,
            EnactmentPhase.AVAILABLE, EnactmentPhase.PROGRESSING, EnactmentPhase.REMOVED);
        assertThat(events.get(3).getMessage()).isEqualTo("Policy configuration removed: rv0 back to how it was before the policy");
        String after = sandbox.ip("addr", "show", "dev", "rv0");
        assertThat(after).contains("mtu 1500").doesNotContain("192.0.2.90");
        assertThat(sandbox.ip("-4", "addr", "show", "dev", "rv0")).isEqualTo(before);
    }

    @Test
    void revertDeletesTheBridgeThePolicyMadeAndGivesItsPortBack() {
        String bridge = "interfaces: [{name: brv0, type: linux-bridge, state: up, ipv4: {enabled: true, address: "
            + "[{ip: 192.0.2.91, prefix-length: 24}]}, bridge: {options: {stp: {enabled: false}}, port: [{name: rv0}]}}]";
        processor().handle(withoutProbes(Commands.apply("sandbox", "bridged", 1, bridge)));
        assertThat(sandbox.ip("link", "show", "master", "brv0")).contains("rv0@rv1");

        processor().handle(withoutProbes(Commands.build("sandbox", "bridged", 1, bridge, CommandKind.REVERT, 60)));

        assertThat(events).as("%s", events).extracting(EnactmentEvent::getPhase).containsExactly(EnactmentPhase.PROGRESSING,
            EnactmentPhase.AVAILABLE, EnactmentPhase.PROGRESSING, EnactmentPhase.REMOVED);
        assertThat(events.get(3).getMessage()).isEqualTo("Policy configuration removed: deleted brv0; rv0 back to how it was before "
            + "the policy");
        assertThat(sandbox.ip("link", "show")).doesNotContain("brv0");
        assertThat(nm.currentState().find("rv0").orElseThrow().controller()).isNull();
        assertThat(sandbox.ip("addr", "show")).doesNotContain("192.0.2.91");
    }
}
