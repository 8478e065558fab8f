package io.nmstream.executor.nm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.nmstream.nmstate.BridgeConfig;
import io.nmstream.nmstate.EthernetConfig;
import io.nmstream.nmstate.Ieee8021QazConfig;
import io.nmstream.nmstate.Ieee8021QazConfig.TrafficClass;
import io.nmstream.nmstate.InterfaceSpec;
import io.nmstream.nmstate.InterfaceState;
import io.nmstream.nmstate.InterfaceType;
import io.nmstream.nmstate.InvalidStateException;
import io.nmstream.nmstate.IpAddress;
import io.nmstream.nmstate.IpConfig;
import io.nmstream.nmstate.MacVlanConfig;
import io.nmstream.nmstate.NetworkState;
import io.nmstream.nmstate.NmstateParser;
import io.nmstream.nmstate.VrfConfig;
import io.nmstream.nmstate.VxlanConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.freedesktop.dbus.types.UInt16;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.UInt64;
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
    void vlanOptionsBecomeItsProtocolAndTheBitsOfItsFlagsAsNmstateWritesThem() {
        NmSettings qinq = byInterface(plan("interfaces: [{name: v100, type: vlan, vlan: {base-iface: ens8f0np0, id: 100, protocol: "
            + "802.1ad, registration-protocol: mvrp, reorder-headers: false, loose-binding: true}}]", Map.of())).get("v100").settings();
        NmSettings plain = byInterface(plan("interfaces: [{name: v101, type: vlan, vlan: {base-iface: ens8f0np0, id: 101, protocol: "
            + "802.1q, registration-protocol: none}}]", Map.of())).get("v101").settings();

        assertThat(qinq.string("vlan", "protocol")).isEqualTo("802.1ad");
        assertThat(qinq.value("vlan", "flags")).as("MVRP 0x8 and LOOSE_BINDING 0x4, without REORDER_HEADERS 0x1")
            .isEqualTo(new UInt32(0xC));
        assertThat(plain.string("vlan", "protocol")).as("802.1Q is NetworkManager's default, left out as nmstate leaves it").isNull();
        assertThat(plain.value("vlan", "flags")).as("a new VLAN's default, REORDER_HEADERS").isEqualTo(new UInt32(0x1));
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
        eth0.settings().putString("ipv6", "method", "auto");
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
    void aNewDefaultRouteListedBeforeTheAbsentOneStaysAsNmstateKeepsIt() {
        ExistingProfile eth0 = existing("eth0", "manual");
        eth0.settings().putRecords("ipv4", "route-data", List.of(
            Map.of("dest", new Variant<>("0.0.0.0"), "prefix", new Variant<>(new UInt32(0)), "next-hop", new Variant<>("10.0.0.1"))));
        List<ProfileChange> plan = plan("""
            routes:
              config:
              - {destination: 0.0.0.0/0, next-hop-interface: eth0, next-hop-address: 10.0.0.254}
              - {destination: 0.0.0.0/0, state: absent}
            """, Map.of("eth0", eth0));

        assertThat(byInterface(plan).get("eth0").settings().records("ipv4", "route-data")).containsExactly(
            Map.of("dest", "0.0.0.0", "prefix", new UInt32(0), "next-hop", "10.0.0.254"));
    }

    @Test
    void aFamilyTurnedOffTakesItsRoutesWithIt() {
        ExistingProfile eth0 = existing("eth0", "manual");
        eth0.settings().putString("ipv6", "method", "auto");
        eth0.settings().putRecords("ipv4", "route-data", List.of(Map.of("dest", new Variant<>("10.9.0.0"), "prefix",
            new Variant<>(new UInt32(16)), "next-hop", new Variant<>("10.0.0.254"))));
        eth0.settings().putRecords("ipv6", "route-data", List.of(Map.of("dest", new Variant<>("2001:db8:1::"), "prefix",
            new Variant<>(new UInt32(48)), "next-hop", new Variant<>("2001:db8::1"))));

        NmSettings settings = byInterface(plan("""
            interfaces:
            - name: eth0
              ipv4: {enabled: false}
            """, Map.of("eth0", eth0))).get("eth0").settings();

        assertThat(settings.string("ipv4", "method")).isEqualTo("disabled");
        assertThat(settings.records("ipv4", "route-data")).isEmpty();
        assertThat(settings.records("ipv6", "route-data")).containsExactly(
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
        assertThat(eth0.value("ipv4", "dns-priority")).as("the first server's family first").isEqualTo(40);
        assertThat(eth0.value("ipv6", "dns-priority")).isEqualTo(50);
    }

    @Test
    void anIpv6NameServerListedFirstGetsItsFamilyTheLowerPriorityAndTheSearchDomains() {
        List<ProfileChange> plan = plan("""
            dns-resolver:
              config:
                server: ["2001:db8::53", 192.0.2.53]
                search: [example.com]
            interfaces:
            - name: eth0
              ipv4: {enabled: true, address: [{ip: 192.0.2.10, prefix-length: 24}]}
            - name: ens8f0np0
              ipv6: {enabled: true, address: [{ip: "2001:db8::10", prefix-length: 64}]}
            """, Map.of());
        NmSettings eth0 = byInterface(plan).get("eth0").settings();
        NmSettings nic = byInterface(plan).get("ens8f0np0").settings();
        assertThat(nic.value("ipv6", "dns-priority")).isEqualTo(40);
        assertThat(eth0.value("ipv4", "dns-priority")).isEqualTo(50);
        assertThat(nic.value("ipv6", "dns-search")).isEqualTo(List.of("example.com"));
        assertThat(eth0.value("ipv4", "dns-search")).isEqualTo(List.of());
    }

    @Test
    void dhcpIdentityRouteMetricAndAddressGenerationBecomeNetworkManagersSettings() {
        NmSettings eth0 = byInterface(plan("""
            interfaces:
            - name: eth0
              ipv4: {enabled: true, dhcp: true, auto-route-metric: 150, auto-route-table-id: 200, dhcp-client-id: iaid+duid}
              ipv6: {enabled: true, dhcp: true, autoconf: true, dhcp-duid: llt, addr-gen-mode: eui64}
            """, Map.of())).get("eth0").settings();
        assertThat(eth0.value("ipv4", "route-metric")).isEqualTo(150L);
        assertThat(eth0.value("ipv4", "route-table")).isEqualTo(new UInt32(200));
        assertThat(eth0.value("ipv4", "dhcp-client-id")).as("nmstate's iaid+duid").isEqualTo("duid");
        assertThat(eth0.value("ipv6", "dhcp-duid")).isEqualTo("llt");
        assertThat(eth0.value("ipv6", "addr-gen-mode")).isEqualTo(0);

        NmSettings ll = byInterface(plan("interfaces: [{name: eth0, ipv4: {enabled: true, dhcp: true, dhcp-client-id: ll}}]",
            Map.of())).get("eth0").settings();
        assertThat(ll.value("ipv4", "dhcp-client-id")).as("nmstate's ll").isEqualTo("mac");
    }

    @Test
    void waitIpBecomesMayFailOfEachFamilyAndAcceptAllMacAddressesTheWiredTernaryAsNmstateWritesThem() {
        Map<String, String> mayFail = new LinkedHashMap<>();
        for (String waitIp : List.of("any", "ipv4", "ipv6", "ipv4+ipv6")) {
            NmSettings eth0 = byInterface(plan("interfaces: [{name: eth0, wait-ip: " + waitIp + ", ipv4: {enabled: true, dhcp: true}, "
                + "ipv6: {enabled: true, dhcp: true, autoconf: true}}]", Map.of())).get("eth0").settings();
            mayFail.put(waitIp, eth0.value("ipv4", "may-fail") + "/" + eth0.value("ipv6", "may-fail"));
        }
        assertThat(mayFail).containsExactly(Map.entry("any", "true/true"), Map.entry("ipv4", "false/true"),
            Map.entry("ipv6", "true/false"), Map.entry("ipv4+ipv6", "false/false"));
        NmSettings unmentioned = byInterface(plan("interfaces: [{name: eth0, ipv4: {enabled: true, dhcp: true}}]", Map.of()))
            .get("eth0").settings();
        assertThat(unmentioned.value("ipv4", "may-fail")).as("not mentioned: NetworkManager's default").isNull();
        assertThat(unmentioned.value("802-3-ethernet", "accept-all-mac-addresses")).isNull();
        assertThat(byInterface(plan("interfaces: [{name: eth0, accept-all-mac-addresses: true}]", Map.of())).get("eth0").settings()
            .value("802-3-ethernet", "accept-all-mac-addresses")).isEqualTo(1);
    }

    @Test
    void mptcpAddressFlagsBecomeTheConnectionsMptcpFlagsAsNmstateWritesThem() {
        NmSettings flags = byInterface(plan("interfaces: [{name: eth0, mptcp: {address-flags: [signal, backup]}}]", Map.of()))
            .get("eth0").settings();
        NmSettings off = byInterface(plan("interfaces: [{name: eth0, mptcp: {address-flags: []}}]", Map.of())).get("eth0").settings();
        NmSettings unmentioned = byInterface(plan("interfaces: [{name: eth0, mtu: 1500}]", Map.of())).get("eth0").settings();

        assertThat(flags.value("connection", "mptcp-flags")).as("signal 0x10, backup 0x40, also-without-default-route 0x8")
            .isEqualTo(new UInt32(0x58));
        assertThat(off.value("connection", "mptcp-flags")).as("disabled").isEqualTo(new UInt32(0x1));
        assertThat(unmentioned.value("connection", "mptcp-flags")).as("NetworkManager's default").isNull();
    }

    @Test
    void planningTheSameStateAgainChangesNoPropertyOfTheProfilesItWrote() {
        String yaml = """
            dns-resolver:
              config: {server: [192.0.2.53, "2001:db8::53"], search: [example.com], options: [rotate]}
            routes:
              config:
              - {destination: 203.0.113.0/24, next-hop-interface: eth0, next-hop-address: 192.0.2.1, metric: 150, table-id: 200}
            route-rules:
              config:
              - {ip-from: 198.51.100.0/24, route-table: 200, priority: 100}
            interfaces:
            - name: eth0
              mtu: 9000
              mac-address: "02:00:00:aa:bb:01"
              accept-all-mac-addresses: false
              mptcp: {address-flags: [subflow]}
              ipv4: {enabled: true, address: [{ip: 192.0.2.10, prefix-length: 24}, {ip: 192.0.2.11, prefix-length: 24}]}
              ipv6: {enabled: true, address: [{ip: "2001:db8::10", prefix-length: 64}]}
            - name: br7
              type: linux-bridge
              bridge:
                options: {group-addr: "01:80:C2:00:00:0E", group-forward-mask: 16384, multicast-querier: true,
                          multicast-last-member-interval: 200, multicast-router: auto, hash-max: 4096}
                port: []
            - name: ens8f0np0
              wait-ip: ipv4
              ipv4: {enabled: true, dhcp: true, auto-route-metric: 150, dhcp-custom-hostname: web-7.example.org}
              ipv6: {enabled: true, dhcp: true, autoconf: true, addr-gen-mode: eui64}
            """;
        Map<String, ExistingProfile> written = new LinkedHashMap<>();
        for (ProfileChange change : plan(yaml, Map.of())) {
            // GetSettings gives the deprecated forms of the addresses and the cloned MAC address beside the current ones, and
            // dbus-java decodes an aay as lists
            Map<String, Map<String, Variant<?>>> asRead = change.settings().toDbus();
            asRead.get("ipv4").put("addresses", new Variant<>(List.of(List.of(new UInt32(1))), "aau"));
            if (asRead.get("802-3-ethernet") != null && asRead.get("802-3-ethernet").containsKey("assigned-mac-address")) {
                asRead.get("802-3-ethernet").put("cloned-mac-address", new Variant<>(new byte[] {2, 0, 0, -86, -69, 1}));
            }
            if (asRead.get("ipv6").get("dns") != null) {
                List<List<Byte>> decoded = ((List<?>) asRead.get("ipv6").get("dns").getValue()).stream().map(b -> {
                    List<Byte> bytes = new java.util.ArrayList<>();
                    for (byte x : (byte[]) b) {
                        bytes.add(x);
                    }
                    return bytes;
                }).toList();
                asRead.get("ipv6").put("dns", new Variant<>(decoded, "aay"));
            }
            written.put(change.iface(), new ExistingProfile("/org/freedesktop/NetworkManager/Settings/" + written.size(),
                NmSettings.of(asRead), true));
        }

        List<ProfileChange> again = plan(yaml, written);

        assertThat(again).isNotEmpty().allSatisfy(change -> {
            assertThat(change.action()).isEqualTo(ProfileChange.Action.UPDATE);
            assertThat(change.changedProperties()).as(change.iface()).isEmpty();
        });
        written.get("eth0").settings().putUInt32("802-3-ethernet", "mtu", 1500);
        assertThat(byInterface(plan(yaml, written)).get("eth0").changedProperties()).containsExactly("802-3-ethernet.mtu");
    }

    @Test
    void aTokenGoesWithEui64AddressGenerationAndLeavesWithAutoconf() {
        NmSettings token = byInterface(plan("interfaces: [{name: eth0, ipv6: {enabled: true, dhcp: true, autoconf: true, "
            + "token: \"::1234\"}}]", Map.of())).get("eth0").settings();
        assertThat(token.value("ipv6", "token")).isEqualTo("::1234");
        assertThat(token.value("ipv6", "addr-gen-mode")).as("NetworkManager refuses a token without it").isEqualTo(0);

        ExistingProfile withToken = existing("eth0", "disabled");
        withToken.settings().putString("ipv6", "method", "auto").putString("ipv6", "token", "::1234").putInt32("ipv6", "addr-gen-mode", 0);
        NmSettings removed = byInterface(plan("interfaces: [{name: eth0, ipv6: {enabled: true, dhcp: true, autoconf: true, token: \"\"}}]",
            Map.of("eth0", withToken))).get("eth0").settings();
        assertThat(removed.value("ipv6", "token")).isNull();
        NmSettings manual = byInterface(plan("interfaces: [{name: eth0, ipv6: {enabled: true, dhcp: false, autoconf: false, "
            + "address: [{ip: \"2001:db8::1\", prefix-length: 64}]}}]", Map.of("eth0", withToken))).get("eth0").settings();
        assertThat(manual.value("ipv6", "token")).as("as nmstate writes it: no token without autoconf").isNull();
    }

    @Test
    void aDhcpHostNameWithADotGoesAsAnFqdnOnIpv4AndTheProfileHoldsOneOrTheOther() {
        ExistingProfile eth0 = existing("eth0", "auto");
        eth0.settings().putString("ipv4", "dhcp-hostname", "old").putString("ipv6", "dhcp-hostname", "old");
        NmSettings fqdn = byInterface(plan("""
            interfaces:
            - name: eth0
              ipv4: {enabled: true, dhcp: true, dhcp-custom-hostname: web-7.example.org}
              ipv6: {enabled: true, dhcp: true, autoconf: true, dhcp-custom-hostname: web-7.example.org}
            """, Map.of("eth0", eth0))).get("eth0").settings();
        assertThat(fqdn.value("ipv4", "dhcp-fqdn")).isEqualTo("web-7.example.org");
        assertThat(fqdn.value("ipv4", "dhcp-hostname")).isNull();
        assertThat(fqdn.value("ipv6", "dhcp-hostname")).as("DHCPv6 sends every name as an FQDN").isEqualTo("web-7.example.org");

        ExistingProfile sendsFqdn = existing("eth0", "auto");
        sendsFqdn.settings().putString("ipv4", "dhcp-fqdn", "web-7.example.org");
        NmSettings shortName = byInterface(plan("interfaces: [{name: eth0, ipv4: {enabled: true, dhcp: true, "
            + "dhcp-custom-hostname: web-7}}]", Map.of("eth0", sendsFqdn))).get("eth0").settings();
        assertThat(shortName.value("ipv4", "dhcp-hostname")).isEqualTo("web-7");
        assertThat(shortName.value("ipv4", "dhcp-fqdn")).isNull();

        NmSettings own = byInterface(plan("interfaces: [{name: eth0, ipv4: {enabled: true, dhcp: true, dhcp-send-hostname: true, "
            + "dhcp-custom-hostname: \"\"}}]", Map.of("eth0", sendsFqdn))).get("eth0").settings();
        assertThat(own.value("ipv4", "dhcp-fqdn")).as("an empty name: the host's own").isNull();
        assertThat(own.value("ipv4", "dhcp-hostname")).isNull();
        assertThat(own.value("ipv4", "dhcp-send-hostname")).isEqualTo(true);

        NmSettings none = byInterface(plan("interfaces: [{name: eth0, ipv4: {enabled: true, dhcp: true, dhcp-send-hostname: false}}]",
            Map.of("eth0", sendsFqdn))).get("eth0").settings();
        assertThat(none.value("ipv4", "dhcp-send-hostname")).isEqualTo(false);
    }

    @Test
    void routeRulesGoToTheInterfaceWithRoutesInTheirTableOrTheirIncomingOneAsNetworkManagersRoutingRules() {
        Map<String, ProfileChange> plan = byInterface(plan("""
            interfaces:
            - name: eth0
              ipv4: {enabled: true, address: [{ip: 192.0.2.10, prefix-length: 24}]}
            - name: ens8f0np0
              ipv4: {enabled: true, address: [{ip: 198.51.100.10, prefix-length: 24}]}
            routes:
              config:
              - {destination: 0.0.0.0/0, next-hop-interface: ens8f0np0, next-hop-address: 198.51.100.1, table-id: 200}
            route-rules:
              config:
              - {ip-from: 198.51.100.0/24, route-table: 200, fwmark: "0x30", fwmask: "0x10"}
              - {ip-to: 10.66.0.0/16, action: blackhole, priority: 120, iif: eth0}
            """, Map.of()));

        assertThat(plan.get("ens8f0np0").settings().records("ipv4", "routing-rules")).as("with the routes of table 200")
            .containsExactly(Map.of("family", 2, "priority", new UInt32(30000), "from", "198.51.100.0", "from-len", (byte) 24,
                "table", new UInt32(200), "fwmark", new UInt32(0x30), "fwmask", new UInt32(0x10)));
        assertThat(plan.get("eth0").settings().records("ipv4", "routing-rules")).as("on its incoming interface")
            .containsExactly(Map.of("family", 2, "priority", new UInt32(120), "to", "10.66.0.0", "to-len", (byte) 16,
                "action", (byte) 6, "iifname", "eth0"));

        assertThatThrownBy(() -> plan("route-rules: {config: [{ip-from: \"2001:db8::/32\"}]}", Map.of()))
            .isInstanceOf(InvalidStateException.class).hasMessage("route-rules: the rule family: ipv6 ip-from: 2001:db8::/32 "
                + "priority: 30000 route-table: 254 needs an interface that is up with IPv6 enabled to hold it, and no interface is");
    }

    @Test
    void resolverOptionsGoWithTheSearchDomainsOnTheFirstFamilysHolder() {
        NmSettings nic = byInterface(plan("""
            dns-resolver:
              config:
                server: ["2001:db8::53", 192.0.2.53]
                search: [example.com]
                options: [rotate, "ndots:2"]
            interfaces:
            - name: eth0
              ipv4: {enabled: true, address: [{ip: 192.0.2.10, prefix-length: 24}]}
            - name: ens8f0np0
              ipv6: {enabled: true, address: [{ip: "2001:db8::10", prefix-length: 64}]}
            """, Map.of())).get("ens8f0np0").settings();
        assertThat(nic.value("ipv6", "dns-options")).isEqualTo(List.of("rotate", "ndots:2"));
        assertThat(nic.value("ipv4", "dns-options")).isNull();
    }

    @Test
    void searchDomainsAndOptionsWithoutNameServersGoToAnInterfaceWithDynamicAddresses() {
        // before, with no interface with a static address, they were left out of every profile and the apply rolled back
        NmSettings eth0 = byInterface(plan("""
            dns-resolver:
              config:
                search: [example.com]
                options: [edns0]
            interfaces:
            - name: eth0
              ipv4: {enabled: true, dhcp: true}
            """, Map.of())).get("eth0").settings();
        assertThat(eth0.value("ipv4", "dns-search")).isEqualTo(List.of("example.com"));
        assertThat(eth0.value("ipv4", "dns-options")).isEqualTo(List.of("edns0"));

        assertThatThrownBy(() -> plan("dns-resolver: {config: {search: [example.com]}}", Map.of()))
            .isInstanceOf(InvalidStateException.class)
            .hasMessage("dns-resolver.config: example.com need an interface that is up with IPv4 or IPv6 enabled to hold them, "
                + "and no interface is");
    }

    @Test
    void aDnsChangeLeavesTheInactiveProfileOfADownInterfaceAlone() {
        ExistingProfile eth0 = existing("eth0", "manual");
        eth0.settings().putUInt32s("ipv4", "dns", List.of(1L));
        ExistingProfile down = new ExistingProfile(eth0.path(), eth0.settings(), false);

        List<ProfileChange> plan = plan("""
            dns-resolver: {config: {server: [192.0.2.53]}}
            interfaces:
            - name: ens8f0np0
              ipv4: {enabled: true, address: [{ip: 192.0.2.10, prefix-length: 24}]}
            """, Map.of("eth0", down));

        assertThat(byInterface(plan)).as("before, eth0 was rewritten and activated").containsOnlyKeys("ens8f0np0");
    }

    @Test
    void anAbsentRouteLeavesTheInactiveProfileOfADownInterfaceAlone() {
        ExistingProfile eth0 = existing("eth0", "manual");
        eth0.settings().putRecords("ipv4", "route-data", List.of(Map.of("dest", new Variant<>("10.9.0.0"), "prefix",
            new Variant<>(new UInt32(16)), "next-hop", new Variant<>("10.0.0.254"))));

        List<ProfileChange> plan = plan("routes: {config: [{destination: 10.9.0.0/16, state: absent}]}",
            Map.of("eth0", new ExistingProfile(eth0.path(), eth0.settings(), false)));

        assertThat(plan).as("before, eth0 was rewritten and activated").isEmpty();
        assertThat(byInterface(plan("routes: {config: [{destination: 10.9.0.0/16, state: absent}]}", Map.of("eth0", eth0))))
            .as("active, its route goes").containsOnlyKeys("eth0");
    }

    @Test
    void anEmptyResolverConfigClearsTheProfilesHoldingDns() {
        ExistingProfile eth0 = existing("eth0", "manual");
        eth0.settings().putUInt32s("ipv4", "dns", List.of(1L)).putStrings("ipv4", "dns-search", List.of("example.com"))
            .putStrings("ipv4", "dns-options", List.of("rotate")).putInt32("ipv4", "dns-priority", 40);

        NmSettings cleared = byInterface(plan("dns-resolver: {config: {}}", Map.of("eth0", eth0))).get("eth0").settings();

        assertThat(cleared.value("ipv4", "dns")).isEqualTo(List.of());
        assertThat(cleared.value("ipv4", "dns-search")).isEqualTo(List.of());
        assertThat(cleared.value("ipv4", "dns-options")).as("unset, not an empty list").isNull();
        assertThat(cleared.value("ipv4", "dns-priority")).as("back to the default, for servers DHCP may give").isNull();
    }

    @Test
    void aVirtualInterfaceWithoutAProfileIsNotRemovedButRefusedAndAnEthernetWithoutOneIsLeftAlone() {
        NetworkState host = new NetworkState(List.of(ethernet("eth0"), InterfaceSpec.builder("br9").type(InterfaceType.LINUX_BRIDGE)
            .state(InterfaceState.UP).build()), List.of(), List.of(), null);

        NetworkState removeBridge = NmstateParser.parse("interfaces: [{name: br9, state: absent}]");
        assertThatThrownBy(() -> ProfilePlanner.refuseRemovingLinksWithoutAProfile(removeBridge, host, Map.of()))
            .isInstanceOf(InvalidStateException.class).hasMessage("Interface br9: this linux-bridge was not created by NetworkManager, "
                + "which could not bring it back if the apply were rolled back; remove it with 'ip link delete br9'");
        ProfilePlanner.refuseRemovingLinksWithoutAProfile(NmstateParser.parse("interfaces: [{name: eth0, state: absent}]"), host,
            Map.of());
    }

    @Test
    void aVirtualInterfaceWhoseProfileCannotCreateItIsRefusedAndOneWhoseProfileCanIsRemoved() {
        NetworkState host = new NetworkState(List.of(InterfaceSpec.builder("v8").type(InterfaceType.VETH).state(InterfaceState.UP)
            .build(), InterfaceSpec.builder("br9").type(InterfaceType.LINUX_BRIDGE).state(InterfaceState.UP).build()), List.of(),
            List.of(), null);
        ExistingProfile ethernetProfile = existing("v8", "manual");
        ExistingProfile bridgeProfile = existing("br9", "manual");
        bridgeProfile.settings().putString("connection", "type", "bridge");

        // a veth made with ip link and configured through an ethernet profile: deleting the profile leaves the link
        assertThatThrownBy(() -> ProfilePlanner.refuseRemovingLinksWithoutAProfile(
            NmstateParser.parse("interfaces: [{name: v8, state: absent}]"), host, Map.of("v8", ethernetProfile)))
            .isInstanceOf(InvalidStateException.class).hasMessageContaining("Interface v8: this veth was not created by NetworkManager "
                + "(its profile is of type 802-3-ethernet, which configures the link but cannot create it)")
            .hasMessageContaining("ip link delete v8");
        ProfilePlanner.refuseRemovingLinksWithoutAProfile(NmstateParser.parse("interfaces: [{name: br9, state: absent}]"), host,
            Map.of("br9", bridgeProfile));

        // the peer NetworkManager made for a veth profile: that profile creates the pair again
        NetworkState pair = new NetworkState(List.of(InterfaceSpec.builder("dv0").type(InterfaceType.VETH).state(InterfaceState.UP)
            .vethPeer("dv0p").build(), InterfaceSpec.builder("dv0p").type(InterfaceType.VETH).state(InterfaceState.UP).vethPeer("dv0")
            .build()), List.of(), List.of(), null);
        ExistingProfile vethProfile = existing("dv0p", "manual");
        vethProfile.settings().putString("connection", "type", "veth");
        ProfilePlanner.refuseRemovingLinksWithoutAProfile(NmstateParser.parse("interfaces: [{name: dv0, state: absent}]"), pair,
            Map.of("dv0", existing("dv0", "manual"), "dv0p", vethProfile));
    }

    @Test
    void dnsServerWithoutAnInterfaceToHoldItIsRejectedNamingTheServer() {
        assertThatThrownBy(() -> plan("dns-resolver: {config: {server: [192.0.2.53]}}", Map.of()))
            .isInstanceOf(InvalidStateException.class)
            .hasMessageContaining("192.0.2.53").hasMessageContaining("static IPv4");
    }

    @Test
    void ieee8021QazBecomesNetworkManagersDcbSettingWithEachPriorityInItsTrafficClass() {
        // examples/roce-pfc-ets.yaml: PFC on priority 3; class 0 gets 70 %, class 3 gets 30 %
        NmSettings s = single(InterfaceSpec.builder("ens8f0np0").dcb(new Ieee8021QazConfig(List.of(3), 0, List.of(
            new TrafficClass(0, 70, Ieee8021QazConfig.ETS), new TrafficClass(3, 30, Ieee8021QazConfig.ETS)))).build());
        assertThat(s.value("dcb", "priority-flow-control-flags")).isEqualTo(new UInt32(1));
        assertThat(longs(s, "priority-flow-control")).containsExactly(0L, 0L, 0L, 1L, 0L, 0L, 0L, 0L);
        assertThat(s.value("dcb", "priority-group-flags")).isEqualTo(new UInt32(1));
        assertThat(longs(s, "priority-traffic-class")).as("priority 3 in class 3, the others in the lowest listed class")
            .containsExactly(0L, 0L, 0L, 3L, 0L, 0L, 0L, 0L);
        assertThat(longs(s, "priority-group-id")).containsExactly(0L, 0L, 0L, 3L, 0L, 0L, 0L, 0L);
        assertThat(longs(s, "priority-group-bandwidth")).containsExactly(70L, 0L, 0L, 30L, 0L, 0L, 0L, 0L);
        assertThat(longs(s, "priority-bandwidth")).as("each group's priorities share 100")
            .containsExactly(16L, 14L, 14L, 100L, 14L, 14L, 14L, 14L);
        assertThat(longs(s, "priority-strict-bandwidth")).containsOnly(0L);
        assertThat(s.signature("dcb", "priority-group-id")).isEqualTo("au");
    }

    @Test
    void strictPriorityClassGoesToTheUnrestrictedGroupWithStrictBandwidth() {
        NmSettings s = single(InterfaceSpec.builder("ens8f0np0").dcb(new Ieee8021QazConfig(null, null, List.of(
            new TrafficClass(0, 100, Ieee8021QazConfig.ETS), new TrafficClass(5, 0, Ieee8021QazConfig.STRICT)))).build());
        assertThat(s.value("dcb", "priority-flow-control-flags")).as("PFC not given: left alone").isNull();
        assertThat(longs(s, "priority-group-id")).containsExactly(0L, 0L, 0L, 0L, 0L, 15L, 0L, 0L);
        assertThat(longs(s, "priority-strict-bandwidth")).containsExactly(0L, 0L, 0L, 0L, 0L, 1L, 0L, 0L);
        assertThat(longs(s, "priority-traffic-class")).containsExactly(0L, 0L, 0L, 0L, 0L, 5L, 0L, 0L);
        assertThat(longs(s, "priority-bandwidth")).containsExactly(16L, 14L, 14L, 14L, 14L, 0L, 14L, 14L);
        assertThat(longs(s, "priority-group-bandwidth")).containsExactly(100L, 0L, 0L, 0L, 0L, 0L, 0L, 0L);
    }

    @Test
    void dcbThatNetworkManagerCannotExpressIsRefusedNamingTheFieldAndValue() {
        assertThatThrownBy(() -> single(InterfaceSpec.builder("ens8f0np0")
            .dcb(new Ieee8021QazConfig(List.of(3), 100, null)).build()))
            .isInstanceOf(InvalidStateException.class)
            .hasMessageContaining("Interface ens8f0np0").hasMessageContaining("pfc.delay 100").hasMessageContaining("only 0");
        assertThatThrownBy(() -> single(InterfaceSpec.builder("ens8f0np0").dcb(new Ieee8021QazConfig(null, null, List.of(
            new TrafficClass(0, 60, Ieee8021QazConfig.ETS), new TrafficClass(3, 30, Ieee8021QazConfig.ETS)))).build()))
            .isInstanceOf(InvalidStateException.class).hasMessageContaining("add up to 90").hasMessageContaining("must add up to 100");
    }

    @Test
    void dcbSettingReadsBackAsTheBlockThatWroteIt() {
        Ieee8021QazConfig dcb = new Ieee8021QazConfig(List.of(3, 4), null, List.of(
            new TrafficClass(0, 70, Ieee8021QazConfig.ETS), new TrafficClass(3, 30, Ieee8021QazConfig.ETS),
            new TrafficClass(6, 0, Ieee8021QazConfig.STRICT)));
        NmSettings s = single(InterfaceSpec.builder("ens8f0np0").dcb(dcb).build());
        assertThat(DcbSettings.read(s)).isEqualTo(dcb);
    }

    @Test
    void ethernetLinkSettingsAndSriovBecomeWiredAndSriovSettings() {
        NmSettings s = single(InterfaceSpec.builder("ens8f0np0").ethernet(new EthernetConfig(false, 25000, "full",
            new EthernetConfig.Sriov(2, List.of(new EthernetConfig.Vf(0, "02:00:00:00:00:01", true, false, null, 1000, null, null),
                new EthernetConfig.Vf(1, null, null, null, null, null, 100, 3)), false))).build());
        assertThat(s.value("802-3-ethernet", "auto-negotiate")).isEqualTo(false);
        assertThat(s.value("802-3-ethernet", "speed")).isEqualTo(new UInt32(25000));
        assertThat(s.string("802-3-ethernet", "duplex")).isEqualTo("full");
        assertThat(s.value("sriov", "total-vfs")).isEqualTo(new UInt32(2));
        assertThat(s.value("sriov", "autoprobe-drivers")).as("NMTernary false").isEqualTo(0);
        assertThat(s.signature("sriov", "vfs")).isEqualTo("aa{sv}");
        List<Map<String, Object>> vfs = s.records("sriov", "vfs");
        assertThat(vfs.get(0)).containsEntry("index", new UInt32(0)).containsEntry("mac", "02:00:00:00:00:01")
            .containsEntry("spoof-check", true).containsEntry("trust", false).containsEntry("max-tx-rate", new UInt32(1000))
            .doesNotContainKey("vlans");
        assertThat(vfs.get(1)).containsEntry("index", new UInt32(1)).containsKey("vlans");
        EthernetConfig.Vf readBack = NmStateReader.read(List.of(new DeviceSnapshot("ens8f0np0", 1, 100, true, 1500, "02:00:00:00:00:09",
            List.of(), List.of(), List.of(), s, null))).find("ens8f0np0").orElseThrow().ethernet().sriov().vfs().get(1);
        assertThat(readBack.vlanId()).isEqualTo(100);
        assertThat(readBack.qos()).isEqualTo(3);
    }

    @Test
    void bridgeOptionsAndAPortTrunkBecomeBridgeSettingsAndThePortsVlans() {
        BridgeConfig.PortVlan trunk = new BridgeConfig.PortVlan("trunk", 100, true, List.of(new BridgeConfig.TrunkTag(101, null, null),
            new BridgeConfig.TrunkTag(null, 200, 500)));
        Map<String, ProfileChange> changes = byInterface(ProfilePlanner.plan(state(InterfaceSpec.builder("br1")
            .type(InterfaceType.LINUX_BRIDGE).bridge(new BridgeConfig(new BridgeConfig.Options(true, 10, 3, 25, 4096, 600, false),
                List.of(new BridgeConfig.Port("ens8f0np0", trunk), BridgeConfig.Port.named("ens8f1np1")))).build()), HOST, Map.of()));
        NmSettings br = changes.get("br1").settings();
        assertThat(br.value("bridge", "stp")).isEqualTo(true);
        assertThat(br.value("bridge", "forward-delay")).isEqualTo(new UInt32(10));
        assertThat(br.value("bridge", "hello-time")).isEqualTo(new UInt32(3));
        assertThat(br.value("bridge", "max-age")).isEqualTo(new UInt32(25));
        assertThat(br.value("bridge", "priority")).isEqualTo(new UInt32(4096));
        assertThat(br.value("bridge", "ageing-time")).isEqualTo(new UInt32(600));
        assertThat(br.value("bridge", "multicast-snooping")).isEqualTo(false);
        assertThat(br.value("bridge", "vlan-filtering")).isEqualTo(true);
        NmSettings port = changes.get("ens8f0np0").settings();
        assertThat(port.signature("bridge-port", "vlans")).isEqualTo("aa{sv}");
        assertThat(port.records("bridge-port", "vlans")).containsExactly(
            Map.of("vid-start", new UInt16(101), "vid-end", new UInt16(101), "pvid", false, "untagged", false),
            Map.of("vid-start", new UInt16(200), "vid-end", new UInt16(500), "pvid", false, "untagged", false),
            Map.of("vid-start", new UInt16(100), "vid-end", new UInt16(100), "pvid", true, "untagged", true));
        assertThat(NmStateReader.portVlan(port)).as("read back as the same trunk").isEqualTo(trunk);
        assertThat(changes.get("ens8f1np1").settings().records("bridge-port", "vlans")).isEmpty();
    }

    @Test
    void groupForwardingAndMulticastOptionsBecomeBridgeSettingsOfNetworkManagersTypes() {
        NmSettings br = byInterface(plan("""
            interfaces:
            - name: br1
              type: linux-bridge
              bridge:
                options: {group-addr: "01:80:c2:00:00:0e", group-fwd-mask: 16384, hash-max: 1024, multicast-querier: true,
                          multicast-query-interval: 6000, multicast-router: 2, multicast-startup-query-count: 3}
            """, Map.of())).get("br1").settings();
        assertThat(br.value("bridge", "group-address")).isEqualTo(new byte[] {1, -128, -62, 0, 0, 14});
        assertThat(br.value("bridge", "group-forward-mask")).isEqualTo(new UInt32(16384));
        assertThat(br.value("bridge", "multicast-hash-max")).isEqualTo(new UInt32(1024));
        assertThat(br.value("bridge", "multicast-querier")).isEqualTo(true);
        assertThat(br.value("bridge", "multicast-query-interval")).as("64-bit, as NetworkManager declares it")
            .isEqualTo(new UInt64(6000));
        assertThat(br.value("bridge", "multicast-router")).as("nmstate's 2").isEqualTo("enabled");
        assertThat(br.value("bridge", "multicast-startup-query-count")).isEqualTo(new UInt32(3));
        assertThat(br.value("bridge", "multicast-last-member-count")).as("not given: left as it is").isNull();
    }

    @Test
    void accessPortCarriesItsTagAsPvidUntagged() {
        assertThat(NmSettingsTranslator.bridgePortVlans("eth1", new BridgeConfig.PortVlan("access", 30, null, null))).hasSize(1);
        assertThatThrownBy(() -> NmSettingsTranslator.bridgePortVlans("eth1", new BridgeConfig.PortVlan("hybrid", 30, null, null)))
            .isInstanceOf(InvalidStateException.class).hasMessageContaining("Interface eth1").hasMessageContaining("\"hybrid\"")
            .hasMessageContaining("access or trunk");
    }

    @Test
    void vrfGetsItsTableAndItsPortsKeepTheirAddresses() {
        Map<String, ProfileChange> changes = byInterface(ProfilePlanner.plan(state(
            InterfaceSpec.builder("vrf102").type(InterfaceType.VRF).vrf(new VrfConfig(List.of("ens8f0np0"), 102L)).build(),
            InterfaceSpec.builder("ens8f0np0").type(InterfaceType.ETHERNET)
                .ipv4(IpConfig.staticAddresses(false, List.of(new IpAddress("192.0.2.251", 24)))).build()), HOST, Map.of()));
        NmSettings vrf = changes.get("vrf102").settings();
        assertThat(vrf.string("connection", "type")).isEqualTo("vrf");
        assertThat(vrf.value("vrf", "table")).isEqualTo(new UInt32(102));
        NmSettings port = changes.get("ens8f0np0").settings();
        assertThat(port.string("connection", "master")).isEqualTo("vrf102");
        assertThat(port.string("connection", "slave-type")).isEqualTo("vrf");
        assertThat(port.string("ipv4", "method")).isEqualTo("manual");
        assertThat(changes.keySet()).as("the VRF comes up before its port").containsExactly("vrf102", "ens8f0np0");
    }

    @Test
    void macVlanAndVxlanNameTheirParentAndComeUpAfterIt() {
        List<ProfileChange> plan = ProfilePlanner.plan(state(
            InterfaceSpec.builder("mac0").type(InterfaceType.MAC_VLAN).macVlan(new MacVlanConfig("ens8f0np0", "bridge", true)).build(),
            InterfaceSpec.builder("vxlan100").type(InterfaceType.VXLAN)
                .vxlan(new VxlanConfig(100, "ens8f0np0", "192.0.2.2", "192.0.2.1", 4789, false)).build(),
            InterfaceSpec.builder("ens8f0np0").type(InterfaceType.ETHERNET).mtu(9000).build()), HOST, Map.of());
        Map<String, ProfileChange> changes = byInterface(plan);
        NmSettings mac = changes.get("mac0").settings();
        assertThat(mac.string("connection", "type")).isEqualTo("macvlan");
        assertThat(mac.string("macvlan", "parent")).isEqualTo("ens8f0np0");
        assertThat(mac.value("macvlan", "mode")).as("NM_SETTING_MACVLAN_MODE_BRIDGE").isEqualTo(new UInt32(2));
        assertThat(mac.value("macvlan", "promiscuous")).isEqualTo(true);
        assertThat(mac.value("macvlan", "tap")).isEqualTo(false);
        NmSettings vxlan = changes.get("vxlan100").settings();
        assertThat(vxlan.string("connection", "type")).isEqualTo("vxlan");
        assertThat(vxlan.value("vxlan", "id")).isEqualTo(new UInt32(100));
        assertThat(vxlan.string("vxlan", "parent")).isEqualTo("ens8f0np0");
        assertThat(vxlan.string("vxlan", "remote")).isEqualTo("192.0.2.2");
        assertThat(vxlan.string("vxlan", "local")).isEqualTo("192.0.2.1");
        assertThat(vxlan.value("vxlan", "destination-port")).isEqualTo(new UInt32(4789));
        assertThat(vxlan.value("vxlan", "learning")).isEqualTo(false);
        assertThat(plan.get(0).iface()).as("the parent first").isEqualTo("ens8f0np0");
        assertThatThrownBy(() -> single(InterfaceSpec.builder("mac1").type(InterfaceType.MAC_VLAN)
            .macVlan(new MacVlanConfig("ens8f0np0", "bridged", null)).build()))
            .isInstanceOf(InvalidStateException.class).hasMessageContaining("Interface mac1: mac-vlan.mode \"bridged\"")
            .hasMessageContaining("vepa, bridge, private, passthru, source");
    }

    @Test
    void newVethIsAVethProfileNamingItsPeerAndDummyIsADummyProfile() {
        NmSettings veth = single(InterfaceSpec.builder("veth1").type(InterfaceType.VETH).vethPeer("veth1-peer").build());
        assertThat(veth.string("connection", "type")).isEqualTo("veth");
        assertThat(veth.string("veth", "peer")).isEqualTo("veth1-peer");
        NmSettings dummy = single(InterfaceSpec.builder("dummy0").type(InterfaceType.DUMMY).build());
        assertThat(dummy.string("connection", "type")).isEqualTo("dummy");
    }

    @Test
    void ovsBridgePortsGoThroughAnOvsPortEachAndTheInternalInterfaceKeepsItsAddress() {
        List<ProfileChange> plan = ProfilePlanner.plan(state(
            InterfaceSpec.builder("ovs0").type(InterfaceType.OVS_INTERFACE).ipv4(new IpConfig(true, true, null, null, null, null, null))
                .build(),
            InterfaceSpec.builder("br1").type(InterfaceType.OVS_BRIDGE).bridge(BridgeConfig.of(true, List.of("ens8f0np0", "ovs0")))
                .build()), HOST, Map.of());
        Map<String, ProfileChange> changes = byInterface(plan);
        NmSettings bridge = changes.get("br1").settings();
        assertThat(bridge.string("connection", "type")).isEqualTo("ovs-bridge");
        assertThat(bridge.value("ovs-bridge", "stp-enable")).isEqualTo(true);
        for (String port : List.of("ens8f0np0", "ovs0")) {
            NmSettings ovsPort = changes.get("ovs-port-" + port).settings();
            assertThat(ovsPort.string("connection", "type")).isEqualTo("ovs-port");
            assertThat(ovsPort.string("connection", "interface-name")).isEqualTo(port);
            assertThat(ovsPort.string("connection", "master")).isEqualTo(bridge.string("connection", "uuid"));
            assertThat(ovsPort.string("connection", "slave-type")).isEqualTo("ovs-bridge");
            NmSettings p = changes.get(port).settings();
            assertThat(p.string("connection", "master")).isEqualTo(ovsPort.string("connection", "uuid"));
            assertThat(p.string("connection", "slave-type")).isEqualTo("ovs-port");
        }
        NmSettings internal = changes.get("ovs0").settings();
        assertThat(internal.string("ovs-interface", "type")).isEqualTo("internal");
        assertThat(internal.string("ipv4", "method")).isEqualTo("auto");
        assertThat(changes.get("ens8f0np0").settings().has("ipv4")).isFalse();
        assertThat(plan.stream().map(ProfileChange::iface).toList().indexOf("br1"))
            .isLessThan(plan.stream().map(ProfileChange::iface).toList().indexOf("ovs-port-ovs0"));
        assertThat(plan.stream().map(ProfileChange::iface).toList().indexOf("ovs-port-ovs0"))
            .isLessThan(plan.stream().map(ProfileChange::iface).toList().indexOf("ovs0"));
        assertThatThrownBy(() -> single(InterfaceSpec.builder("br2").type(InterfaceType.OVS_BRIDGE)
            .bridge(new BridgeConfig(new BridgeConfig.Options(null, 10, null, null, null, null, null), null)).build()))
            .isInstanceOf(InvalidStateException.class).hasMessageContaining("Interface br2").hasMessageContaining("ovs-bridge");
    }

    private static NetworkState state(InterfaceSpec... interfaces) {
        return new NetworkState(List.of(interfaces), List.of(), List.of(), null);
    }

    /** The settings of the one profile planned for {@code iface}. */
    private static NmSettings single(InterfaceSpec iface) {
        return byInterface(ProfilePlanner.plan(state(iface), HOST, Map.of())).get(iface.name()).settings();
    }

    private static List<Long> longs(NmSettings s, String key) {
        return NmStateReader.longs(s.value("dcb", key));
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
        assertThat(s.string("802-3-ethernet", "assigned-mac-address")).isEqualTo("02:00:00:AA:BB:CC");
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

    @Test
    void aDownInterfacesProfileKeepsWhatTheStateSaysOfItWithoutAutoconnectAndIsNotActivated() {
        List<ProfileChange> plan = plan("""
            interfaces:
            - {name: ens8f0np0, state: down, mtu: 9000}
            - {name: ens8f1np1, type: ethernet, state: down, mtu: 9000}
            - {name: ens99, type: ethernet, state: down, mtu: 9000}
            """, Map.of("ens8f0np0", existing("ens8f0np0", "auto")));

        assertThat(plan).extracting(ProfileChange::iface, ProfileChange::action, ProfileChange::activate).containsExactly(
            tuple("ens8f0np0", ProfileChange.Action.DEACTIVATE, false),
            tuple("ens8f0np0", ProfileChange.Action.UPDATE, false),
            tuple("ens8f1np1", ProfileChange.Action.CREATE, false));
        assertThat(plan.subList(1, 3)).allSatisfy(change -> {
            assertThat(change.settings().value("802-3-ethernet", "mtu")).isEqualTo(new UInt32(9000));
            assertThat(change.settings().value("connection", "autoconnect")).isEqualTo(false);
        });
    }

    @Test
    void anInterfaceBroughtUpAgainGetsAutoconnectBack() {
        ProfileChange storedDown = plan("interfaces: [{name: ens8f1np1, state: down, mtu: 9000}]", Map.of()).get(0);
        ExistingProfile existing = new ExistingProfile("/org/freedesktop/NetworkManager/Settings/7", storedDown.settings(), false);

        ProfileChange up = plan("interfaces: [{name: ens8f1np1, state: up}]", Map.of("ens8f1np1", existing)).get(0);

        assertThat(up.activate()).isTrue();
        assertThat(up.changedProperties()).containsExactly("connection.autoconnect");
        assertThat(up.settings().value("connection", "autoconnect")).isEqualTo(true);
        assertThat(up.settings().value("802-3-ethernet", "mtu")).as("kept from when it was down").isEqualTo(new UInt32(9000));
    }

    @Test
    void aDownInterfaceWhoseProfileAlreadyHoldsWhatTheStateSaysIsOnlyDeactivated() {
        ProfileChange stored = plan("interfaces: [{name: ens8f1np1, state: down, mtu: 9000}]", Map.of()).get(0);
        ExistingProfile existing = new ExistingProfile("/org/freedesktop/NetworkManager/Settings/7", stored.settings(), false);

        assertThat(plan("interfaces: [{name: ens8f1np1, state: down, mtu: 9000}]", Map.of("ens8f1np1", existing)))
            .extracting(ProfileChange::action).containsExactly(ProfileChange.Action.DEACTIVATE);
    }

    @Test
    void descriptionIsKeptInTheProfilesUserDataWhereNmstateKeepsIt() {
        NmSettings s = single(InterfaceSpec.builder("ens8f0np0").description("uplink to tor-1").build());
        assertThat(s.signature("user", "data")).isEqualTo("a{ss}");
        assertThat(s.value("user", "data")).isEqualTo(Map.of("nmstate.interface.description", "uplink to tor-1"));
        assertThat(NmStateReader.read(List.of(new DeviceSnapshot("ens8f0np0", 1, 100, true, 1500, "02:00:00:00:00:09", List.of(),
            List.of(), List.of(), s, null))).find("ens8f0np0").orElseThrow().description()).isEqualTo("uplink to tor-1");
    }

    @Test
    void removingAControllerReleasesItsPortsWithoutIpAndAnAbsentInterfaceWithoutProfileNeedsNoType() {
        NetworkState host = new NetworkState(List.of(
            InterfaceSpec.builder("br0").type(InterfaceType.LINUX_BRIDGE).state(InterfaceState.UP).build(),
            ethernet("eth0").withController("br0")), List.of(), List.of(), null);
        ExistingProfile port = existing("eth0", "manual");
        port.settings().putString("connection", "master", "br0").putString("connection", "slave-type", "bridge")
            .removeSection("ipv4").removeSection("ipv6");
        Map<String, ProfileChange> changes = byInterface(ProfilePlanner.plan(NmstateParser.parse(
            "interfaces: [{name: br0, state: absent}, {name: bond9, state: absent}]"), host, Map.of("br0", existing("br0", "disabled"),
            "eth0", port)));

        assertThat(changes.get("br0").action()).isEqualTo(ProfileChange.Action.DELETE);
        assertThat(changes).doesNotContainKey("bond9");
        NmSettings released = changes.get("eth0").settings();
        assertThat(released.string("connection", "master")).isNull();
        assertThat(released.has("bridge-port")).isFalse();
        assertThat(released.string("ipv4", "method")).as("a released port has no address to get: no DHCP").isEqualTo("disabled");
        assertThat(released.string("ipv6", "method")).isEqualTo("disabled");
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
