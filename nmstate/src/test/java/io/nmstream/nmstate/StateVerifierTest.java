package io.nmstream.nmstate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nmstream.nmstate.Ieee8021QazConfig.TrafficClass;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The verifier, validator and merger on the interface types and blocks beyond plain ethernet, bond, VLAN and bridge. */
class StateVerifierTest {

    private static final Ieee8021QazConfig ROCE = new Ieee8021QazConfig(List.of(3), 0, List.of(
        new TrafficClass(0, 70, Ieee8021QazConfig.ETS), new TrafficClass(3, 30, Ieee8021QazConfig.ETS)));

    private static InterfaceSpec.Builder up(String name, InterfaceType type) {
        return InterfaceSpec.builder(name).type(type).state(InterfaceState.UP);
    }

    private static NetworkState state(InterfaceSpec... interfaces) {
        return new NetworkState(List.of(interfaces), List.of(), List.of(), null);
    }

    /** An ipv4 block as a document writes it. */
    private static IpConfig ip(String block) {
        return NmstateParser.parse("interfaces: [{name: eth0, ipv4: " + block + "}]").find("eth0").orElseThrow().ipv4();
    }

    private static IpConfig address(String ip) {
        return IpConfig.staticAddresses(false, List.of(new IpAddress(ip, 24)));
    }

    @Test
    void dhcpSettingsAreVerifiedAsTheHostReportsThem() {
        IpConfig dhcp = ip("{enabled: true, dhcp: true, address: [], auto-dns: true, auto-routes: true, auto-gateway: true, "
            + "auto-route-metric: 150, auto-route-table-id: 200, dhcp-client-id: iaid+duid}");
        IpConfig hostDhcp = ip("{enabled: true, dhcp: true, address: [], auto-dns: true, auto-routes: true, auto-gateway: true, "
            + "auto-route-metric: 100, dhcp-client-id: ll}");
        NetworkState want = state(up("eth0", InterfaceType.ETHERNET).ipv4(dhcp).build());

        assertThat(StateVerifier.mismatches(want, state(up("eth0", InterfaceType.ETHERNET).ipv4(hostDhcp).build()))).containsExactly(
            "Interface eth0: IPv4 auto-route-metric is 100, desired 150", "Interface eth0: IPv4 auto-route-table-id is unset, desired 200",
            "Interface eth0: IPv4 dhcp-client-id is ll, desired iaid+duid");
        NetworkState mainTable = state(up("eth0", InterfaceType.ETHERNET)
            .ipv4(ip("{enabled: true, dhcp: true, auto-route-table-id: 0}")).build());
        assertThat(StateVerifier.mismatches(mainTable, state(up("eth0", InterfaceType.ETHERNET).ipv4(hostDhcp).build())))
            .as("table 0 is the main table, which the host reads back as unset").isEmpty();
    }

    @Test
    void addressesOthersAddedAreAcceptedAsNmstateAcceptsThemUnlessAllowExtraAddressIsFalse() {
        IpAddress configured = new IpAddress("192.0.2.1", 24);
        IpAddress vip = new IpAddress("192.0.2.250", 24);
        NetworkState host = state(up("eth0", InterfaceType.ETHERNET).ipv4(IpConfig.staticAddresses(false, List.of(configured, vip)))
            .build());
        IpConfig byDefault = IpConfig.staticAddresses(false, List.of(configured));
        IpConfig exactly = ip("{enabled: true, dhcp: false, address: [{ip: 192.0.2.1, prefix-length: 24}], allow-extra-address: false}");

        assertThat(StateVerifier.mismatches(state(up("eth0", InterfaceType.ETHERNET).ipv4(byDefault).build()), host)).isEmpty();
        assertThat(StateVerifier.mismatches(state(up("eth0", InterfaceType.ETHERNET).ipv4(exactly).build()), host)).containsExactly(
            "Interface eth0: IPv4 addresses are [192.0.2.1/24, 192.0.2.250/24], desired [192.0.2.1/24] and no other");
        assertThat(StateVerifier.mismatches(state(up("eth0", InterfaceType.ETHERNET).ipv4(address("192.0.2.7")).build()), host))
            .as("a desired address the host lacks is a mismatch either way")
            .containsExactly("Interface eth0: IPv4 addresses are [192.0.2.1/24, 192.0.2.250/24], desired [192.0.2.7/24]");
    }

    @Test
    void theTokenIsVerifiedAndAnEmptyOneMeansNone() {
        IpConfig withToken = new IpConfig(true, true, true, null, null, null, null, null, null, null, null, "eui64", null, null, null,
            "::1234");
        IpConfig without = new IpConfig(true, true, true, null, null, null, null, null, null, null, null, "eui64", null, null, null,
            null);
        IpConfig removed = NmstateParser.parse("interfaces: [{name: eth0, ipv6: {enabled: true, dhcp: true, autoconf: true, token: \"\"}}]")
            .find("eth0").orElseThrow().ipv6();

        assertThat(StateVerifier.mismatches(state(up("eth0", InterfaceType.ETHERNET).ipv6(withToken).build()),
            state(up("eth0", InterfaceType.ETHERNET).ipv6(without).build())))
            .containsExactly("Interface eth0: IPv6 token is unset, desired ::1234");
        assertThat(StateVerifier.mismatches(state(up("eth0", InterfaceType.ETHERNET).ipv6(removed).build()),
            state(up("eth0", InterfaceType.ETHERNET).ipv6(without).build()))).isEmpty();
        assertThat(StateVerifier.mismatches(state(up("eth0", InterfaceType.ETHERNET).ipv6(removed).build()),
            state(up("eth0", InterfaceType.ETHERNET).ipv6(withToken).build())))
            .containsExactly("Interface eth0: IPv6 token is ::1234, desired unset");
    }

