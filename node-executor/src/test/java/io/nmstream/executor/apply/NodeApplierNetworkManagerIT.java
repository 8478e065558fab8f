package io.nmstream.executor.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nmstream.nmstate.InterfaceSpec;
import io.nmstream.nmstate.InterfaceState;
import io.nmstream.nmstate.IpAddress;
import io.nmstream.nmstate.IpConfig;
import io.nmstream.nmstate.NetworkState;
import io.nmstream.nmstate.BridgeConfig;
import io.nmstream.nmstate.LinuxBridgeOption;
import io.nmstream.nmstate.NmstateParser;
import io.nmstream.nmstate.Route;
import io.nmstream.nmstate.RouteRule;
import io.nmstream.executor.nm.NetworkManagerBackend;
import io.nmstream.executor.sandbox.NetworkManagerSandbox;
import io.nmstream.executor.sandbox.NetworkManagerSandboxExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The apply pipeline against a real NetworkManager 1.42 in a network namespace; each test uses its own veths. */
@ExtendWith(NetworkManagerSandboxExtension.class)
class NodeApplierNetworkManagerIT {

    private final NetworkManagerSandbox sandbox;
    private NetworkManagerBackend nm;
    private NodeApplier applier;

    NodeApplierNetworkManagerIT(NetworkManagerSandbox sandbox) {
        this.sandbox = sandbox;
    }

    @BeforeEach
    void connect() {
        nm = NetworkManagerBackend.connect(sandbox.busAddress());
        applier = new NodeApplier(nm, 5, Duration.ofSeconds(1), CommitGate.OPEN);
    }

    @AfterEach
    void disconnect() {
        nm.close();
    }

    private String nmcli(String... args) {
        return Nmcli.run(sandbox, args);
    }

    private ApplyResult apply(String yaml) {
        return applier.apply(ApplyContext.manual("sandbox"), NmstateParser.parse(yaml), SandboxRequests.fromOutside());
    }

    @Test
    void staticIpv4AndIpv6WithJumboMtuOnAVeth() {
        ApplyResult result = apply("""
            interfaces:
            - name: v0
              type: ethernet
              state: up
              mtu: 9000
              ipv4: {enabled: true, dhcp: false, address: [{ip: 192.0.2.10, prefix-length: 24}]}
              ipv6: {enabled: true, dhcp: false, autoconf: false, address: [{ip: "2001:db8:0:1::10", prefix-length: 64}]}
            """);
        assertThat(result.pendingCheckpoint()).isNull();
        assertThat(nm.checkpoints()).isEmpty();
        String link = sandbox.ip("addr", "show", "dev", "v0");
        assertThat(link).contains("mtu 9000").contains("inet 192.0.2.10/24").contains("inet6 2001:db8:0:1::10/64");
        InterfaceSpec v0 = nm.currentState().find("v0").orElseThrow();
        assertThat(v0.effectiveState()).isEqualTo(InterfaceState.UP);
        assertThat(v0.mtu()).isEqualTo(9000);
    }

    @Test
    void aMacAddressIsSetOnTheLinkAndVerified() {
        apply("""
            interfaces:
            - name: v9
              type: ethernet
              mac-address: 02:00:00:aa:bb:09
              ipv4: {enabled: false}
              ipv6: {enabled: false}
            """);
        assertThat(sandbox.ip("link", "show", "dev", "v9")).contains("link/ether 02:00:00:aa:bb:09");
        assertThat(nm.currentState().find("v9").orElseThrow().macAddress()).isEqualTo("02:00:00:AA:BB:09");
    }

    @Test
    void routesAreAddedAndThenRemoved() {
        apply("""
            interfaces:
            - name: v2
              type: ethernet
              ipv4: {enabled: true, address: [{ip: 198.51.100.2, prefix-length: 24}]}
            routes:
              config:
              - {destination: 203.0.113.0/24, next-hop-interface: v2, next-hop-address: 198.51.100.1, metric: 150}
              - {destination: 192.0.2.128/25, next-hop-interface: v2, next-hop-address: 198.51.100.1}
            """);
        assertThat(sandbox.ip("route", "show", "dev", "v2")).contains("203.0.113.0/24 via 198.51.100.1").contains("192.0.2.128/25");
        assertThat(nm.currentState().routes()).contains(new Route("203.0.113.0/24", "v2", "198.51.100.1", 150L, null, false));

        apply("""
            routes:
              config:
              - {destination: 203.0.113.0/24, state: absent}
            """);
        String routes = sandbox.ip("route", "show", "dev", "v2");
        assertThat(routes).doesNotContain("203.0.113.0/24").contains("192.0.2.128/25 via 198.51.100.1");
    }

