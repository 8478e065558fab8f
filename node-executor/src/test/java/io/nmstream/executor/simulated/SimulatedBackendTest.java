package io.nmstream.executor.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nmstream.executor.backend.ApplyOptions;
import io.nmstream.executor.apply.ApplyContext;
import io.nmstream.executor.apply.ApplyException;
import io.nmstream.executor.apply.ApplyRequest;
import io.nmstream.executor.apply.CommitGate;
import io.nmstream.executor.apply.NodeApplier;
import io.nmstream.executor.backend.Checkpoint;
import io.nmstream.nmstate.BridgeConfig;
import io.nmstream.nmstate.EthernetConfig;
import io.nmstream.nmstate.Ieee8021QazConfig;
import io.nmstream.nmstate.Ieee8021QazConfig.TrafficClass;
import io.nmstream.nmstate.InterfaceSpec;
import io.nmstream.nmstate.InterfaceType;
import io.nmstream.nmstate.IpAddress;
import io.nmstream.nmstate.IpConfig;
import io.nmstream.nmstate.MacVlanConfig;
import io.nmstream.nmstate.NetworkState;
import io.nmstream.nmstate.NmstateParser;
import io.nmstream.nmstate.VrfConfig;
import io.nmstream.nmstate.VxlanConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatedBackendTest {

    @Test
    void hostsOfAHundredThousandNodeFleetHaveDistinctAddressesAndMacs() {
        List<NetworkState> hosts = IntStream.of(1, 249, 250, 63_999, 64_000, 65_536, 100_000).mapToObj(SimulatedBackend::typicalHost)
            .toList();

        assertThat(hosts.stream().map(h -> eth0(h).ipv4().addresses().get(0).ip())).doesNotHaveDuplicates();
        assertThat(hosts.stream().flatMap(h -> h.interfaces().stream().map(InterfaceSpec::macAddress))).doesNotHaveDuplicates();
        assertThat(eth0(SimulatedBackend.typicalHost(100_000)).ipv4().addresses().get(0).ip()).isEqualTo("10.1.144.2");
        assertThat(SimulatedBackend.typicalHost(100_000).routes().get(0).nextHopAddress()).isEqualTo("10.1.0.1");
    }

    @Test
    void theFirstHostsKeepTheirManagementNetwork() {
        NetworkState host = SimulatedBackend.typicalHost(7);
        assertThat(eth0(host).ipv4().addresses().get(0).ip()).isEqualTo("10.0.0.9");
        assertThat(eth0(host).macAddress()).isEqualTo("52:54:00:00:07:00");
        assertThat(host.routes().get(0).nextHopAddress()).isEqualTo("10.0.0.1");
    }

    @Test
    void anIndexBeyondTheAddressPlanIsRefused() {
        assertThatThrownBy(() -> SimulatedBackend.typicalHost(16_384_000)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("16384000");
    }

    @Test
    void aKeptHostComesBackWithWhatItCommittedAndWithoutWhatItNeverCommitted(@TempDir Path dir) {
        Path file = dir.resolve("host-state.json");
        SimulatedBackend host = SimulatedBackend.keptIn(file, SimulatedBackend.typicalHost(3), Duration.ZERO, FailureRules.none());
        Checkpoint committed = host.createCheckpoint(Duration.ofMinutes(1));
        host.apply(mtu(9000), ApplyOptions.defaults());
        host.commit(committed);
        host.createCheckpoint(Duration.ofMinutes(1));
        host.apply(mtu(4000), ApplyOptions.defaults());
        host.close();

        SimulatedBackend restarted = SimulatedBackend.keptIn(file, SimulatedBackend.typicalHost(3), Duration.ZERO, FailureRules.none());

        assertThat(restarted.currentState().find("ens8f0np0").orElseThrow().mtu()).isEqualTo(9000);
        assertThat(restarted.checkpoints()).isEmpty();
        assertThat(eth0(restarted.currentState())).isEqualTo(eth0(SimulatedBackend.typicalHost(3)));
    }

    @Test
    void aKeptStateThatBreaksARuleOfDesiredStatesIsKeptAsItIs(@TempDir Path dir) throws Exception {
        // what a version that did not check a port against its controller on the host kept after dhcp.yaml followed
        // linux-bridge.yaml: eth1 a port of br1 and asking for DHCP
        Path file = dir.resolve("host-state.json");
        Files.writeString(file, """
            {"interfaces": [
              {"name": "br1", "type": "linux-bridge", "state": "up", "bridge": {"port": [{"name": "eth1"}]},
               "ipv4": {"enabled": true, "dhcp": true}},
              {"name": "eth1", "type": "ethernet", "state": "up", "controller": "br1", "ipv4": {"enabled": true, "dhcp": true}}]}
            """);

        NetworkState kept = SimulatedBackend.keptIn(file, SimulatedBackend.typicalHost(3), Duration.ZERO, FailureRules.none())
            .currentState();

        InterfaceSpec eth1 = kept.find("eth1").orElseThrow();
        assertThat(eth1.controller()).isEqualTo("br1");
        assertThat(eth1.ipv4().dhcp()).isTrue();
        assertThat(kept.find("br1").orElseThrow().bridge().portNames()).containsExactly("eth1");
        assertThat(kept.find("eth0")).as("not the initial state").isEmpty();
    }

    @Test
    void aKeptFileThatIsNoStateIsSetAsideAndTheHostStartsAnew(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("host-state.json");
        Files.writeString(file, "{\"interfaces\": [{\"name\": \"eth0\"");

        SimulatedBackend host = SimulatedBackend.keptIn(file, SimulatedBackend.typicalHost(3), Duration.ZERO, FailureRules.none());

        assertThat(host.currentState()).isEqualTo(SimulatedBackend.typicalHost(3));
        assertThat(dir.resolve("host-state.json.unreadable")).hasContent("{\"interfaces\": [{\"name\": \"eth0\"");
        assertThat(file).doesNotExist();
    }

    private static NetworkState mtu(int mtu) {
        return NmstateParser.parse("{\"interfaces\":[{\"name\":\"ens8f0np0\",\"type\":\"ethernet\",\"state\":\"up\",\"mtu\":" + mtu
            + "}]}");
    }

    @Test
    void everyInterfaceTypeAndBlockIsAppliedVerifiedAndKeptInTheHostsState() {
        SimulatedBackend host = new SimulatedBackend(SimulatedBackend.typicalHost(3), Duration.ZERO, FailureRules.none());
        BridgeConfig.PortVlan trunk = new BridgeConfig.PortVlan("trunk", 100, true, List.of(new BridgeConfig.TrunkTag(null, 200, 210)));
        Ieee8021QazConfig dcb = new Ieee8021QazConfig(List.of(3), 0, List.of(new TrafficClass(0, 70, Ieee8021QazConfig.ETS),
            new TrafficClass(3, 30, Ieee8021QazConfig.ETS)));
        EthernetConfig sriov = new EthernetConfig(null, null, null, new EthernetConfig.Sriov(2, List.of(), null));
        NetworkState desired = new NetworkState(List.of(
            InterfaceSpec.builder("ens8f0np0").type(InterfaceType.ETHERNET).lldp(true).dcb(dcb).ethernet(sriov).build(),
            InterfaceSpec.builder("br1").type(InterfaceType.LINUX_BRIDGE).bridge(new BridgeConfig(new BridgeConfig.Options(false, 10,
                null, null, null, null, true), List.of(new BridgeConfig.Port("ens8f1np1", trunk)))).build(),
            InterfaceSpec.builder("vrf9").type(InterfaceType.VRF).vrf(new VrfConfig(List.of("veth1"), 9L)).build(),
            InterfaceSpec.builder("veth1").type(InterfaceType.VETH).vethPeer("veth1-peer").ipv4(address("192.0.2.1")).build(),
            InterfaceSpec.builder("mac0").type(InterfaceType.MAC_VLAN).macVlan(new MacVlanConfig("eth0", "bridge", true)).build(),
            InterfaceSpec.builder("vxlan7").type(InterfaceType.VXLAN).vxlan(new VxlanConfig(7, "eth0", "192.0.2.2", null, 4789, true))
                .build(),
            InterfaceSpec.builder("dummy0").type(InterfaceType.DUMMY).build(),
            InterfaceSpec.builder("ovs0").type(InterfaceType.OVS_INTERFACE).ipv4(address("192.0.2.9")).build(),
            InterfaceSpec.builder("ovsbr0").type(InterfaceType.OVS_BRIDGE).bridge(BridgeConfig.of(false, List.of("ovs0"))).build()),
            List.of(), List.of(), null);

        new NodeApplier(host, 1, Duration.ofMillis(1), CommitGate.OPEN).apply(ApplyContext.manual("sim"), desired, ApplyRequest.defaults());

        NetworkState now = host.currentState();
        assertThat(now.find("ens8f0np0").orElseThrow().dcb()).isEqualTo(dcb);
        assertThat(now.find("ens8f0np0").orElseThrow().ethernet()).isEqualTo(sriov);
        assertThat(now.find("ens8f1np1").orElseThrow().controller()).isEqualTo("br1");
        assertThat(now.find("br1").orElseThrow().bridge().ports().get(0).vlan()).isEqualTo(trunk);
        assertThat(now.find("veth1").orElseThrow().controller()).isEqualTo("vrf9");
        assertThat(now.find("veth1").orElseThrow().ipv4().addresses()).as("a VRF's port keeps its address")
            .containsExactly(new IpAddress("192.0.2.1", 24));
        assertThat(now.find("veth1-peer").orElseThrow().vethPeer()).as("the peer is created with the veth").isEqualTo("veth1");
        assertThat(now.find("mac0").orElseThrow().macVlan().baseIface()).isEqualTo("eth0");
        assertThat(now.find("vxlan7").orElseThrow().vxlan().id()).isEqualTo(7);
        assertThat(now.find("dummy0")).isPresent();
        assertThat(now.find("ovs0").orElseThrow().controller()).isEqualTo("ovsbr0");
        assertThat(now.find("ovs0").orElseThrow().ipv4().addresses()).as("an OVS internal interface keeps its address")
            .containsExactly(new IpAddress("192.0.2.9", 24));
        assertThat(host.checkpoints()).isEmpty();
    }

    @Test
    void whatNetworkManagerCannotExpressIsRefusedAsANetworkManagerHostRefusesItAndTheHostIsUnchanged() {
        SimulatedBackend host = new SimulatedBackend(SimulatedBackend.typicalHost(4), Duration.ZERO, FailureRules.none());
        NetworkState before = host.currentState();
        NetworkState desired = new NetworkState(List.of(InterfaceSpec.builder("ens8f0np0")
            .dcb(new Ieee8021QazConfig(List.of(3), 500, null)).build()), List.of(), List.of(), null);

        assertThatThrownBy(() -> new NodeApplier(host, 1, Duration.ofMillis(1), CommitGate.OPEN)
            .apply(ApplyContext.manual("sim"), desired, ApplyRequest.defaults()))
            .isInstanceOfSatisfying(ApplyException.class, e -> {
                assertThat(e.userMessage()).contains("Interface ens8f0np0: ieee-8021Qaz.pfc.delay 500 is not allowed");
                assertThat(e.retriable()).isFalse();
            });
        assertThat(host.currentState()).isEqualTo(before);
        assertThat(host.checkpoints()).isEmpty();
    }

    private static IpConfig address(String ip) {
        return IpConfig.staticAddresses(false, List.of(new IpAddress(ip, 24)));
    }

    private static InterfaceSpec eth0(NetworkState host) {
        return host.find("eth0").orElseThrow();
    }
}