    @Test
    void theDhcpHostNameIsVerifiedAndAnEmptyOneMeansTheHostsOwn() {
        IpConfig custom = ip("{enabled: true, dhcp: true, dhcp-send-hostname: true, dhcp-custom-hostname: web-7}");
        IpConfig hostsOwn = ip("{enabled: true, dhcp: true, dhcp-custom-hostname: \"\"}");
        IpConfig notSent = ip("{enabled: true, dhcp: true, dhcp-send-hostname: false}");
        NetworkState hostSendsWeb7 = state(up("eth0", InterfaceType.ETHERNET).ipv4(custom).build());
        NetworkState hostSendsItsOwn = state(up("eth0", InterfaceType.ETHERNET)
            .ipv4(ip("{enabled: true, dhcp: true, dhcp-send-hostname: true}")).build());

        assertThat(StateVerifier.mismatches(hostSendsWeb7, hostSendsWeb7)).isEmpty();
        assertThat(StateVerifier.mismatches(hostSendsWeb7, hostSendsItsOwn))
            .containsExactly("Interface eth0: IPv4 dhcp-custom-hostname is unset, desired web-7");
        assertThat(StateVerifier.mismatches(state(up("eth0", InterfaceType.ETHERNET).ipv4(hostsOwn).build()), hostSendsItsOwn)).isEmpty();
        assertThat(StateVerifier.mismatches(state(up("eth0", InterfaceType.ETHERNET).ipv4(hostsOwn).build()), hostSendsWeb7))
            .containsExactly("Interface eth0: IPv4 dhcp-custom-hostname is web-7, desired unset (the host's own name)");
        assertThat(StateVerifier.mismatches(state(up("eth0", InterfaceType.ETHERNET).ipv4(notSent).build()), hostSendsWeb7))
            .containsExactly("Interface eth0: IPv4 dhcp-send-hostname is true, desired false");
    }

    @Test
    void routeRulesMergeAsNmstateMergesThemWithPrioritiesAfterTheOthersAndVerifyByMatching() {
        RouteRule kept = new RouteRule("ipv4", "198.51.100.0/24", null, 30003L, 200L, null, null, null, null, null, false);
        RouteRule removed = new RouteRule("ipv4", "203.0.113.0/24", null, 30005L, 300L, null, null, null, null, null, false);
        NetworkState host = new NetworkState(List.of(), List.of(), List.of(), null, List.of(kept, removed));
        RouteRule added = new RouteRule("ipv6", "2001:db8::/32", null, null, 400L, null, null, null, null, null, false);
        NetworkState desired = new NetworkState(List.of(), List.of(), List.of(), null,
            List.of(added, new RouteRule(null, null, null, null, 300L, null, null, null, null, null, true)));

        NetworkState merged = StateMerger.merge(host, desired);

        assertThat(merged.routeRules()).as("the pattern removes the table-300 rule; the new one comes after those that stay")
            .containsExactly(kept, added.withPriority(30004));
        assertThat(StateVerifier.mismatches(desired, merged)).isEmpty();
        assertThat(StateMerger.merge(merged, desired).routeRules()).as("applied again, nothing changes").isEqualTo(merged.routeRules());
        assertThat(StateVerifier.mismatches(desired, host)).containsExactly(
            "Route rule family: ipv6 ip-from: 2001:db8::/32 route-table: 400: missing",
            "Route rule family: ipv4 ip-from: 203.0.113.0/24 priority: 30005 route-table: 300: still present, desired absent");
    }

    @Test
    void resolverOptionsMergeAsNmstateMergesThemAndVerifyInAnyOrder() {
        NetworkState host = new NetworkState(List.of(), List.of(), List.of(),
            new DnsConfig(List.of("192.0.2.53"), List.of("example.com"), List.of("rotate")));
        NetworkState optionsOnly = new NetworkState(List.of(), List.of(), List.of(),
            new DnsConfig(null, null, List.of("ndots:2", "edns0")));

        NetworkState merged = StateMerger.merge(host, optionsOnly);

        assertThat(merged.dns()).as("what the state does not mention stays")
            .isEqualTo(new DnsConfig(List.of("192.0.2.53"), List.of("example.com"), List.of("ndots:2", "edns0")));
        NetworkState readBack = new NetworkState(List.of(), List.of(), List.of(),
            new DnsConfig(List.of("192.0.2.53"), List.of("example.com"), List.of("edns0", "ndots:2")));
        assertThat(StateVerifier.mismatches(optionsOnly, readBack)).as("the resolver reads options in any order").isEmpty();
        assertThat(StateVerifier.mismatches(optionsOnly, host)).containsExactly("DNS: options are [rotate], desired [edns0, ndots:2]");

        NetworkState purge = new NetworkState(List.of(), List.of(), List.of(), DnsConfig.empty());
        assertThat(StateMerger.merge(host, purge).dns()).as("config: {} removes everything")
            .isEqualTo(new DnsConfig(List.of(), List.of(), null));
        assertThat(StateVerifier.mismatches(purge, host)).containsExactly(
            "DNS: name servers are [192.0.2.53], desired []", "DNS: search domains are [example.com], desired []",
            "DNS: options are [rotate], desired []");
        assertThat(StateVerifier.mismatches(purge, StateMerger.merge(host, purge))).isEmpty();
    }