    @Test
    void nameServersOfBothFamiliesAndSearchDomainsAreKeptOnTheInterfaceThatHoldsThem() {
        apply("""
            dns-resolver:
              config:
                server: [192.0.2.53, "2001:db8:5::53"]
                search: [example.test]
            interfaces:
            - name: v5
              type: ethernet
              ipv4: {enabled: true, address: [{ip: 192.0.2.55, prefix-length: 24}]}
              ipv6: {enabled: true, autoconf: false, dhcp: false, address: [{ip: "2001:db8:5::55", prefix-length: 64}]}
            """);
        NetworkState now = nm.currentState();
        assertThat(now.dns().servers()).containsExactly("192.0.2.53", "2001:db8:5::53");
        assertThat(now.dns().searches()).containsExactly("example.test");

        // IPv6 first: NetworkManager orders name servers by family priority, which nmstate sets from the first server
        apply("""
            dns-resolver:
              config:
                server: ["2001:db8:5::53", 192.0.2.53]
            """);
        assertThat(nm.currentState().dns().servers()).containsExactly("2001:db8:5::53", "192.0.2.53");
        assertThat(nm.currentState().dns().searches()).containsExactly("example.test");
        String resolverOrder = nmcli().replaceAll("(?s).*DNS configuration:", "");
        assertThat(resolverOrder.indexOf("servers: 2001:db8:5::53")).as("NetworkManager's own DNS configuration:%n%s", resolverOrder)
            .isNotNegative().isLessThan(resolverOrder.indexOf("servers: 192.0.2.53"));
    }

    @Test
    void resolverOptionsReachNetworkManagersResolvConfAndAnEmptyConfigRemovesEveryEntry() throws Exception {
        apply("""
            dns-resolver:
              config:
                server: [192.0.2.63]
                search: [options.test]
                options: [rotate, "ndots:2"]
            interfaces:
            - name: v10
              type: ethernet
              ipv4: {enabled: true, address: [{ip: 192.0.2.65, prefix-length: 24}]}
            """);
        assertThat(sandbox.resolvConf()).contains("nameserver 192.0.2.63").contains("search options.test")
            .containsPattern("(?m)^options .*rotate").containsPattern("(?m)^options .*ndots:2");
        assertThat(nm.currentState().dns().options()).containsExactly("ndots:2", "rotate");

        // options alone: the servers and search domains stay
        apply("dns-resolver: {config: {options: [\"timeout:3\"]}}");
        assertThat(sandbox.resolvConf()).contains("nameserver 192.0.2.63").contains("search options.test")
            .containsPattern("(?m)^options .*timeout:3").doesNotContain("rotate");

        // nmstate's config: {} removes everything; before, nmstream accepted it and changed nothing
        apply("dns-resolver: {config: {}}");
        String emptied = sandbox.resolvConf();
        assertThat(emptied).doesNotContain("192.0.2.63").doesNotContain("options.test").doesNotContain("timeout:3");
        assertThat(nm.currentState().dns().servers()).isEmpty();
        assertThat(nm.currentState().dns().options()).isNull();
    }

    @Test
    void ipv4AddressesReorderedOrAddedAheadOfKeptOnesAreAllThereInTheirOrder() {
        apply("interfaces: [{name: v9, type: ethernet, ipv4: {enabled: true, address: [{ip: 192.0.2.91, prefix-length: 24}, "
            + "{ip: 192.0.2.92, prefix-length: 24}]}}]");

        // swapped: NetworkManager's reapply lost 192.0.2.92, to be the primary, and the apply was rolled back
        apply("interfaces: [{name: v9, type: ethernet, ipv4: {enabled: true, address: [{ip: 192.0.2.92, prefix-length: 24}, "
            + "{ip: 192.0.2.91, prefix-length: 24}]}}]");
        assertThat(sandbox.ip("-4", "-o", "addr", "show", "dev", "v9")).as("the first is the primary, the other secondary")
            .containsPattern("192\\.0\\.2\\.92/24 brd \\S+ scope global noprefixroute")
            .containsPattern("192\\.0\\.2\\.91/24 brd \\S+ scope global secondary");

        // a new first address: reapply did not add it at all
        apply("interfaces: [{name: v9, type: ethernet, ipv4: {enabled: true, address: [{ip: 192.0.2.90, prefix-length: 24}, "
            + "{ip: 192.0.2.92, prefix-length: 24}, {ip: 192.0.2.91, prefix-length: 24}]}}]");
        assertThat(sandbox.ip("-4", "-o", "addr", "show", "dev", "v9").lines().map(l -> l.split("\\s+")[3]).toList())
            .containsExactly("192.0.2.90/24", "192.0.2.92/24", "192.0.2.91/24");
    }

