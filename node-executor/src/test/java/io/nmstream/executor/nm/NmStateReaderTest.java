package io.nmstream.executor.nm;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.nmstate.InterfaceSpec;
import io.nmstream.nmstate.InterfaceState;
import io.nmstream.nmstate.InterfaceType;
import io.nmstream.nmstate.IpAddress;
import io.nmstream.nmstate.NetworkState;
import io.nmstream.nmstate.Route;
import java.util.List;
import org.junit.jupiter.api.Test;

class NmStateReaderTest {

    private static DeviceSnapshot device(String name, long type, long state, boolean managed, NmSettings profile) {
        return new DeviceSnapshot(name, type, state, managed, 1500, "aa:bb:cc:dd:ee:0" + name.length(), List.of(), List.of(), List.of(),
            profile, null);
    }

    @Test
    void leavesOutLoopbackAndDevicesNetworkManagerDoesNotManage() {
        NetworkState state = NmStateReader.read(List.of(
            device("lo", 32, 100, true, null),
            device("veth9f3a2b", 20, 10, false, null),
            device("cni0", 13, 10, true, null),
            device("eth0", 1, 30, true, null)));
        assertThat(state.interfaces()).extracting(InterfaceSpec::name).containsExactly("eth0");
        InterfaceSpec eth0 = state.interfaces().get(0);
        assertThat(eth0.effectiveState()).isEqualTo(InterfaceState.DOWN);
        assertThat(eth0.ipv4().isEnabled()).as("no active profile: no IP").isFalse();
        assertThat(eth0.macAddress()).isEqualTo("AA:BB:CC:DD:EE:04");
    }

    @Test
    void readsStaticAddressesRoutesDnsAndPortsFromActiveProfiles() {
        NmSettings eth0 = new NmSettings().putString("connection", "uuid", "u-eth0").putString("ipv4", "method", "manual")
            .putString("ipv6", "method", "disabled")
            .putUInt32s("ipv4", "dns", List.of(NmSettingsTranslator.ipv4AsUInt32("192.0.2.53")))
            .putStrings("ipv4", "dns-search", List.of("example.com"));
        NmSettings br0 = new NmSettings().putString("connection", "uuid", "u-br0").putString("ipv4", "method", "disabled")
            .putBoolean("bridge", "stp", false);
        NmSettings port = new NmSettings().putString("connection", "uuid", "u-p").putString("connection", "master", "u-br0")
            .putString("connection", "slave-type", "bridge");
        NetworkState state = NmStateReader.read(List.of(
            new DeviceSnapshot("eth0", 1, 100, true, 9000, "aa:bb:cc:dd:ee:01", List.of(new IpAddress("192.0.2.10", 24)),
                List.of(new IpAddress("fe80::1", 64)), List.of(Route.via("0.0.0.0/0", "eth0", "192.0.2.1")), eth0, null),
            new DeviceSnapshot("br0", 13, 100, true, 1500, "aa:bb:cc:dd:ee:02", List.of(), List.of(), List.of(), br0, null),
            new DeviceSnapshot("v0", 20, 100, true, 1500, "aa:bb:cc:dd:ee:03", List.of(), List.of(), List.of(), port, "v1")));
        InterfaceSpec e = state.find("eth0").orElseThrow();
        assertThat(e.mtu()).isEqualTo(9000);
        assertThat(e.ipv4().addresses()).containsExactly(new IpAddress("192.0.2.10", 24));
        assertThat(e.ipv6().isEnabled()).isFalse();
        assertThat(state.runningRoutes()).containsExactly(Route.via("0.0.0.0/0", "eth0", "192.0.2.1"));
        assertThat(state.dns().servers()).containsExactly("192.0.2.53");
        assertThat(state.dns().searches()).containsExactly("example.com");
        assertThat(state.find("br0").orElseThrow().bridge().portNames()).containsExactly("v0");
        assertThat(state.find("br0").orElseThrow().bridge().stpEnabled()).isFalse();
        InterfaceSpec v0 = state.find("v0").orElseThrow();
        assertThat(v0.type()).isEqualTo(InterfaceType.VETH);
        assertThat(v0.controller()).as("the controller's UUID is resolved to its name").isEqualTo("br0");
        assertThat(v0.vethPeer()).isEqualTo("v1");
    }
}