    @Test
    void dcbMismatchesAreNamedInTheUsersTerms() {
        NetworkState want = state(up("ens8f0np0", InterfaceType.ETHERNET).dcb(ROCE).build());
        NetworkState have = state(up("ens8f0np0", InterfaceType.ETHERNET).dcb(new Ieee8021QazConfig(List.of(3, 4), null, List.of(
            new TrafficClass(0, 100, Ieee8021QazConfig.ETS)))).build());

        assertThat(StateVerifier.mismatches(want, have)).containsExactly(
            "Interface ens8f0np0: ieee-8021Qaz PFC is enabled for priorities [3, 4], desired [3]",
            "Interface ens8f0np0: ieee-8021Qaz ETS traffic classes are [0 (100%, enhanced-transmission-selection)], desired "
                + "[0 (70%, enhanced-transmission-selection), 3 (30%, enhanced-transmission-selection)]");
        assertThat(StateVerifier.mismatches(want, state(up("ens8f0np0", InterfaceType.ETHERNET).dcb(
            new Ieee8021QazConfig(List.of(3), null, List.of(ROCE.trafficClasses().get(1), ROCE.trafficClasses().get(0)))).build())))
            .as("a host that cannot report the PFC delay, classes in another order").isEmpty();
    }

    @Test
    void sriovAndBridgeOptionMismatchesNameTheFieldAndBothValues() {
        NetworkState want = state(
            up("ens8f0np0", InterfaceType.ETHERNET).ethernet(new EthernetConfig(null, null, null, new EthernetConfig.Sriov(4,
                List.of(new EthernetConfig.Vf(1, null, null, true, null, null, 100, 3)), null))).build(),
            up("br0", InterfaceType.LINUX_BRIDGE).bridge(new BridgeConfig(new BridgeConfig.Options(false, 10, null, null, null, null,
                null), List.of(new BridgeConfig.Port("eth1", new BridgeConfig.PortVlan("access", 30, null, null)))))
                .build());
        NetworkState have = state(
            up("ens8f0np0", InterfaceType.ETHERNET).ethernet(new EthernetConfig(null, null, null, new EthernetConfig.Sriov(2,
                List.of(new EthernetConfig.Vf(1, null, null, false, null, null, 100, 3)), null))).build(),
            up("br0", InterfaceType.LINUX_BRIDGE).bridge(new BridgeConfig(new BridgeConfig.Options(false, 15, 2, 20, 32768, 300, true),
                List.of(BridgeConfig.Port.named("eth1")))).build(),
            up("eth1", InterfaceType.ETHERNET).controller("br0").build());

        assertThat(StateVerifier.mismatches(want, have)).containsExactly(
            "Interface ens8f0np0: SR-IOV total-vfs is 2, desired 4",
            "Interface ens8f0np0: SR-IOV VF 1 trust is false, desired true",
            "Interface br0: bridge stp forward-delay is 15, desired 10",
            "Interface br0: port eth1 VLANs are not filtered, desired access tag 30");
    }

    @Test
    void vrfMacVlanAndVxlanAreVerifiedFieldByField() {
        NetworkState want = state(
            up("vrf1", InterfaceType.VRF).vrf(new VrfConfig(List.of("eth1"), 10L)).build(),
            up("mac0", InterfaceType.MAC_VLAN).macVlan(new MacVlanConfig("eth1", "bridge", null)).build(),
            up("vx0", InterfaceType.VXLAN).vxlan(new VxlanConfig(5, null, "192.0.2.2", null, null, null)).build());
        NetworkState have = state(
            up("vrf1", InterfaceType.VRF).vrf(new VrfConfig(List.of(), 11L)).build(),
            up("eth1", InterfaceType.ETHERNET).build(),
            up("mac0", InterfaceType.MAC_VLAN).macVlan(new MacVlanConfig("eth1", "vepa", true)).build(),
            up("vx0", InterfaceType.VXLAN).vxlan(new VxlanConfig(5, "eth1", "192.0.2.2", null, 4789, true)).build());

        assertThat(StateVerifier.mismatches(want, have)).containsExactly(
            "Interface vrf1: vrf route-table-id is 11, desired 10",
            "Interface vrf1: ports are [], desired [eth1]",
            "Interface eth1: is not a port of vrf1",
            "Interface mac0: mac-vlan mode is vepa, desired bridge");
    }

