package io.nmstream.nmstate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NmstateParserTest {

    private static final String BOND_DOCUMENT = """
        dns-resolver:
          config:
            server: [10.0.0.2]
        routes:
          config:
          - destination: 0.0.0.0/0
            next-hop-address: 10.10.1.1
            next-hop-interface: bond0
          - destination: 10.9.0.0/16
            state: absent
        interfaces:
        - name: bond0
          type: bond
          state: up
          mtu: 9000
          link-aggregation:
            mode: 802.3ad
            options: {miimon: "100"}
            port: [ens8f0np0, ens8f1np1]
          ipv4:
            enabled: true
            dhcp: false
            address:
            - ip: 10.10.1.50
              prefix-length: 24
          ipv6:
            enabled: false
        - name: ens8f0np0
          type: ethernet
          lldp: {enabled: true}
        """;

    @Test
    void readsEveryPartOfAnNmstateDocument() {
        NetworkState state = NmstateParser.parse(BOND_DOCUMENT);
        InterfaceSpec bond = state.find("bond0").orElseThrow();
        assertThat(bond.type()).isEqualTo(InterfaceType.BOND);
        assertThat(bond.mtu()).isEqualTo(9000);
        assertThat(bond.bond().mode()).isEqualTo("802.3ad");
        assertThat(bond.bond().ports()).containsExactly("ens8f0np0", "ens8f1np1");
        assertThat(bond.ipv4().addresses()).containsExactly(new IpAddress("10.10.1.50", 24));
        assertThat(bond.ipv6().isEnabled()).isFalse();
        assertThat(state.find("ens8f0np0").orElseThrow().lldp()).isTrue();
        assertThat(state.find("ens8f0np0").orElseThrow().mtu()).as("not mentioned, so left alone").isNull();
        assertThat(state.routes()).containsExactly(Route.via("0.0.0.0/0", "bond0", "10.10.1.1"),
            new Route("10.9.0.0/16", null, null, null, null, true));
        assertThat(state.dns().servers()).containsExactly("10.0.0.2");
    }

    @Test
    void readsTheDhcpClientsIdentityHostNameRouteMetricAndAddressGenerationAndWritesThemBack() {
        NetworkState state = NmstateParser.parse("""
            interfaces:
            - name: eth0
              ipv4: {enabled: true, dhcp: true, auto-route-metric: 150, auto-route-table-id: 200, dhcp-client-id: iaid+duid,
                     dhcp-custom-hostname: web-7.example.org}
              ipv6: {enabled: true, dhcp: true, autoconf: true, dhcp-duid: "00:03:00:01:52:54:00:12:34:56", addr-gen-mode: eui64,
                     dhcp-send-hostname: false, allow-extra-address: false, token: "::0.0.250.193"}
            """);
        IpConfig ipv4 = state.find("eth0").orElseThrow().ipv4();
        IpConfig ipv6 = state.find("eth0").orElseThrow().ipv6();
        assertThat(ipv4.autoRouteMetric()).isEqualTo(150L);
        assertThat(ipv4.autoRouteTableId()).isEqualTo(200L);
        assertThat(ipv4.dhcpClientId()).isEqualTo("iaid+duid");
        assertThat(ipv6.dhcpDuid()).isEqualTo("00:03:00:01:52:54:00:12:34:56");
        assertThat(ipv6.addrGenMode()).isEqualTo("eui64");
        assertThat(ipv4.dhcpCustomHostname()).isEqualTo("web-7.example.org");
        assertThat(ipv4.dhcpSendHostname()).as("not mentioned: left as the host has it").isNull();
        assertThat(ipv6.dhcpSendHostname()).isFalse();
        assertThat(ipv6.allowExtraAddress()).isFalse();
        assertThat(ipv6.token()).as("in canonical form").isEqualTo("::fac1");
        assertThat(NmstateParser.parse("interfaces: [{name: eth0, ipv4: {enabled: true, dhcp: false, dhcp-send-hostname: true, "
            + "address: [{ip: 192.0.2.1, prefix-length: 24}]}}]").find("eth0").orElseThrow().ipv4().dhcpSendHostname())
            .as("what node show reports on a DHCP interface, left in a state edited to static: dropped, as nmstate drops it").isNull();
        assertThat(NmstateParser.parse("interfaces: [{name: eth0, ipv6: {enabled: true, address: [], token: \"\"}}]")
            .find("eth0").orElseThrow().ipv6().token()).as("an empty token removes it, also where autoconf is off").isEqualTo("::");
        assertThat(NmstateParser.parse(NmstateWriter.toYaml(state))).isEqualTo(state);
    }

    @Test
    void readsWaitIpAcceptAllMacAddressesAndCopyMacFromAndWritesThemBack() {
        NetworkState state = NmstateParser.parse("""
            interfaces:
            - name: eth0
              wait-ip: ipv4+ipv6
              ipv4: {enabled: true, dhcp: true}
              ipv6: {enabled: true, dhcp: true, autoconf: true}
            - name: eth1
              wait-ip: ipv6
              accept-all-mac-addresses: true
            - name: br0
              type: linux-bridge
              copy-mac-from: eth1
              bridge: {port: []}
            """);

        assertThat(state.find("eth0").orElseThrow().waitIp()).isEqualTo(WaitIp.IPV4_AND_IPV6);
        assertThat(state.find("eth1").orElseThrow().waitIp()).as("its IPv6 is the node's to check").isEqualTo(WaitIp.IPV6);
        assertThat(NmstateWriter.toYaml(state)).contains("wait-ip: ipv4+ipv6").contains("accept-all-mac-addresses: true");
        assertThat(state.find("eth1").orElseThrow().acceptAllMacAddresses()).isTrue();
        assertThat(state.find("br0").orElseThrow().copyMacFrom()).isEqualTo("eth1");
        assertThat(state.find("eth0").orElseThrow().acceptAllMacAddresses()).as("not mentioned: left as it is").isNull();
        assertThat(NmstateParser.parse(NmstateWriter.toYaml(state))).isEqualTo(state);
    }

    @Test
    void readsMptcpAddressFlagsInNmstatesOrderWithAnAddressRepeatingThemAsNmstateShowsItAndWritesThemBack() {
        NetworkState state = NmstateParser.parse("""
            interfaces:
            - name: eth0
              mptcp: {address-flags: [backup, subflow, backup]}
              ipv4:
                enabled: true
                address: [{ip: 192.0.2.7, prefix-length: 24, mptcp-flags: [subflow, backup]}]
            - name: eth1
              mptcp: {address-flags: []}
            - name: eth2
              mptcp: {}
            """);

        assertThat(state.find("eth0").orElseThrow().mptcpAddressFlags()).containsExactly(MptcpAddressFlag.SUBFLOW, MptcpAddressFlag.BACKUP);
        assertThat(state.find("eth1").orElseThrow().mptcpAddressFlags()).as("MPTCP off for its addresses").isEmpty();
        assertThat(state.find("eth2").orElseThrow().mptcpAddressFlags()).as("no flags given: left as they are").isNull();
        assertThat(NmstateWriter.toYaml(state)).contains("address-flags:\n    - subflow\n    - backup");
        assertThat(NmstateParser.parse(NmstateWriter.toYaml(state))).isEqualTo(state);
        assertThat(MptcpAddressFlag.nmFlags(state.find("eth0").orElseThrow().mptcpAddressFlags())).as("nmstate's bits").isEqualTo(0x68);
        assertThat(MptcpAddressFlag.nmFlags(List.of())).isEqualTo(0x1);
        assertThat(MptcpAddressFlag.fromNmFlags(0x68)).containsExactly(MptcpAddressFlag.SUBFLOW, MptcpAddressFlag.BACKUP);
        assertThat(MptcpAddressFlag.fromNmFlags(0x1)).isEmpty();
        assertThat(MptcpAddressFlag.fromNmFlags(0)).as("NetworkManager's default").isNull();
    }

    @Test
    void readsAVlanAsNmstatectlShowPrintsItAndWritesItBack() {
        NetworkState state = NmstateParser.parse("""
            interfaces:
            - name: eth1.100
              type: vlan
              vlan: {base-iface: eth1, id: 100, protocol: 802.1ad, registration-protocol: none, reorder-headers: true,
                     loose-binding: false}
            """);

        assertThat(state.find("eth1.100").orElseThrow().vlan()).isEqualTo(new VlanConfig("eth1", 100, "802.1ad", "none", true, false));
        assertThat(NmstateParser.parse(NmstateWriter.toYaml(state))).isEqualTo(state);
        assertThat(new VlanConfig("eth1", 100).overlay(new VlanConfig(null, null, null, "mvrp", null, true)))
            .isEqualTo(new VlanConfig("eth1", 100, null, "mvrp", null, true));
    }

    @Test
    void readsTheLinuxBridgesGroupAndMulticastOptionsInNmstatesFormsAndWritesThemBack() {
        NetworkState state = NmstateParser.parse("""
            interfaces:
            - name: br0
              type: linux-bridge
              bridge:
                options: {group-addr: "01:80:c2:00:00:0e", group-fwd-mask: 16384, multicast-router: 0,
                          multicast-querier: true, multicast-query-interval: "6000"}
            """);

        BridgeConfig.Options options = state.find("br0").orElseThrow().bridge().options();
        assertThat(options.more()).containsExactly(Map.entry(LinuxBridgeOption.GROUP_ADDR, "01:80:C2:00:00:0E"),
            Map.entry(LinuxBridgeOption.GROUP_FORWARD_MASK, 16384L), Map.entry(LinuxBridgeOption.MULTICAST_QUERIER, true),
            Map.entry(LinuxBridgeOption.MULTICAST_QUERY_INTERVAL, 6000L), Map.entry(LinuxBridgeOption.MULTICAST_ROUTER, "disabled"));
        assertThat(NmstateWriter.toYaml(state)).contains("group-forward-mask: 16384").contains("multicast-router: disabled");
        assertThat(NmstateParser.parse(NmstateWriter.toYaml(state))).isEqualTo(state);
    }

    @Test
    void aShownStateAppliesWithItsRunningResolverIgnoredAsNmstateIgnoresIt() {
        NetworkState shown = new NetworkState(List.of(), List.of(), List.of(), new DnsConfig(List.of("192.0.2.53"), List.of(), null),
            List.of(), new DnsConfig(List.of("192.0.2.53", "198.18.5.53"), List.of("lab.test"), null));

        String yaml = NmstateWriter.toYaml(shown);

        assertThat(yaml).contains("running:").contains("198.18.5.53");
        assertThat(NmstateParser.parse(yaml)).isEqualTo(new NetworkState(List.of(), List.of(), List.of(), shown.dns()));
    }

    @Test
    void readsRouteRulesAsNmstateDoes() {
        // nmstate's examples/eth1_add_route_rule.yml, with an IPv6 rule, a host address and a rule that drops
        NetworkState state = NmstateParser.parse("""
            route-rules:
              config:
                - ip-to: 192.0.2.0/24
                  ip-from: 198.51.100.0/24
                  priority: 100
                  route-table: 254
                  fwmark: 0x30
                  fwmask: 0x10
                - {ip-from: "2001:db8:1::7/48", route-table: 300}
                - {ip-to: 203.0.113.9, action: prohibit}
                - {route-table: 300, state: absent}
            """);

        assertThat(state.routeRules()).containsExactly(
            new RouteRule("ipv4", "198.51.100.0/24", "192.0.2.0/24", 100L, 254L, 0x30L, 0x10L, null, null, null, false),
            new RouteRule("ipv6", "2001:db8:1::/48", null, null, 300L, null, null, null, null, null, false),
            new RouteRule("ipv4", null, "203.0.113.9/32", null, null, null, null, null, "prohibit", null, false),
            new RouteRule(null, null, null, null, 300L, null, null, null, null, null, true));
        assertThat(NmstateParser.parse(NmstateWriter.toYaml(state))).isEqualTo(state);
        assertThat(NmstateParser.parse("route-rules: {config: [{ip-from: 198.51.100.0/24}]}").routeRules().get(0).routeTable())
            .as("neither a table nor an action: the main table, as nmstate says").isEqualTo(254L);
    }

    @Test
    void readsResolverOptionsAndTakesAnEmptyConfigForRemovingEverything() {
        DnsConfig dns = NmstateParser.parse("""
            dns-resolver:
              config:
                search: [example.com]
                options: [rotate, "ndots:2", trust-ad]
            """).dns();
        assertThat(dns.servers()).as("not mentioned, so left alone").isNull();
        assertThat(dns.options()).containsExactly("rotate", "ndots:2", "trust-ad");

        assertThat(NmstateParser.parse("dns-resolver: {config: {}}").dns()).as("nmstate's way to remove every entry")
            .isEqualTo(new DnsConfig(List.of(), List.of(), List.of()));
        assertThat(NmstateParser.parse("dns-resolver: {config: {options: []}}").dns())
            .isEqualTo(new DnsConfig(null, null, List.of()));
    }

    @Test
    void writesDocumentsThatReadBackToTheSameState() {
        NetworkState state = NmstateParser.parse(BOND_DOCUMENT);
        assertThat(NmstateParser.parse(NmstateWriter.toYaml(state))).isEqualTo(state);
        assertThat(NmstateParser.parse(NmstateWriter.toJson(state))).isEqualTo(state);
    }

    @Test
    void canonicalJsonIsTheSameForDocumentsThatDifferOnlyInLayout() {
        String compact = "{\"interfaces\":[{\"name\":\"eth0\",\"mtu\":9000,\"type\":\"ethernet\"}]}";
        String yaml = "interfaces:\n- type: ethernet\n  name: eth0\n  mtu: \"9000\"\n";
        assertThat(NmstateWriter.toJson(NmstateParser.parse(compact)))
            .isEqualTo(NmstateWriter.toJson(NmstateParser.parse(yaml)));
    }

    @Test
    void rejectsAWrongValueNamingItsPathAndTheValue() {
        assertThatThrownBy(() -> NmstateParser.parse("interfaces: [{name: eth0, ipv4: {address: [{ip: 10.0.0.1, prefix-length: 40}]}}]"))
            .isInstanceOf(InvalidStateException.class)
            .hasMessage("interfaces[0].ipv4.address[0].prefix-length: 40 is not allowed: must be an integer from 0 to 32");
        assertThatThrownBy(() -> NmstateParser.parse("interfaces: [{name: eth0, mtu: big}]"))
            .hasMessage("interfaces[0].mtu: \"big\" is not allowed: must be an integer from 68 to 65535");
        assertThatThrownBy(() -> NmstateParser.parse("interfaces: [{name: eth0, type: wifi}]"))
            .hasMessageStartingWith("interfaces[0].type: \"wifi\" is not allowed: "
                + "'wifi' is not an interface type (supported: ethernet, bond,");
    }

    @Test
    void rejectsUnknownFieldsInsteadOfIgnoringThem() {
        assertThatThrownBy(() -> NmstateParser.parse("interfaces: [{name: eth0, mut: 9000}]"))
            .hasMessageStartingWith("interfaces[0].mut: \"mut\" is not allowed: unknown field of an interface; did you mean mtu?");
    }

    @Test
    void rejectsEtsBandwidthThatDoesNotAddUpTo100() {
        assertThatThrownBy(() -> NmstateParser.parse("""
            interfaces:
            - name: ens8f0np0
              ieee-8021Qaz:
                ets:
                  traffic-class:
                  - {traffic-class: 0, bandwidth: 50, algorithm: enhanced-transmission-selection}
                  - {traffic-class: 3, bandwidth: 40, algorithm: enhanced-transmission-selection}
            """)).hasMessage("interfaces[0].ieee-8021Qaz.ets.traffic-class: bandwidth sum 90 is not allowed: "
                + "the bandwidths of the ETS traffic classes must add up to 100");
    }

    @Test
    void rejectsTheOldExecutorSpellingOfTheDcbBlock() {
        assertThatThrownBy(() -> NmstateParser.parse("""
            interfaces:
            - name: ens8f0np0
              ieee-802-1qaz: {ets: {priority-group: [0,0,0,0,1,1,1,1], group-bandwidth: [50,50,0,0,0,0,0,0]}}
            """)).hasMessageStartingWith("interfaces[0].ieee-802-1qaz: \"ieee-802-1qaz\" is not allowed: unknown field of an interface; "
                + "did you mean ieee-8021Qaz?");
    }

    @Test
    void rejectsTheSameInterfaceListedTwice() {
        assertThatThrownBy(() -> NmstateParser.parse("interfaces: [{name: eth0}, {name: eth0}]"))
            .hasMessage("interfaces[1].name: \"eth0\" is not allowed: interface names must be unique; already defined at interfaces[0]");
    }

    @Test
    void verificationNamesEveryDifferenceInTheUsersTerms() {
        NetworkState desired = NmstateParser.parse("""
            interfaces:
            - name: eth0
              mtu: 9000
              ipv4: {enabled: true, address: [{ip: 10.0.0.5, prefix-length: 24}]}
            """);
        NetworkState current = new NetworkState(List.of(InterfaceSpec.builder("eth0").type(InterfaceType.ETHERNET)
            .state(InterfaceState.UP).mtu(1500)
            .ipv4(IpConfig.staticAddresses(false, List.of(new IpAddress("10.0.0.6", 24)))).build()),
            List.of(), List.of(), null);
        assertThat(StateVerifier.mismatches(desired, current)).containsExactly(
            "Interface eth0: MTU 9000 exceeds the maximum supported by the driver (the interface kept MTU 1500)",
            "Interface eth0: IPv4 addresses are [10.0.0.6/24], desired [10.0.0.5/24]");
    }
}