    @Test
    void anInterfaceAlreadyAsDesiredKeepsAnAddressOthersAddedUnlessAllowExtraAddressIsFalseAndOneThatDriftedIsRestored() {
        String v1 = "interfaces: [{name: v1, type: ethernet, ipv4: {enabled: true, address: [{ip: 192.0.2.11, prefix-length: 24}]}}]";
        apply(v1);
        // what keepalived does with a VIP
        sandbox.ip("addr", "add", "192.0.2.250/24", "dev", "v1");

        apply(v1);
        assertThat(sandbox.ip("-4", "-o", "addr", "show", "dev", "v1")).as("applied again, the VIP is still there")
            .contains("inet 192.0.2.11/24").contains("inet 192.0.2.250/24");

        apply("interfaces: [{name: v1, type: ethernet, mtu: 1400, ipv4: {enabled: true, address: [{ip: 192.0.2.11, prefix-length: 24}], "
            + "allow-extra-address: false}}]");
        assertThat(sandbox.ip("-4", "-o", "addr", "show", "dev", "v1")).as("only the desired address, and verified so")
            .contains("inet 192.0.2.11/24").doesNotContain("192.0.2.250");

        sandbox.ip("addr", "del", "192.0.2.11/24", "dev", "v1");
        apply(v1);
        assertThat(sandbox.ip("-4", "-o", "addr", "show", "dev", "v1")).as("its unchanged profile applied again")
            .contains("inet 192.0.2.11/24");
    }

    @Test
    void acceptAllMacAddressesPutsTheLinkInPromiscuousModeAndTakesItOut() {
        apply("interfaces: [{name: pm0, type: veth, veth: {peer: pm0p}, accept-all-mac-addresses: true, ipv4: {enabled: false}, "
            + "ipv6: {enabled: false}}]");
        assertThat(sandbox.ip("link", "show", "dev", "pm0")).as("the kernel's flags").contains("PROMISC");
        assertThat(nm.currentState().find("pm0").orElseThrow().acceptAllMacAddresses()).isTrue();

        apply("interfaces: [{name: pm0, accept-all-mac-addresses: false}]");
        assertThat(sandbox.ip("link", "show", "dev", "pm0")).doesNotContain("PROMISC");
        assertThat(nm.currentState().find("pm0").orElseThrow().acceptAllMacAddresses()).isFalse();
        apply("interfaces: [{name: pm0, state: absent}, {name: pm0p, state: absent}]");
    }

    @Test
    void aDownInterfacesInactiveProfileIsLeftAloneByDnsAndRouteChanges() {
        apply("""
            dns-resolver: {config: {server: [192.0.2.73]}}
            interfaces:
            - name: v11
              type: ethernet
              ipv4: {enabled: true, address: [{ip: 192.0.2.75, prefix-length: 24}]}
            routes:
              config:
              - {destination: 203.0.113.0/24, next-hop-interface: v11, next-hop-address: 192.0.2.1}
            """);
        apply("interfaces: [{name: v11, type: ethernet, state: down}]");
        assertThat(nm.currentState().find("v11").orElseThrow().effectiveState()).isEqualTo(InterfaceState.DOWN);

        apply("dns-resolver: {config: {server: [192.0.2.74]}}\ninterfaces: [{name: v10, type: ethernet, ipv4: {enabled: true, "
            + "address: [{ip: 192.0.2.76, prefix-length: 24}]}}]");
        assertThat(nm.currentState().find("v11").orElseThrow().effectiveState()).as("its inactive profile was rewritten and activated")
            .isEqualTo(InterfaceState.DOWN);
        assertThat(nm.currentState().dns().servers()).containsExactly("192.0.2.74");

        apply("routes: {config: [{destination: 203.0.113.0/24, state: absent}]}");
        assertThat(nm.currentState().find("v11").orElseThrow().effectiveState()).as("the same for an absent route")
            .isEqualTo(InterfaceState.DOWN);
        apply("dns-resolver: {config: {}}");
    }