    @Test
    void newStackedInterfacesNeedABaseThatExistsAndNewVrfsAndVethsNeedTheirKeyFields() {
        NetworkState host = state(up("eth1", InterfaceType.ETHERNET).build());
        NetworkState desired = state(
            up("mac0", InterfaceType.MAC_VLAN).macVlan(new MacVlanConfig("eth9", "bridge", null)).build(),
            up("mac1", InterfaceType.MAC_VLAN).macVlan(new MacVlanConfig(null, "bridge", null)).build(),
            up("vx0", InterfaceType.VXLAN).vxlan(new VxlanConfig(null, "eth1", "192.0.2.2", null, null, null)).build(),
            up("vrf1", InterfaceType.VRF).vrf(new VrfConfig(List.of("eth1"), null)).build(),
            up("veth0", InterfaceType.VETH).build(),
            up("eth1", InterfaceType.ETHERNET).macVlan(new MacVlanConfig("eth9", null, null)).build());

        assertThatThrownBy(() -> StateValidator.validate(desired, host)).isInstanceOf(InvalidStateException.class)
            .hasMessageContaining("Interface mac0: mac-vlan.base-iface eth9 does not exist on this node")
            .hasMessageContaining("Interface mac1: mac-vlan.base-iface is required for a new interface of this type")
            .hasMessageContaining("Interface vx0: vxlan.id is required for a new VXLAN")
            .hasMessageContaining("Interface vrf1: vrf.route-table-id is required for a new VRF")
            .hasMessageContaining("Interface veth0: veth.peer is required for a new veth")
            .hasMessageContaining("Interface eth1: mac-vlan is only valid on a mac-vlan");
    }

    @Test
    void aBaseCreatedInTheSameStateIsEnoughAndAVrfsPortMayKeepItsAddress() {
        NetworkState host = state(up("eth1", InterfaceType.ETHERNET).build());
        NetworkState desired = state(
            up("veth0", InterfaceType.VETH).vethPeer("veth0p").build(),
            up("mac0", InterfaceType.MAC_VLAN).macVlan(new MacVlanConfig("veth0", "bridge", null)).build(),
            up("vrf1", InterfaceType.VRF).vrf(new VrfConfig(List.of("eth1"), 10L)).build(),
            up("eth1", InterfaceType.ETHERNET).ipv4(address("192.0.2.1")).build());

        StateValidator.validate(desired, host);
    }

    @Test
    void mergeKeepsAVrfPortsAddressAndCreatesAVethsPeer() {
        NetworkState host = state(up("eth1", InterfaceType.ETHERNET).ipv4(address("192.0.2.1")).build());
        NetworkState desired = state(
            up("vrf1", InterfaceType.VRF).vrf(new VrfConfig(List.of("eth1"), 10L)).build(),
            up("veth0", InterfaceType.VETH).vethPeer("veth0p").build());

        NetworkState merged = StateMerger.merge(host, desired);

        InterfaceSpec eth1 = merged.find("eth1").orElseThrow();
        assertThat(eth1.controller()).isEqualTo("vrf1");
        assertThat(eth1.ipv4().addresses()).containsExactly(new IpAddress("192.0.2.1", 24));
        InterfaceSpec peer = merged.find("veth0p").orElseThrow();
        assertThat(peer.type()).isEqualTo(InterfaceType.VETH);
        assertThat(peer.vethPeer()).isEqualTo("veth0");
        assertThat(peer.effectiveState()).isEqualTo(InterfaceState.UP);
    }
    @Test
    void anInterfaceThatStaysABridgePortOnTheHostCannotBeGivenAnAddress() {
        NetworkState host = state(
            up("br1", InterfaceType.LINUX_BRIDGE).bridge(new BridgeConfig(null, List.of(BridgeConfig.Port.named("eth1"))))
                .ipv4(address("192.0.2.1")).build(),
            up("eth1", InterfaceType.ETHERNET).controller("br1").ipv4(IpConfig.disabled()).build(),
            up("eth2", InterfaceType.ETHERNET).build());
        InterfaceSpec eth1WithAddress = up("eth1", InterfaceType.ETHERNET).ipv4(address("192.0.2.5")).build();

        assertThatThrownBy(() -> StateValidator.validate(state(eth1WithAddress), host)).isInstanceOf(InvalidStateException.class)
            .hasMessage("Interface eth1: a port of br1 cannot have IP addresses of its own; give them to br1, or take eth1 out "
                + "of br1's ports in the same state");
        StateValidator.validate(state(eth1WithAddress, InterfaceSpec.builder("br1").state(InterfaceState.ABSENT).build()), host);
        StateValidator.validate(state(eth1WithAddress, up("br1", InterfaceType.LINUX_BRIDGE)
            .bridge(new BridgeConfig(null, List.of(BridgeConfig.Port.named("eth2")))).build()), host);
        StateValidator.validate(state(up("eth1", InterfaceType.ETHERNET).mtu(9000).ipv4(IpConfig.disabled()).build()), host);
    }

