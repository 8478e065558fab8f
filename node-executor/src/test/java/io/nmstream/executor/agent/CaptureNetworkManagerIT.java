package io.nmstream.executor.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.nmstream.executor.apply.ApplyContext;
import io.nmstream.executor.apply.CommitGate;
import io.nmstream.executor.apply.NodeApplier;
import io.nmstream.executor.apply.SandboxRequests;
import io.nmstream.executor.nm.NetworkManagerBackend;
import io.nmstream.executor.sandbox.NetworkManagerSandbox;
import io.nmstream.nmstate.CanonicalForm;
import io.nmstream.nmstate.NetworkState;
import io.nmstream.nmstate.NmstateParser;
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
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Policies with captures carried out by the agent's {@link CommandProcessor} on a real NetworkManager: the
 * kubernetes-nmstate example that puts a linux bridge on the interface holding the default gateway, resolved against
 * the host's own state and applied.
 *
 * <p>A sandbox of its own, since these tests give its namespace a default route and move it; the uplink is a veth
 * ({@value #UPLINK}) whose peer stands for the gateway's side of the link.
 */
class CaptureNetworkManagerIT {

    private static final String UPLINK = "wan0";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static NetworkManagerSandbox sandbox;

    private final List<EnactmentEvent> events = new ArrayList<>();
    private NetworkManagerBackend nm;
    private AppliedLedger ledger;
    private CommandProcessor processor;

    @BeforeAll
    static void startSandbox() throws Exception {
        sandbox = NetworkManagerSandbox.start(Path.of(System.getProperty("basedir", "."), "target", "nm-sandbox"), UPLINK + ":wan1");
    }

    @AfterAll
    static void stopSandbox() throws Exception {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @BeforeEach
    void connect() {
        nm = NetworkManagerBackend.connect(sandbox.busAddress());
        ledger = AppliedLedger.inMemory();
        processor = new CommandProcessor("nm-node", nm, new NodeApplier(nm, 5, Duration.ofSeconds(1), CommitGate.OPEN), ledger,
            new CommandProcessor.RetryPolicy(1, Duration.ofMillis(1), Duration.ofMillis(1)), events::add, Clock.systemUTC());
    }

    @AfterEach
    void disconnect() {
        nm.close();
    }

    /** The host before any policy: a static address on the uplink and the default route through it, set by NetworkManager. */
    private void hostWithDefaultRouteThroughTheUplink() {
        new NodeApplier(nm, 5, Duration.ofSeconds(1), CommitGate.OPEN).apply(ApplyContext.manual("sandbox"), NmstateParser.parse("""
            interfaces:
            - name: wan0
              type: ethernet
              state: up
              ipv4: {enabled: true, dhcp: false, address: [{ip: 192.0.2.10, prefix-length: 24}]}
            routes:
              config:
              - {destination: 0.0.0.0/0, next-hop-interface: wan0, next-hop-address: 192.0.2.1}
            """), SandboxRequests.fromOutside());
        assertThat(sandbox.ip("route", "show", "default")).contains("default via 192.0.2.1 dev wan0");
    }

    /** {@code command} without probes, for the reason {@link SandboxRequests#fromOutside()} gives. */
    private static DesiredStateCommand withoutProbes(DesiredStateCommand command) {
        return DesiredStateCommand.newBuilder(command)
            .setProbes(ProbeSettings.newBuilder().setDefaultGateway(false).setDns(false).build())
            .build();
    }

    @Test
    void aLinuxBridgeIsBuiltOnTheInterfaceThatHoldsTheDefaultGatewayAndTakesItsAddressAndRoutes() {
        hostWithDefaultRouteThroughTheUplink();
        DesiredStateCommand command = withoutProbes(CapturedCommands.of(CapturedCommands.BRIDGE_ON_DEFAULT_GW, "nm-node", 1,
            CommandKind.APPLY));

        processor.handle(command);

        assertThat(events).as("%s", events).extracting(EnactmentEvent::getPhase)
            .containsExactly(EnactmentPhase.PROGRESSING, EnactmentPhase.AVAILABLE);
        String resolved = ledger.get(command.getPolicy()).orElseThrow().resolvedState();
        assertThat(events).allSatisfy(e -> assertThat(e.getResolvedStateDigest()).isEqualTo(CanonicalForm.sha256Hex(resolved)));
        // what the NNCE shows as status.desiredState: the bridge with the uplink's address, as NetworkManager held it
        assertThat(events).allSatisfy(e -> assertThat(e.getResolvedState()).isEqualTo(resolved));
        assertThat(resolved).contains("\"name\":\"br1\"").contains("\"ip\":\"192.0.2.10\"");
        assertThat(sandbox.ip("link", "show", "master", "br1")).contains(UPLINK + "@wan1");
        assertThat(sandbox.ip("addr", "show", "dev", "br1")).contains("inet 192.0.2.10/24");
        assertThat(sandbox.ip("route", "show", "default")).contains("default via 192.0.2.1 dev br1").doesNotContain("dev wan0");
        NetworkState now = nm.currentState();
        assertThat(now.find("br1").orElseThrow().bridge().portNames()).containsExactly(UPLINK);
        assertThat(now.find(UPLINK).orElseThrow().controller()).isEqualTo("br1");
    }

    @Test
    void aCaptureThatMatchesNothingFailsWithItsExpressionAndLeavesTheHostAsItWas() throws Exception {
        // the same example for IPv6, on a host without an IPv6 default route
        DesiredStateCommand command = withoutProbes(CapturedCommands.of("br1-default-gw-v6", "nm-node", 1, CommandKind.APPLY, Map.of(
            "default-gw", "routes.running.destination==\"::/0\"",
            "base-iface", "interfaces.name==capture.default-gw.routes.running.0.next-hop-interface"), YAML.readTree("""
                interfaces:
                - name: br6
                  type: linux-bridge
                  state: up
                  ipv6: "{{ capture.base-iface.interfaces.0.ipv6 }}"
                  bridge:
                    port:
                    - name: "{{ capture.base-iface.interfaces.0.name }}"
                """)));
        NetworkState before = nm.currentState();
        String linksBefore = sandbox.ip("-br", "addr", "show");
        String routesBefore = sandbox.ip("route", "show");

        processor.handle(command);

        assertThat(events).extracting(EnactmentEvent::getPhase).containsExactly(EnactmentPhase.FAILING);
        assertThat(events.get(0).getReason()).isEqualTo("FailedToConfigure");
        assertThat(events.get(0).getMessage()).isEqualTo("Capture default-gw matched nothing: routes.running.destination==\"::/0\"");
        assertThat(nm.currentState()).isEqualTo(before);
        assertThat(nm.checkpoints()).isEmpty();
        assertThat(sandbox.ip("-br", "addr", "show")).isEqualTo(linksBefore).doesNotContain("br6");
        assertThat(sandbox.ip("route", "show")).isEqualTo(routesBefore);
    }
}
