package io.nmstream.executor.nm;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.nmstate.BridgeConfig;
import io.nmstream.nmstate.InterfaceSpec;
import io.nmstream.nmstate.InterfaceState;
import io.nmstream.nmstate.InterfaceType;
import io.nmstream.nmstate.IpAddress;
import io.nmstream.nmstate.IpConfig;
import io.nmstream.nmstate.LinuxBridgeOption;
import io.nmstream.nmstate.MacVlanConfig;
import io.nmstream.nmstate.NetworkState;
import io.nmstream.nmstate.MptcpAddressFlag;
import io.nmstream.nmstate.Route;
import io.nmstream.nmstate.RouteRule;
import io.nmstream.nmstate.VlanConfig;
import io.nmstream.nmstate.VrfConfig;
import io.nmstream.nmstate.VxlanConfig;
import io.nmstream.nmstate.WaitIp;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;
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
    void nameServersAreListedByTheirFamilysPriorityAsNetworkManagerOrdersThem() {
        NmSettings eth0 = new NmSettings().putString("connection", "uuid", "u-eth0").putString("ipv4", "method", "manual")
            .putString("ipv6", "method", "manual").putInt32("ipv4", "dns-priority", 50).putInt32("ipv6", "dns-priority", 40)
            .putUInt32s("ipv4", "dns", List.of(NmSettingsTranslator.ipv4AsUInt32("192.0.2.53")))
            .putByteArrays("ipv6", "dns", List.of(NmSettingsTranslator.addressBytes("2001:db8::53")));
        NmSettings eth1 = new NmSettings().putString("connection", "uuid", "u-eth1").putString("ipv4", "method", "manual")
            .putUInt32s("ipv4", "dns", List.of(NmSettingsTranslator.ipv4AsUInt32("198.51.100.53")));

        NetworkState state = NmStateReader.read(List.of(
            new DeviceSnapshot("eth0", 1, 100, true, 1500, "aa:bb:cc:dd:ee:01", List.of(), List.of(), List.of(), eth0, null),
            new DeviceSnapshot("eth1", 1, 100, true, 1500, "aa:bb:cc:dd:ee:02", List.of(), List.of(), List.of(), eth1, null)));

        assertThat(state.dns().servers()).as("priority 40, 50, then the default (100)")
            .containsExactly("2001:db8::53", "192.0.2.53", "198.51.100.53");
    }

    @Test
    void readsStaticAddressesRoutesDnsAndPortsFromActiveProfiles() {
        NmSettings eth0 = new NmSettings().putString("connection", "uuid", "u-eth0").putString("ipv4", "method", "manual")
            .putString("ipv6", "method", "disabled")
            .putUInt32s("ipv4", "dns", List.of(NmSettingsTranslator.ipv4AsUInt32("192.0.2.53")))
            .putStrings("ipv4", "dns-search", List.of("example.com")).putStrings("ipv4", "dns-options", List.of("rotate", "ndots:2"));
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
        assertThat(state.dns().options()).as("sorted, as nmstate reports them").containsExactly("ndots:2", "rotate");
        assertThat(state.find("br0").orElseThrow().bridge().portNames()).containsExactly("v0");
        assertThat(state.find("br0").orElseThrow().bridge().stpEnabled()).isFalse();
        InterfaceSpec v0 = state.find("v0").orElseThrow();
        assertThat(v0.type()).isEqualTo(InterfaceType.VETH);
        assertThat(v0.controller()).as("the controller's UUID is resolved to its name").isEqualTo("br0");
        assertThat(v0.vethPeer()).isEqualTo("v1");
    }

    @Test
    void readsVrfMacVlanVxlanAndOvsInterfacesBackFromTheirProfiles() {
        NmSettings vrf = new NmSettings().putString("connection", "uuid", "u-vrf").putUInt32("vrf", "table", 102);
        NmSettings vrfPort = new NmSettings().putString("connection", "uuid", "u-w0").putString("connection", "master", "u-vrf")
            .putString("connection", "slave-type", "vrf").putString("ipv4", "method", "manual").putString("ipv6", "method", "disabled");
        NmSettings mac = new NmSettings().putString("connection", "uuid", "u-mac").putString("macvlan", "parent", "w1")
            .putUInt32("macvlan", "mode", 2);
        NmSettings vxlan = new NmSettings().putString("connection", "uuid", "u-vx").putUInt32("vxlan", "id", 5)
            .putString("vxlan", "parent", "w1").putString("vxlan", "remote", "192.0.2.2").putUInt32("vxlan", "destination-port", 4789);
        NmSettings ovsBridge = new NmSettings().putString("connection", "uuid", "u-ovsbr").putBoolean("ovs-bridge", "stp-enable", true);
        NmSettings ovsPort = new NmSettings().putString("connection", "uuid", "u-ovsport").putString("connection", "master", "u-ovsbr")
            .putString("connection", "slave-type", "ovs-bridge");
        NmSettings ovsIface = new NmSettings().putString("connection", "uuid", "u-ovs0").putString("connection", "master", "u-ovsport")
            .putString("connection", "slave-type", "ovs-port").putString("ipv4", "method", "manual");
        NmSettings qinq = new NmSettings().putString("connection", "uuid", "u-v100").putString("vlan", "parent", "w1")
            .putUInt32("vlan", "id", 100).putString("vlan", "protocol", "802.1ad").putUInt32("vlan", "flags", 0x6);
        NmSettings vlan = new NmSettings().putString("connection", "uuid", "u-v5").putString("vlan", "parent", "w1")
            .putUInt32("vlan", "id", 5);
        NetworkState state = NmStateReader.read(List.of(
            device("v100", 11, qinq),
            device("v5", 11, vlan),
            device("vrf102", 31, vrf),
            new DeviceSnapshot("w0", 20, 100, true, 1500, "aa:bb:cc:dd:ee:00", List.of(new IpAddress("192.0.2.61", 24)), List.of(),
                List.of(), vrfPort, "w9"),
            device("mac0", 18, mac),
            device("vx0", 19, vxlan),
            device("ovsbr0", 26, ovsBridge),
            device("ovs0", 25, ovsPort),
            new DeviceSnapshot("ovs0", 24, 100, true, 1500, "aa:bb:cc:dd:ee:01", List.of(new IpAddress("192.0.2.9", 24)), List.of(),
                List.of(), ovsIface, null)));

        assertThat(state.interfaces()).extracting(InterfaceSpec::name).as("the ovs-port is no interface of the state")
            .containsExactly("v100", "v5", "vrf102", "w0", "mac0", "vx0", "ovsbr0", "ovs0");
        assertThat(state.find("v100").orElseThrow().vlan()).as("GVRP 0x2 and LOOSE_BINDING 0x4")
            .isEqualTo(new VlanConfig("w1", 100, "802.1ad", "gvrp", false, true));
        assertThat(state.find("v5").orElseThrow().vlan()).as("NetworkManager's defaults where the profile leaves them out")
            .isEqualTo(new VlanConfig("w1", 5, "802.1q", "none", true, false));
        assertThat(state.find("vrf102").orElseThrow().vrf()).isEqualTo(new VrfConfig(List.of("w0"), 102L));
        InterfaceSpec w0 = state.find("w0").orElseThrow();
        assertThat(w0.controller()).isEqualTo("vrf102");
        assertThat(w0.ipv4().addresses()).as("a VRF's port keeps its addresses").containsExactly(new IpAddress("192.0.2.61", 24));
        assertThat(state.find("mac0").orElseThrow().type()).isEqualTo(InterfaceType.MAC_VLAN);
        assertThat(state.find("mac0").orElseThrow().macVlan()).as("NetworkManager leaves promiscuous out at its default, on")
            .isEqualTo(new MacVlanConfig("w1", "bridge", true));
        assertThat(state.find("vx0").orElseThrow().vxlan()).isEqualTo(new VxlanConfig(5, "w1", "192.0.2.2", null, 4789, true));
        InterfaceSpec ovsbr0 = state.find("ovsbr0").orElseThrow();
        assertThat(ovsbr0.type()).isEqualTo(InterfaceType.OVS_BRIDGE);
        assertThat(ovsbr0.bridge().stpEnabled()).isTrue();
        assertThat(ovsbr0.bridge().portNames()).containsExactly("ovs0");
        InterfaceSpec ovs0 = state.find("ovs0").orElseThrow();
        assertThat(ovs0.type()).isEqualTo(InterfaceType.OVS_INTERFACE);
        assertThat(ovs0.controller()).as("through its ovs-port").isEqualTo("ovsbr0");
        assertThat(ovs0.ipv4().addresses()).containsExactly(new IpAddress("192.0.2.9", 24));
    }

    @Test
    void readsTheDhcpClientsIdentityHostNameRouteMetricAndAddressGenerationAsNmstateNamesThem() {
        NmSettings dhcp = new NmSettings().putString("connection", "uuid", "u-eth0").putString("ipv4", "method", "auto")
            .putInt64("ipv4", "route-metric", 150).putUInt32("ipv4", "route-table", 200).putString("ipv4", "dhcp-client-id", "duid")
            .putString("ipv6", "method", "auto")
            .putString("ipv6", "dhcp-duid", "llt").putInt32("ipv6", "addr-gen-mode", 0).putString("ipv4", "dhcp-fqdn", "web-7.example.org")
            .putBoolean("ipv6", "dhcp-send-hostname", false).putString("ipv6", "dhcp-hostname", "web-7")
            .putString("ipv6", "token", "::1234").putBoolean("ipv4", "may-fail", false)
            .putInt32("802-3-ethernet", "accept-all-mac-addresses", 1).putUInt32("connection", "mptcp-flags", 0x28);
        NmSettings fixed = new NmSettings().putString("connection", "uuid", "u-eth1").putString("ipv4", "method", "manual")
            .putInt64("ipv4", "route-metric", -1).putString("ipv6", "method", "manual");

        NetworkState state = NmStateReader.read(List.of(device("eth0", 1, dhcp), device("eth1", 1, fixed)));

        IpConfig eth0v4 = state.find("eth0").orElseThrow().ipv4();
        IpConfig eth0v6 = state.find("eth0").orElseThrow().ipv6();
        assertThat(eth0v4.autoRouteMetric()).isEqualTo(150L);
        assertThat(eth0v4.autoRouteTableId()).isEqualTo(200L);
        assertThat(eth0v4.dhcpClientId()).isEqualTo("iaid+duid");
        assertThat(eth0v6.dhcpDuid()).isEqualTo("llt");
        assertThat(eth0v6.addrGenMode()).isEqualTo("eui64");
        assertThat(eth0v4.dhcpSendHostname()).as("unset: NetworkManager's default, send one").isTrue();
        assertThat(eth0v4.dhcpCustomHostname()).isEqualTo("web-7.example.org");
        assertThat(eth0v6.dhcpSendHostname()).isFalse();
        assertThat(eth0v6.dhcpCustomHostname()).as("a name that is not sent is not reported, as nmstate reads it").isNull();
        assertThat(eth0v6.token()).isEqualTo("::1234");
        assertThat(state.find("eth0").orElseThrow().waitIp()).as("IPv4 may not fail, IPv6 may").isEqualTo(WaitIp.IPV4);
        assertThat(state.find("eth1").orElseThrow().waitIp()).as("may-fail left out: NetworkManager's default").isEqualTo(WaitIp.ANY);
        assertThat(state.find("eth0").orElseThrow().acceptAllMacAddresses()).isTrue();
        assertThat(NmStateReader.read(List.of(new DeviceSnapshot("eth2", 1, 100, true, 1500, "02:00:00:00:00:99", List.of(), List.of(),
            List.of(), fixed, null, "52:54:00:00:00:01"))).find("eth2").orElseThrow().permanentMacAddress())
            .isEqualTo("52:54:00:00:00:01");
        assertThat(state.find("eth1").orElseThrow().acceptAllMacAddresses()).as("left out: the kernel's, off").isFalse();
        assertThat(state.find("eth0").orElseThrow().mptcpAddressFlags()).containsExactly(MptcpAddressFlag.SUBFLOW);
        assertThat(state.find("eth1").orElseThrow().mptcpAddressFlags()).as("left out: NetworkManager's configuration").isNull();
        IpConfig eth1v4 = state.find("eth1").orElseThrow().ipv4();
        assertThat(eth1v4.autoRouteMetric()).as("DHCP's settings without DHCP are not reported").isNull();
        assertThat(eth1v4.dhcpSendHostname()).isNull();
        assertThat(state.find("eth1").orElseThrow().ipv6().addrGenMode()).as("unset: NetworkManager's default").isEqualTo("stable-privacy");
    }

    @Test
    void readsRouteRulesFromTheProfilesAsNmstateNamesThem() {
        NmSettings eth0 = new NmSettings().putString("connection", "uuid", "u-eth0").putString("ipv4", "method", "manual")
            .putRecords("ipv4", "routing-rules", List.of(
                Map.of("family", new Variant<>(2), "priority", new Variant<>(new UInt32(100)), "from", new Variant<>("198.51.100.0"),
                    "from-len", new Variant<>((byte) 24), "table", new Variant<>(new UInt32(200)), "fwmark", new Variant<>(new UInt32(0)),
                    "suppress-prefixlength", new Variant<>(-1)),
                Map.of("family", new Variant<>(2), "priority", new Variant<>(new UInt32(120)), "to", new Variant<>("10.66.0.0"),
                    "to-len", new Variant<>((byte) 16), "action", new Variant<>((byte) 7))))
            .putString("ipv6", "method", "manual").putRecords("ipv6", "routing-rules", List.of(Map.of("family", new Variant<>(10),
                "priority", new Variant<>(new UInt32(30000)), "from", new Variant<>("2001:db8:0:0::"), "from-len", new Variant<>((byte) 48),
                "table", new Variant<>(new UInt32(300)))));

        assertThat(NmStateReader.read(List.of(device("eth0", 1, eth0))).routeRules()).containsExactly(
            new RouteRule("ipv4", "198.51.100.0/24", null, 100L, 200L, null, null, null, null, null, false),
            new RouteRule("ipv4", null, "10.66.0.0/16", 120L, null, null, null, null, "unreachable", null, false),
            new RouteRule("ipv6", "2001:db8::/48", null, 30000L, 300L, null, null, null, null, null, false));
    }

    @Test
    void readsBridgeOptionsWithTheKernelDefaultsNetworkManagerLeavesOut() {
        NmSettings br = new NmSettings().putString("connection", "uuid", "u-br").putBoolean("bridge", "stp", false)
            .putUInt32("bridge", "forward-delay", 4).putBytes("bridge", "group-address", new byte[] {1, -128, -62, 0, 0, 14})
            .putUInt32("bridge", "multicast-hash-max", 1024).putUInt64("bridge", "multicast-query-interval", 6000)
            .putBoolean("bridge", "multicast-querier", true).putString("bridge", "multicast-router", "disabled");
        BridgeConfig.Options options = NmStateReader.read(List.of(device("br0", 13, br))).find("br0").orElseThrow().bridge().options();
        Map<LinuxBridgeOption, Object> more = new EnumMap<>(LinuxBridgeOption.class);
        for (LinuxBridgeOption option : LinuxBridgeOption.values()) {
            more.put(option, option.kernelDefault());
        }
        more.putAll(Map.of(LinuxBridgeOption.GROUP_ADDR, "01:80:C2:00:00:0E", LinuxBridgeOption.HASH_MAX, 1024L,
            LinuxBridgeOption.MULTICAST_QUERY_INTERVAL, 6000L, LinuxBridgeOption.MULTICAST_QUERIER, true,
            LinuxBridgeOption.MULTICAST_ROUTER, "disabled"));
        assertThat(options).isEqualTo(new BridgeConfig.Options(false, 4, 2, 20, 32768, 300, true, more));
    }

    private static DeviceSnapshot device(String name, long type, NmSettings profile) {
        return new DeviceSnapshot(name, type, 100, true, 1500, "aa:bb:cc:dd:ee:0" + name.length(), List.of(), List.of(), List.of(),
            profile, null);
    }
}