    @Test
    void aVlanOrMacVlanIsRefusedAnMtuAboveItsBasesAsTheStateLeavesTheBase() {
        NetworkState host = state(up("eth1", InterfaceType.ETHERNET).mtu(1500).build(),
            up("eth1.10", InterfaceType.VLAN).mtu(1500).vlan(new VlanConfig("eth1", 10)).build());
        InterfaceSpec jumboMacVlan = up("mv0", InterfaceType.MAC_VLAN).mtu(9000).macVlan(new MacVlanConfig("eth1", "bridge", null)).build();

        assertThatThrownBy(() -> StateValidator.validate(state(jumboMacVlan), host)).isInstanceOf(InvalidStateException.class)
            .hasMessage("Interface mv0: mtu 9000 is above the MTU of its base interface eth1 (1500); a mac-vlan's MTU cannot exceed "
                + "its base's: raise eth1's mtu in the same state, or lower this one");
        assertThatThrownBy(() -> StateValidator.validate(state(up("eth1.10", InterfaceType.VLAN).mtu(1501).build()), host))
            .as("an existing VLAN, its base taken from the host").isInstanceOf(InvalidStateException.class)
            .hasMessageStartingWith("Interface eth1.10: mtu 1501 is above the MTU of its base interface eth1 (1500); a vlan's MTU");
        StateValidator.validate(state(jumboMacVlan, up("eth1", InterfaceType.ETHERNET).mtu(9000).build()), host);
        StateValidator.validate(state(up("mv0", InterfaceType.MAC_VLAN).mtu(1500).macVlan(new MacVlanConfig("eth1", "bridge", null))
            .build()), host);
    }

    @Test
    void anInterfaceThatStaysAVrfPortOnTheHostMayBeGivenAnAddress() {
        NetworkState host = state(
            up("vrf1", InterfaceType.VRF).vrf(new VrfConfig(List.of("eth1"), 10L)).build(),
            up("eth1", InterfaceType.ETHERNET).controller("vrf1").build());

        StateValidator.validate(state(up("eth1", InterfaceType.ETHERNET).ipv4(address("192.0.2.5")).build()), host);
    }
    @Test
    void anAbsentDefaultRouteWithANewOneChangesTheGatewayWhateverTheirOrder() {
        NetworkState host = new NetworkState(List.of(up("eth0", InterfaceType.ETHERNET).ipv4(address("192.0.2.10")).build()),
            List.of(Route.via("0.0.0.0/0", "eth0", "192.0.2.1")), List.of(Route.via("0.0.0.0/0", "eth0", "192.0.2.1")), null);
        Route allDefaults = new Route("0.0.0.0/0", null, null, null, null, true);
        Route newGateway = Route.via("0.0.0.0/0", "eth0", "192.0.2.254");

        for (List<Route> routes : List.of(List.of(allDefaults, newGateway), List.of(newGateway, allDefaults))) {
            NetworkState desired = new NetworkState(List.of(), routes, List.of(), null);
            NetworkState after = StateMerger.merge(host, desired);
            assertThat(after.routes()).as("merged, in the order " + routes).containsExactly(newGateway);
            assertThat(StateVerifier.mismatches(desired, after)).as("verified, in the order " + routes).isEmpty();
        }
        NetworkState removeAll = new NetworkState(List.of(), List.of(allDefaults), List.of(), null);
        assertThat(StateVerifier.mismatches(removeAll, host)).as("a default route the state does not add must go")
            .containsExactly("Route 0.0.0.0/0 via 192.0.2.1 dev eth0: still present, desired absent");
    }

    @Test
    void routesLeaveWithTheFamilyOfTheInterfaceTheyLeaveThroughAndStayWhereItIsUntouched() {
        NetworkState host = new NetworkState(List.of(
            up("eth0", InterfaceType.ETHERNET).ipv4(address("192.0.2.10")).ipv6(IpConfig.staticAddresses(true,
                List.of(new IpAddress("2001:db8::10", 64)))).build(),
            up("eth1", InterfaceType.ETHERNET).ipv4(address("198.51.100.10")).build(),
            up("eth2", InterfaceType.ETHERNET).ipv4(IpConfig.disabled()).build()),
            List.of(Route.via("0.0.0.0/0", "eth0", "192.0.2.1"), Route.via("::/0", "eth0", "2001:db8::1"),
                Route.via("203.0.113.0/24", "eth1", "198.51.100.1"), Route.via("10.8.0.0/16", "eth2", "192.0.2.1")),
            List.of(), null);

        NetworkState ipv4Off = StateMerger.merge(host, state(up("eth0", InterfaceType.ETHERNET).ipv4(IpConfig.disabled()).build()));
        assertThat(ipv4Off.routes()).as("eth0's IPv4 route goes, its IPv6 one and the untouched eth2's stay")
            .containsExactly(Route.via("::/0", "eth0", "2001:db8::1"), Route.via("203.0.113.0/24", "eth1", "198.51.100.1"),
                Route.via("10.8.0.0/16", "eth2", "192.0.2.1"));

        NetworkState mtuOnly = StateMerger.merge(host, state(up("eth2", InterfaceType.ETHERNET).mtu(9000).build()));
        assertThat(mtuOnly.routes()).as("eth2's IPv4 was off already and is not named: its profile keeps its routes")
            .contains(Route.via("10.8.0.0/16", "eth2", "192.0.2.1"));

        NetworkState bridged = StateMerger.merge(host, state(up("br1", InterfaceType.LINUX_BRIDGE).ipv4(address("198.51.100.10"))
            .bridge(new BridgeConfig(null, List.of(BridgeConfig.Port.named("eth1")))).build()));
        assertThat(bridged.routes()).as("a port has no routes of its own").doesNotContain(
            Route.via("203.0.113.0/24", "eth1", "198.51.100.1")).contains(Route.via("0.0.0.0/0", "eth0", "192.0.2.1"));
    }