    @Test
    void anInterfaceTakenDownKeepsWhatTheStateSaysInItsProfileAndComesUpWithIt() {
        apply("interfaces: [{name: v5, state: down, mtu: 1400}]");

        assertThat(nm.currentState().find("v5").orElseThrow().effectiveState()).isEqualTo(InterfaceState.DOWN);
        assertThat(nmcli("-g", "GENERAL.STATE", "device", "show", "v5")).as("not activated").doesNotStartWith("100");
        assertThat(nmcli("-g", "802-3-ethernet.mtu,connection.autoconnect", "connection", "show", "v5"))
            .as("the profile keeps the MTU, and does not bring the interface up by itself").isEqualTo("1400\nno");

        apply("interfaces: [{name: v5, state: up}]");

        assertThat(sandbox.ip("link", "show", "dev", "v5")).as("up with the MTU its profile kept").contains("mtu 1400");
        assertThat(nm.currentState().find("v5").orElseThrow().effectiveState()).isEqualTo(InterfaceState.UP);
        assertThat(nmcli("-g", "connection.autoconnect", "connection", "show", "v5")).isEqualTo("yes");
    }

    @Test
    void routeRulesReachTheKernelStayAsTheyAreWhenAppliedAgainAndGoWithAnAbsentPattern() {
        String policy = """
            interfaces:
            - name: v10
              type: ethernet
              ipv4: {enabled: true, address: [{ip: 192.0.2.65, prefix-length: 24}]}
            routes:
              config:
              - {destination: 198.51.100.0/24, next-hop-interface: v10, next-hop-address: 192.0.2.1, table-id: 200}
            route-rules:
              config:
              - {ip-from: 203.0.113.0/24, route-table: 200, fwmark: "0x30", fwmask: "0x10", priority: 100}
              - {ip-to: 10.66.0.0/16, action: blackhole}
            """;
        apply(policy);
        String rules = sandbox.ip("rule", "show");
        assertThat(rules).containsPattern("(?m)^100:\\s+from 203\\.0\\.113\\.0/24 fwmark 0x30/0x10 lookup 200")
            .containsPattern("(?m)^\\d+:\\s+from all to 10\\.66\\.0\\.0/16 blackhole");
        assertThat(nm.currentState().routeRules()).extracting(RouteRule::ipTo).containsExactlyInAnyOrder(null, "10.66.0.0/16");

        apply(policy);
        assertThat(sandbox.ip("rule", "show")).as("applied again, the rule without a priority keeps its own").isEqualTo(rules);

        apply("route-rules: {config: [{route-table: 200, state: absent}, {action: blackhole, state: absent}]}");
        assertThat(sandbox.ip("rule", "show")).doesNotContain("203.0.113.0/24").doesNotContain("10.66.0.0/16");
        assertThat(nm.currentState().routeRules()).isEmpty();
    }

    @Test
    void linuxBridgeWithTwoVethPortsIsLeftAloneWhenAppliedAgain() {
        String bridge = """
            interfaces:
            - name: br0
              type: linux-bridge
              state: up
              ipv4: {enabled: true, address: [{ip: 192.0.2.200, prefix-length: 24}]}
              bridge:
                options: {stp: {enabled: false}}
                port: [{name: v4}, {name: v6}]
            """;
        apply(bridge);
        assertThat(sandbox.ip("link", "show", "master", "br0")).contains("v4@v5").contains("v6@v7");
        assertThat(sandbox.ip("addr", "show", "dev", "br0")).contains("inet 192.0.2.200/24");
        NetworkState now = nm.currentState();
        assertThat(now.find("br0").orElseThrow().bridge().portNames()).containsExactlyInAnyOrder("v4", "v6");
        assertThat(now.find("v4").orElseThrow().controller()).isEqualTo("br0");

        // a VIP on the bridge: the profile written as it is (vlan-filtering off, which NetworkManager leaves out) is not reapplied
        sandbox.ip("addr", "add", "192.0.2.250/24", "dev", "br0");
        apply(bridge);
        assertThat(sandbox.ip("addr", "show", "dev", "br0")).contains("inet 192.0.2.200/24").contains("inet 192.0.2.250/24");
        assertThat(sandbox.ip("link", "show", "master", "br0")).contains("v4@v5").contains("v6@v7");
    }

