package io.nmstream.executor.nm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.nmstream.nmstate.InterfaceSpec;
import io.nmstream.nmstate.InterfaceState;
import io.nmstream.nmstate.InterfaceType;
import io.nmstream.nmstate.InvalidStateException;
import io.nmstream.nmstate.IpConfig;
import io.nmstream.nmstate.NetworkState;
import io.nmstream.nmstate.NmstateParser;
import io.nmstream.nmstate.NmstateWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;
import org.junit.jupiter.api.Test;

class ProfilePlannerTest {

    private static final NetworkState HOST = new NetworkState(List.of(
        ethernet("ens8f0np0"), ethernet("ens8f1np1"), ethernet("eth0")), List.of(), List.of(), null);

    private static InterfaceSpec ethernet(String name) {
        return InterfaceSpec.builder(name).type(InterfaceType.ETHERNET).state(InterfaceState.DOWN).mtu(1500).ipv4(IpConfig.disabled())
            .ipv6(IpConfig.disabled()).lldp(false).build();
    }

    private static List<ProfileChange> plan(String yaml, Map<String, ExistingProfile> profiles) {
        return ProfilePlanner.plan(NmstateParser.parse(yaml), HOST, profiles);
    }

    private static Map<String, ProfileChange> byInterface(List<ProfileChange> plan) {
        return plan.stream().collect(Collectors.toMap(ProfileChange::iface, c -> c, (a, b) -> a, LinkedHashMap::new));
    }

    @Test
    void bondBecomesABondProfileWithItsModeAndOptionsAndPortsPointingAtIt() {
        List<ProfileChange> plan = plan("""
            interfaces:
            - name: bond0
              type: bond
              state: up
              mtu: 9000
              link-aggregation: {mode: 802.3ad, options: {miimon: "100", lacp_rate: fast}, port: [ens8f0np0, ens8f1np1]}
              ipv4: {enabled: true, dhcp: false, address: [{ip: 10.10.1.50, prefix-length: 24}]}
            """, Map.of());
        Map<String, ProfileChange> changes = byInterface(plan);
        NmSettings bond = changes.get("bond0").settings();
        assertThat(bond.string("connection", "type")).isEqualTo("bond");
        assertThat(bond.string("connection", "interface-name")).isEqualTo("bond0");
        assertThat(bondOptions(bond)).containsEntry("mode", "802.3ad").containsEntry("miimon", "100")
            .containsEntry("lacp_rate", "fast");
        assertThat(bond.value("802-3-ethernet", "mtu")).isEqualTo(new UInt32(9000));
        assertThat(bond.string("ipv4", "method")).isEqualTo("manual");
        assertThat(bond.records("ipv4", "address-data")).containsExactly(Map.of("address", "10.10.1.50", "prefix", new UInt32(24)));
        for (String port : List.of("ens8f0np0", "ens8f1np1")) {
            NmSettings p = changes.get(port).settings();
            assertThat(p.string("connection", "master")).isEqualTo("bond0");
            assertThat(p.string("connection", "slave-type")).isEqualTo("bond");
            assertThat(p.has("ipv4")).isFalse();
            assertThat(p.has("ipv6")).isFalse();
        }
        assertThat(plan.get(0).iface()).as("the controller is activated before its ports").isEqualTo("bond0");
    }

    @Test
    void vlanNamesItsBaseInterfaceAndIdAndComesUpAfterTheBase() {
        List<ProfileChange> plan = plan("""
            interfaces:
            - name: ens8f0np0.100
              type: vlan
              vlan: {base-iface: ens8f0np0, id: 100}
              ipv4: {enabled: true, address: [{ip: 192.168.100.50, prefix-length: 24}]}
            - name: ens8f0np0
              type: ethernet
              mtu: 9000
            """, Map.of());
        NmSettings vlan = byInterface(plan).get("ens8f0np0.100").settings();
        assertThat(vlan.string("connection", "type")).isEqualTo("vlan");
        assertThat(vlan.string("vlan", "parent")).isEqualTo("ens8f0np0");
        assertThat(vlan.value("vlan", "id")).isEqualTo(new UInt32(100));
        assertThat(vlan.string("ipv6", "method")).as("a family the document leaves out is off on a new profile").isEqualTo("disabled");
        assertThat(plan.stream().map(ProfileChange::iface)).containsExactly("ens8f0np0", "ens8f0np0.100");
    }