    @Test
    void aRouteThroughAnInterfaceWithoutItsFamilyIsRefused() {
        NetworkState host = state(
            up("eth0", InterfaceType.ETHERNET).ipv4(address("192.0.2.10")).ipv6(IpConfig.disabled()).build(),
            up("eth1", InterfaceType.ETHERNET).ipv4(address("198.51.100.10")).build());
        NetworkState desired = new NetworkState(List.of(
            up("br1", InterfaceType.LINUX_BRIDGE).ipv4(address("198.51.100.10"))
                .bridge(new BridgeConfig(null, List.of(BridgeConfig.Port.named("eth1")))).build()),
            List.of(Route.via("2001:db8:5::/48", "eth0", "2001:db8::1"), Route.via("203.0.113.0/24", "eth1", "198.51.100.1"),
                Route.via("192.0.2.0/26", "br1", "198.51.100.1")),
            List.of(), null);

        assertThatThrownBy(() -> StateValidator.validate(desired, host)).isInstanceOf(InvalidStateException.class)
            .hasMessage("routes.config[0]: next-hop-interface eth0 has IPv6 disabled; a route needs IPv6 enabled on the interface "
                + "it leaves through; routes.config[1]: next-hop-interface eth1 has IPv4 disabled as a port of br1; a route needs "
                + "IPv4 enabled on the interface it leaves through");
    }
    @Test
    void ipv4EnabledWithNeitherAnAddressNorDhcpIsOffOnTheHostAndCarriesNoRoutes() {
        NetworkState host = state(
            up("eth1", InterfaceType.ETHERNET).ipv4(IpConfig.disabled()).ipv6(IpConfig.disabled()).build(),
            up("eth2", InterfaceType.ETHERNET).ipv4(address("198.51.100.10")).ipv6(IpConfig.disabled()).build());
        IpConfig nothing = new IpConfig(true, false, null, List.of(), null, null, null);
        NetworkState desired = state(
            up("eth1", InterfaceType.ETHERNET).ipv4(nothing).ipv6(new IpConfig(true, false, false, List.of(), null, null, null))
                .build(),
            up("eth2", InterfaceType.ETHERNET).ipv4(new IpConfig(true, false, null, null, null, null, null)).build());

        NetworkState after = StateMerger.merge(host, desired);
        assertThat(after.find("eth1").orElseThrow().ipv4().isEnabled()).as("IPv4 off, as NetworkManager's method disabled").isFalse();
        assertThat(after.find("eth1").orElseThrow().ipv6().isEnabled()).as("IPv6 keeps its link-local address").isTrue();
        assertThat(after.find("eth2").orElseThrow().ipv4().addresses()).as("no address given: the host's stays")
            .containsExactly(new IpAddress("198.51.100.10", 24));
        assertThat(StateVerifier.mismatches(desired, after)).isEmpty();
        assertThat(StateVerifier.mismatches(state(up("eth1", InterfaceType.ETHERNET).ipv4(address("192.0.2.7")).build()), after))
            .containsExactly("Interface eth1: IPv4 is disabled, desired enabled");

        NetworkState routed = new NetworkState(desired.interfaces(), List.of(Route.via("203.0.113.0/24", "eth1", "192.0.2.1")),
            List.of(), null);
        assertThatThrownBy(() -> StateValidator.validate(routed, host)).isInstanceOf(InvalidStateException.class)
            .hasMessage("routes.config[0]: next-hop-interface eth1 has IPv4 disabled as it gets no IPv4 address (none given, no "
                + "DHCP); a route needs IPv4 enabled on the interface it leaves through");
    }

    @Test
    void ipv6AutoconfNeedsDhcpv6OnTheNodeAsWell() {
        NetworkState host = state(up("eth1", InterfaceType.ETHERNET).ipv6(IpConfig.staticAddresses(true,
            List.of(new IpAddress("2001:db8::7", 64)))).build());
        IpConfig autoconfOnly = new IpConfig(true, null, true, null, null, null, null);

        assertThatThrownBy(() -> StateValidator.validate(state(up("eth1", InterfaceType.ETHERNET).ipv6(autoconfOnly).build()), host))
            .isInstanceOf(InvalidStateException.class).hasMessage("Interface eth1: ipv6.autoconf without DHCPv6 is not supported (nor "
                + "by nmstate): set dhcp: true with it, as NetworkManager's method auto does both (DHCPv6 is off on this node)");
        StateValidator.validate(state(up("eth1", InterfaceType.ETHERNET).ipv6(new IpConfig(true, true, true, null, null, null, null))
            .build()), host);
    }