    @Test
    void linuxBridgeGroupAndMulticastOptionsReachTheKernelAndABridgeSoConfiguredIsLeftAloneWhenAppliedAgain() {
        String bridge = """
            interfaces:
            - name: bo0
              type: linux-bridge
              ipv4: {enabled: true, address: [{ip: 198.51.100.20, prefix-length: 24}]}
              bridge:
                # the STP timers and ageing as node show reports them: the kernel's defaults, which GetSettings leaves out
                options: {stp: {enabled: false, forward-delay: 15, hello-time: 2, max-age: 20, priority: 32768}, mac-ageing-time: 300,
                          group-addr: "01:80:C2:00:00:0E", group-forward-mask: 16384, hash-max: 1024,
                          multicast-querier: true, multicast-router: enabled, multicast-last-member-count: 3,
                          multicast-last-member-interval: 200, multicast-query-use-ifaddr: true}
                port: []
            """;
        apply(bridge);
        assertThat(sandbox.ip("-d", "link", "show", "dev", "bo0")).as("the kernel's bridge attributes")
            .contains("group_fwd_mask 0x4000").contains("group_address 01:80:c2:00:00:0e").contains("mcast_router 2")
            .contains("mcast_query_use_ifaddr 1").contains("mcast_querier 1").contains("mcast_hash_max 1024")
            .contains("mcast_last_member_count 3").contains("mcast_last_member_interval 200");
        BridgeConfig.Options options = nm.currentState().find("bo0").orElseThrow().bridge().options();
        assertThat(options.more()).containsEntry(LinuxBridgeOption.GROUP_ADDR, "01:80:C2:00:00:0E")
            .containsEntry(LinuxBridgeOption.MULTICAST_ROUTER, "enabled").containsEntry(LinuxBridgeOption.HASH_MAX, 1024L)
            .containsEntry(LinuxBridgeOption.MULTICAST_STARTUP_QUERY_COUNT, 2L);

        // the options as GetSettings gives them back (the group address as bytes, intervals as 64-bit) are no change
        sandbox.ip("addr", "add", "198.51.100.250/24", "dev", "bo0");
        apply(bridge);
        assertThat(sandbox.ip("addr", "show", "dev", "bo0")).contains("inet 198.51.100.250/24");
        apply("interfaces: [{name: bo0, state: absent}]");
    }

    @Test
    void aBridgeCopiesTheMacAddressOfTheInterfaceItNames() {
        String source = nm.currentState().find("v8").orElseThrow().macAddress();
        String bridge = "interfaces: [{name: bc0, type: linux-bridge, copy-mac-from: v8, ipv4: {enabled: false}, ipv6: {enabled: false}, "
            + "bridge: {options: {stp: {enabled: false}}, port: []}}]";

        ApplyResult result = apply(bridge);

        assertThat(sandbox.ip("link", "show", "dev", "bc0")).contains("link/ether " + source.toLowerCase(java.util.Locale.ROOT));
        assertThat(result.after().find("bc0").orElseThrow().macAddress()).isEqualTo(source);
        assertThat(nmcli("-g", "802-3-ethernet.cloned-mac-address", "connection", "show", "bc0")).isEqualTo(source.replace(":", "\\:"));
        apply("interfaces: [{name: bc0, state: absent}]");
    }

    @Test
    void anActiveInterfaceTakesANewAddressAndMtuInPlaceAndIsActivatedAnewToBecomeAPort() {
        apply("""
            interfaces:
            - name: v7
              type: ethernet
              mtu: 1400
              ipv4: {enabled: true, address: [{ip: 192.0.2.71, prefix-length: 24}]}
            """);
        String activation = nmcli("-g", "GENERAL.CON-PATH", "device", "show", "v7");

        apply("""
            interfaces:
            - name: v7
              mtu: 1450
              ipv4: {enabled: true, address: [{ip: 192.0.2.72, prefix-length: 24}]}
            """);
        assertThat(sandbox.ip("addr", "show", "dev", "v7")).contains("mtu 1450").contains("inet 192.0.2.72/24")
            .doesNotContain("192.0.2.71");
        assertThat(nmcli("-g", "GENERAL.CON-PATH", "device", "show", "v7")).as("the same activation: the link was not taken down")
            .isEqualTo(activation);

        // a profile that gains a controller cannot be changed in place: NetworkManager must activate it anew
        apply("""
            interfaces:
            - name: br7
              type: linux-bridge
              bridge:
                options: {stp: {enabled: false}}
                port: [{name: v7}]
            """);
        assertThat(sandbox.ip("link", "show", "master", "br7")).contains("v7@v6");
        assertThat(nm.currentState().find("v7").orElseThrow().controller()).isEqualTo("br7");
        assertThat(nmcli("-g", "GENERAL.CON-PATH", "device", "show", "v7")).isNotEqualTo(activation);
    }