    @Test
    void bridgeGetsBridgePortSettingsOnItsPortsAndStpOffUnlessAsked() {
        List<ProfileChange> plan = plan("""
            interfaces:
            - name: br0
              type: linux-bridge
              bridge: {port: [{name: ens8f0np0}, {name: ens8f1np1}]}
            """, Map.of());
        Map<String, ProfileChange> changes = byInterface(plan);
        assertThat(changes.get("br0").settings().string("connection", "type")).isEqualTo("bridge");
        assertThat(changes.get("br0").settings().value("bridge", "stp")).isEqualTo(false);
        assertThat(changes.get("ens8f0np0").settings().has("bridge-port")).isTrue();
        assertThat(changes.get("ens8f1np1").settings().string("connection", "slave-type")).isEqualTo("bridge");
    }

    @Test
    void routesAreAddedToTheProfileOfTheirInterfaceAndAbsentOnesRemoved() {
        ExistingProfile eth0 = existing("eth0", "manual");
        eth0.settings().putRecords("ipv4", "route-data", List.of(
            Map.of("dest", new Variant<>("10.9.0.0"), "prefix", new Variant<>(
                new UInt32(16)), "next-hop", new Variant<>("10.0.0.254"))));
        List<ProfileChange> plan = plan("""
            routes:
              config:
              - destination: 10.9.0.0/16
                state: absent
              - destination: 198.51.100.0/24
                next-hop-interface: eth0
                next-hop-address: 10.0.0.1
                metric: 150
              - destination: 2001:db8:1::/48
                next-hop-interface: eth0
                next-hop-address: 2001:db8::1
            """, Map.of("eth0", eth0));
        ProfileChange change = byInterface(plan).get("eth0");
        assertThat(change.action()).isEqualTo(ProfileChange.Action.UPDATE);
        assertThat(change.settings().records("ipv4", "route-data")).containsExactly(
            Map.of("dest", "198.51.100.0", "prefix", new UInt32(24), "next-hop", "10.0.0.1", "metric", new UInt32(150)));
        assertThat(change.settings().records("ipv6", "route-data")).containsExactly(
            Map.of("dest", "2001:db8:1::", "prefix", new UInt32(48), "next-hop", "2001:db8::1"));
    }

    @Test
    void dnsServersGoToTheInterfaceWithAStaticAddressOfTheirFamily() {
        List<ProfileChange> plan = plan("""
            dns-resolver:
              config:
                server: [192.0.2.53, "2001:db8::53"]
                search: [example.com]
            interfaces:
            - name: eth0
              ipv4: {enabled: true, address: [{ip: 192.0.2.10, prefix-length: 24}]}
              ipv6: {enabled: true, address: [{ip: "2001:db8::10", prefix-length: 64}]}
            """, Map.of());
        NmSettings eth0 = byInterface(plan).get("eth0").settings();
        long expected = 192 | 0L << 8 | 2L << 16 | 53L << 24;
        assertThat(eth0.value("ipv4", "dns")).isEqualTo(List.of(new UInt32(expected)));
        assertThat(eth0.signature("ipv6", "dns")).isEqualTo("aay");
        assertThat((List<?>) eth0.value("ipv6", "dns")).hasSize(1);
        assertThat(eth0.value("ipv4", "dns-search")).isEqualTo(List.of("example.com"));
    }

    @Test
    void dnsServerWithoutAnInterfaceToHoldItIsRejectedNamingTheServer() {
        assertThatThrownBy(() -> plan("dns-resolver: {config: {server: [192.0.2.53]}}", Map.of()))
            .isInstanceOf(InvalidStateException.class)
            .hasMessageContaining("192.0.2.53").hasMessageContaining("static IPv4");
    }