    @Test
    void stablePrivacyAddressesAreRefusedOnANodeWhoseInterfaceHasATokenUnlessTheSameBlockRemovesIt() {
        NetworkState host = state(up("eth1", InterfaceType.ETHERNET).ipv6(new IpConfig(true, true, true, null, null, null, null, null,
            null, null, null, "eui64", true, null, null, "::1234")).build());
        NetworkState stablePrivacy = NmstateParser.parse("interfaces: [{name: eth1, ipv6: {addr-gen-mode: stable-privacy}}]");

        assertThatThrownBy(() -> StateValidator.validate(stablePrivacy, host)).isInstanceOf(InvalidStateException.class)
            .hasMessage("Interface eth1: ipv6.addr-gen-mode stable-privacy cannot go with the token ::1234 this node has "
                + "(NetworkManager uses a token only with eui64); remove it with token: \"\" in the same block");
        StateValidator.validate(NmstateParser.parse("interfaces: [{name: eth1, ipv6: {addr-gen-mode: stable-privacy, token: \"\"}}]"),
            host);
        StateValidator.validate(NmstateParser.parse("interfaces: [{name: eth1, ipv6: {enabled: true, dhcp: false, autoconf: false, "
            + "address: [{ip: \"2001:db8::7\", prefix-length: 64}], addr-gen-mode: stable-privacy}}]"), host);
    }

    @Test
    void waitIpIsRefusedForAFamilyTheInterfaceHasOffOnTheNodeAndVerifiedAgainstTheHost() {
        NetworkState host = state(up("eth1", InterfaceType.ETHERNET).ipv4(address("192.0.2.7")).ipv6(IpConfig.disabled())
            .waitIp(WaitIp.ANY).build(), up("br0", InterfaceType.LINUX_BRIDGE).ipv4(address("192.0.2.8"))
            .bridge(new BridgeConfig(null, List.of(BridgeConfig.Port.named("eth2")))).build(),
            up("eth2", InterfaceType.ETHERNET).controller("br0").build());

        assertThatThrownBy(() -> StateValidator.validate(NmstateParser.parse("interfaces: [{name: eth1, wait-ip: ipv6}]"), host))
            .isInstanceOf(InvalidStateException.class).hasMessage("Interface eth1: wait-ip ipv6 waits for ipv6, which is disabled on this "
                + "node; enable it in the same state, or wait for another family");
        StateValidator.validate(NmstateParser.parse("interfaces: [{name: eth1, wait-ip: ipv4}]"), host);
        StateValidator.validate(NmstateParser.parse("interfaces: [{name: eth1, wait-ip: ipv6, ipv6: {enabled: true, dhcp: true, "
            + "autoconf: true}}]"), host);
        assertThatThrownBy(() -> StateValidator.validate(NmstateParser.parse("interfaces: [{name: eth2, wait-ip: any}]"), host))
            .isInstanceOf(InvalidStateException.class).hasMessage("Interface eth2: a port of br0 has no IP configuration of its own to "
                + "wait for; wait-ip belongs on br0");

        NetworkState want = NmstateParser.parse("interfaces: [{name: eth1, wait-ip: ipv4}]");
        assertThat(StateVerifier.mismatches(want, host)).containsExactly("Interface eth1: wait-ip is any, desired ipv4");
        assertThat(StateVerifier.mismatches(want, state(host.find("eth1").orElseThrow().toBuilder().waitIp(WaitIp.IPV4).build())))
            .isEmpty();
    }

    @Test
    void mptcpAddressFlagsAreVerifiedAgainstTheHost() {
        NetworkState host = state(up("eth1", InterfaceType.ETHERNET).mptcpAddressFlags(List.of(MptcpAddressFlag.SUBFLOW)).build(),
            up("eth2", InterfaceType.ETHERNET).build());

        assertThat(StateVerifier.mismatches(NmstateParser.parse("interfaces: [{name: eth1, mptcp: {address-flags: [subflow]}}]"), host))
            .isEmpty();
        assertThat(StateVerifier.mismatches(NmstateParser.parse("interfaces: [{name: eth1, mptcp: {address-flags: [signal, "
            + "backup]}}]"), host)).containsExactly("Interface eth1: mptcp.address-flags is [subflow], desired [signal, backup]");
        assertThat(StateVerifier.mismatches(NmstateParser.parse("interfaces: [{name: eth2, mptcp: {address-flags: []}}]"), host))
            .containsExactly("Interface eth2: mptcp.address-flags is unset, desired []");
    }

    @Test
    void acceptAllMacAddressesIsVerifiedAndRefusedOnAnExistingMacVlan() {
        NetworkState host = state(up("eth1", InterfaceType.ETHERNET).acceptAllMacAddresses(false).build(),
            up("mv0", InterfaceType.MAC_VLAN).macVlan(new MacVlanConfig("eth1", "vepa", true)).build());

        assertThat(StateVerifier.mismatches(NmstateParser.parse("interfaces: [{name: eth1, accept-all-mac-addresses: true}]"), host))
            .containsExactly("Interface eth1: accept-all-mac-addresses is false, desired true");
        assertThatThrownBy(() -> StateValidator.validate(NmstateParser.parse("interfaces: [{name: mv0, accept-all-mac-addresses: "
            + "false}]"), host)).isInstanceOf(InvalidStateException.class).hasMessage("Interface mv0: accept-all-mac-addresses is not "
            + "for a mac-vlan (it says it with mac-vlan.promiscuous)");
    }