    @Test
    void verificationFailureRollsBackToTheExactPreviousState() {
        apply("""
            interfaces:
            - name: v8
              type: ethernet
              ipv4: {enabled: true, address: [{ip: 192.0.2.80, prefix-length: 24}]}
            """);
        NetworkState before = nm.currentState();
        String linkBefore = sandbox.ip("addr", "show", "dev", "v8");

        // a veth accepts at most 65535: NetworkManager activates the profile but the MTU never shows (built here, not
        // parsed, since the parser refuses such an MTU up front: the executor must still catch it if one arrives)
        NetworkState tooLarge = new NetworkState(List.of(InterfaceSpec.builder("v8").mtu(70000)
            .ipv4(IpConfig.staticAddresses(false, List.of(new IpAddress("192.0.2.81", 24)))).build()), List.of(), List.of(), null);
        assertThatThrownBy(() -> applier.apply(ApplyContext.manual("sandbox"), tooLarge, SandboxRequests.fromOutside()))
            .isInstanceOfSatisfying(ApplyException.class, e -> {
                assertThat(e.step()).isEqualTo(ApplyStep.VERIFY);
                assertThat(e.rolledBack()).isTrue();
                assertThat(e.userMessage()).contains("Interface v8: MTU 70000 exceeds the maximum supported by the driver");
            });

        assertThat(nm.currentState()).isEqualTo(before);
        assertThat(sandbox.ip("addr", "show", "dev", "v8")).isEqualTo(linkBefore);
        assertThat(nm.checkpoints()).isEmpty();
    }

    /**
     * Applies {@code yaml}, which this kernel cannot realise, and checks that the apply fails naming {@code iface} and
     * the kernel's refusal, for good, rolls back, and leaves the host as it was.
     */
    private void assertRefusedByTheKernel(String iface, String yaml) {
        NetworkState before = nm.currentState();
        String linksBefore = sandbox.ip("-br", "link", "show");
        assertThatThrownBy(() -> apply(yaml)).isInstanceOfSatisfying(ApplyException.class, e -> {
            assertThat(e.userMessage()).startsWith("Interface " + iface + ": ").contains("Operation not supported");
            assertThat(e.rolledBack()).isTrue();
            assertThat(e.retriable()).as("the kernel will not grow the link type between attempts").isFalse();
        });
        assertThat(nm.currentState()).isEqualTo(before);
        assertThat(sandbox.ip("-br", "link", "show")).isEqualTo(linksBefore);
        assertThat(nm.checkpoints()).isEmpty();
    }

    @Test
    void bondIsCreatedWhereTheKernelHasBondingAndRefusedCleanlyWhereItHasNot() {
        String bond = """
            interfaces:
            - name: bond7
              type: bond
              link-aggregation: {mode: active-backup, port: [v10]}
              ipv4: {enabled: true, address: [{ip: 192.0.2.70, prefix-length: 24}]}
            """;
        if (!KernelSupport.createsLinks(sandbox, "bond", null)) {
            assertRefusedByTheKernel("bond7", bond);
            return;
        }
        apply(bond);
        assertThat(sandbox.ip("-d", "link", "show", "dev", "bond7")).contains("bond mode active-backup");
        assertThat(sandbox.ip("link", "show", "master", "bond7")).contains("v10@v11");
        apply("interfaces: [{name: bond7, state: absent}]");
        assertThat(sandbox.ip("-br", "link", "show")).doesNotContain("bond7");
        assertThat(nm.checkpoints()).isEmpty();
    }

    @Test
    void vlanIsCreatedWhereTheKernelHasVlansAndRefusedCleanlyWhereItHasNot() {
        String vlan = """
            interfaces:
            - name: v3.100
              type: vlan
              vlan: {base-iface: v3, id: 100}
              ipv4: {enabled: true, address: [{ip: 192.0.2.90, prefix-length: 24}]}
            """;
        if (!KernelSupport.createsLinks(sandbox, "vlan id 5", "v3")) {
            assertRefusedByTheKernel("v3.100", vlan);
            return;
        }
        apply(vlan);
        assertThat(sandbox.ip("-d", "link", "show", "dev", "v3.100")).contains("vlan protocol 802.1Q id 100");
        assertThat(sandbox.ip("addr", "show", "dev", "v3.100")).contains("inet 192.0.2.90/24");
        apply("interfaces: [{name: v3.100, state: absent}]");
        assertThat(sandbox.ip("-br", "link", "show")).doesNotContain("v3.100");
        assertThat(nm.checkpoints()).isEmpty();
    }
}