    @Test
    void dcbBlockBecomesNetworkManagersDcbSettingWithPerGroupShares() {
        List<ProfileChange> plan = plan("""
            interfaces:
            - name: ens8f0np0
              ieee-802-1qaz:
                pfc: [false, false, false, true, false, false, false, false]
                ets:
                  priority-group: [0, 0, 0, 1, 1, 1, 1, 1]
                  group-bandwidth: [40, 60, 0, 0, 0, 0, 0, 0]
            """, Map.of());
        NmSettings s = byInterface(plan).get("ens8f0np0").settings();
        assertThat(s.value("dcb", "priority-flow-control-flags")).isEqualTo(new UInt32(1));
        assertThat(NmStateReader.longs(s.value("dcb", "priority-flow-control"))).containsExactly(0L, 0L, 0L, 1L, 0L, 0L, 0L, 0L);
        assertThat(NmStateReader.longs(s.value("dcb", "priority-group-id"))).containsExactly(0L, 0L, 0L, 1L, 1L, 1L, 1L, 1L);
        assertThat(NmStateReader.longs(s.value("dcb", "priority-group-bandwidth"))).containsExactly(40L, 60L, 0L, 0L, 0L, 0L, 0L, 0L);
        assertThat(NmStateReader.longs(s.value("dcb", "priority-bandwidth"))).containsExactly(34L, 33L, 33L, 20L, 20L, 20L, 20L, 20L);
    }

    @Test
    void existingProfileIsUpdatedInPlaceKeepingItsUuidAndEveryPropertyNotMentioned() {
        ExistingProfile eth0 = existing("eth0", "manual");
        eth0.settings().putString("ipv4", "dhcp-hostname", "kept").putString("connection", "zone", "trusted");
        List<ProfileChange> plan = plan("interfaces: [{name: eth0, mtu: 9000}]", Map.of("eth0", eth0));
        assertThat(plan).hasSize(1);
        ProfileChange change = plan.get(0);
        assertThat(change.action()).isEqualTo(ProfileChange.Action.UPDATE);
        assertThat(change.settings().string("connection", "uuid")).isEqualTo(eth0.uuid());
        assertThat(change.settings().value("802-3-ethernet", "mtu")).isEqualTo(new UInt32(9000));
        assertThat(change.settings().string("ipv4", "method")).isEqualTo("manual");
        assertThat(change.settings().string("ipv4", "dhcp-hostname")).isEqualTo("kept");
        assertThat(change.settings().string("connection", "zone")).isEqualTo("trusted");
    }

    @Test
    void lldpMacAndDynamicAddressingBecomeTheirNetworkManagerProperties() {
        List<ProfileChange> plan = plan("""
            interfaces:
            - name: ens8f1np1
              mac-address: 02:00:00:aa:bb:cc
              lldp: {enabled: true}
              ipv4: {enabled: true, dhcp: true, auto-dns: false}
              ipv6: {enabled: true, autoconf: true, auto-gateway: false}
            """, Map.of());
        NmSettings s = plan.get(0).settings();
        assertThat(s.value("connection", "lldp")).as("enable-rx").isEqualTo(1);
        assertThat(s.string("802-3-ethernet", "cloned-mac-address")).isEqualTo("02:00:00:AA:BB:CC");
        assertThat(s.string("ipv4", "method")).isEqualTo("auto");
        assertThat(s.value("ipv4", "ignore-auto-dns")).isEqualTo(true);
        assertThat(s.string("ipv6", "method")).isEqualTo("auto");
        assertThat(s.value("ipv6", "never-default")).isEqualTo(true);
    }

    @Test
    void absentDeletesTheProfileAndDownDeactivatesIt() {
        List<ProfileChange> plan = plan("interfaces: [{name: eth0, state: absent}, {name: ens8f0np0, state: down}]",
            Map.of("eth0", existing("eth0", "manual"), "ens8f0np0", existing("ens8f0np0", "auto")));
        assertThat(plan).extracting(ProfileChange::iface, ProfileChange::action).containsExactly(
            tuple("eth0", ProfileChange.Action.DELETE),
            tuple("ens8f0np0", ProfileChange.Action.DEACTIVATE));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> bondOptions(NmSettings s) {
        return (Map<String, String>) s.value("bond", "options");
    }

    private static ExistingProfile existing(String iface, String method) {
        NmSettings s = new NmSettings();
        s.putString("connection", "id", iface).putString("connection", "uuid", "3b1c0f64-0000-4000-8000-" + "00000000000" + iface.length())
            .putString("connection", "type", "802-3-ethernet").putString("connection", "interface-name", iface)
            .putString("ipv4", "method", method).putString("ipv6", "method", "disabled");
        return new ExistingProfile("/org/freedesktop/NetworkManager/Settings/1", s, true);
    }
}