    @Test
    void linuxBridgeOptionsAreVerifiedAgainstTheKernelsDefaultWhereTheHostLeavesThemOut() {
        NetworkState want = NmstateParser.parse("interfaces: [{name: br0, type: linux-bridge, bridge: {options: "
            + "{multicast-querier: true, hash-max: 4096, multicast-router: enabled}}}]");
        NetworkState host = state(up("br0", InterfaceType.LINUX_BRIDGE).bridge(new BridgeConfig(new BridgeConfig.Options(false, null,
            null, null, null, null, null, Map.of(LinuxBridgeOption.MULTICAST_ROUTER, "enabled")), List.of())).build());

        assertThat(StateVerifier.mismatches(want, host)).containsExactly("Interface br0: bridge multicast-querier is false, desired true");
    }

    @Test
    void copyMacFromTakesTheSourcesPermanentMacAddressOrItsCurrentOneAndNeedsTheSourceOnTheNode() {
        NetworkState host = state(up("eth1", InterfaceType.ETHERNET).macAddress("02:00:00:00:00:99")
            .permanentMacAddress("52:54:00:00:00:01").controller("bond0").build(),
            up("eth2", InterfaceType.ETHERNET).macAddress("52:54:00:00:00:02").build());
        NetworkState bond = NmstateParser.parse("interfaces: [{name: bond0, type: bond, copy-mac-from: eth1, link-aggregation: "
            + "{mode: active-backup, port: [eth1]}}, {name: br0, type: linux-bridge, copy-mac-from: eth2, bridge: {port: []}}]");

        StateValidator.validate(bond, host);
        NetworkState applied = StateMerger.asApplied(bond, host);
        assertThat(applied.find("bond0").orElseThrow().macAddress()).as("a bond port shows the bond's MAC; its own is the permanent one")
            .isEqualTo("52:54:00:00:00:01");
        assertThat(applied.find("br0").orElseThrow().macAddress()).as("no permanent one (a veth): the current one")
            .isEqualTo("52:54:00:00:00:02");
        assertThat(applied.find("br0").orElseThrow().copyMacFrom()).isNull();
        assertThatThrownBy(() -> StateValidator.validate(NmstateParser.parse("interfaces: [{name: br0, type: linux-bridge, "
            + "copy-mac-from: eth9, bridge: {port: []}}]"), host)).isInstanceOf(InvalidStateException.class)
            .hasMessage("Interface br0: copy-mac-from eth9: no such interface with a MAC address on this node");
    }

    @Test
    void whatIsStackedOnARemovedVirtualInterfaceGoesWithItAndWhatIsStackedOnAnEthernetStays() {
        NetworkState host = state(
            up("eth1", InterfaceType.ETHERNET).build(),
            up("bond0", InterfaceType.BOND).build(),
            up("bond0.102", InterfaceType.VLAN).vlan(new VlanConfig("bond0", 102)).build(),
            up("mac0", InterfaceType.MAC_VLAN).macVlan(new MacVlanConfig("bond0", "bridge", null)).build(),
            up("eth1.7", InterfaceType.VLAN).vlan(new VlanConfig("eth1", 7)).build());

        NetworkState withoutBond = StateMerger.merge(host, state(InterfaceSpec.named("bond0", null, InterfaceState.ABSENT)));
        assertThat(withoutBond.interfaces()).extracting(InterfaceSpec::name).containsExactly("eth1", "eth1.7");
        assertThat(OrphanedInterfaces.removedWithTheirBase(state(InterfaceSpec.named("bond0", null, InterfaceState.ABSENT)), host)
            .interfaces()).extracting(InterfaceSpec::name, InterfaceSpec::state).containsExactly(
                org.assertj.core.groups.Tuple.tuple("bond0", InterfaceState.ABSENT),
                org.assertj.core.groups.Tuple.tuple("bond0.102", InterfaceState.ABSENT),
                org.assertj.core.groups.Tuple.tuple("mac0", InterfaceState.ABSENT));

        NetworkState withoutEth1 = StateMerger.merge(host, state(InterfaceSpec.named("eth1", null, InterfaceState.ABSENT)));
        assertThat(withoutEth1.find("eth1.7")).as("a VLAN may stay on an ethernet taken down").isPresent();
        NetworkState movedMac = StateMerger.merge(host, state(InterfaceSpec.named("bond0", null, InterfaceState.ABSENT),
            up("mac0", InterfaceType.MAC_VLAN).macVlan(new MacVlanConfig("eth1", "bridge", null)).build()));
        assertThat(movedMac.find("mac0").orElseThrow().macVlan().baseIface()).as("named in the state: moved, not removed")
            .isEqualTo("eth1");
    }
}
