package io.nmstream.nmstate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code nmstream node apply --dry-run} shows what the desired state changes, block by block, and nothing else. */
class StateDiffTest {

    private static final NetworkState CURRENT = NmstateParser.parse("""
        dns-resolver:
          config:
            server: [10.0.0.2]
            search: []
        interfaces:
        - {name: v0, type: veth, state: up, mtu: 1500, ipv4: {enabled: false}, ipv6: {enabled: false}, veth: {peer: v1}}
        """);

    @Test
    void anInterfaceTakenDownShowsWhatItsProfileIsToKeepForWhenItComesUp() {
        NetworkState desired = NmstateParser.parse("interfaces: [{name: v0, state: down, mtu: 1400}, {name: v9, type: ethernet, "
            + "state: down, mtu: 1400}]");

        String diff = StateDiff.ofApply(CURRENT, desired);

        String hostSide = StateDiff.describe(CURRENT, StateMerger.merge(CURRENT, desired));
        assertThat(hostSide).as("what the host shows: v0 goes down, its MTU stays").contains("- state: up\n+ state: down\n  mtu: 1500");
        assertThat(diff).as("then what v0's profile keeps; nothing of v9, which this host lacks").isEqualTo(hostSide + """
            interface v0 (down; its profile is to keep, for when it comes up):
              name: v0
              state: down
              mtu: 1400
            """);
        assertThat(StateDiff.ofApply(CURRENT, NmstateParser.parse("interfaces: [{name: v0, state: down}]")))
            .doesNotContain("its profile is to keep");
    }

    @Test
    void aNewRouteIsShownAsTheListItemItAddsNotAsAWholeDocument() {
        NetworkState desired = NmstateParser.parse("""
            routes:
              config:
              - {destination: 198.51.100.0/24, next-hop-address: 192.0.2.1, next-hop-interface: v0}
            """);

        String diff = StateDiff.describe(CURRENT, StateMerger.merge(CURRENT, desired));

        assertThat(diff).isEqualTo("""
            routes:
            + - destination: 198.51.100.0/24
            +   next-hop-interface: v0
            +   next-hop-address: 192.0.2.1
            """);
    }

    @Test
    void aNewRouteRuleIsShownWithThePriorityItWillGet() {
        NetworkState desired = NmstateParser.parse("route-rules: {config: [{ip-from: 192.0.2.0/24, route-table: 200}]}");

        String diff = StateDiff.describe(CURRENT, StateMerger.merge(CURRENT, desired));

        assertThat(diff).isEqualTo("""
            route-rules:
            + - family: ipv4
            +   ip-from: 192.0.2.0/24
            +   priority: 30000
            +   route-table: 200
            """);
    }

    @Test
    void aChangedResolverShowsTheServersAndSearchesItChanges() {
        NetworkState desired = NmstateParser.parse("""
            dns-resolver:
              config:
                server: [10.0.0.3]
                search: [example.com]
            """);

        String diff = StateDiff.describe(CURRENT, StateMerger.merge(CURRENT, desired));

        assertThat(diff).isEqualTo("""
            dns-resolver:
              server:
            - - 10.0.0.2
            - search: []
            + - 10.0.0.3
            + search:
            + - example.com
            """);
    }

    @Test
    void anInterfaceChangeShowsOnlyThatInterface() {
        NetworkState desired = NmstateParser.parse("interfaces: [{name: v0, type: veth, state: up, mtu: 9000}]");

        String diff = StateDiff.describe(CURRENT, StateMerger.merge(CURRENT, desired));

        assertThat(diff).isEqualTo("""
            interface v0:
              name: v0
              type: veth
              state: up
            - mtu: 1500
            + mtu: 9000
              ipv4:
                enabled: false
              ipv6:
                enabled: false
              veth:
                peer: v1
            """);
    }

    @Test
    void reapplyingABlockThatGivesSomeOfItsFieldsChangesNothing() {
        NetworkState host = NmstateParser.parse("""
            interfaces:
            - name: br1
              type: linux-bridge
              state: up
              mtu: 1500
              ipv4: {enabled: false}
              ipv6: {enabled: false}
              bridge:
                options: {mac-ageing-time: 300, multicast-snooping: true, stp: {enabled: false, forward-delay: 15, hello-time: 2,
                          max-age: 20, priority: 32768}}
                port: [{name: v0}]
            - name: bond0
              type: bond
              state: up
              mtu: 1500
              ipv4: {enabled: false}
              ipv6: {enabled: false}
              link-aggregation: {mode: active-backup, options: {miimon: "100", primary: v2}, port: [v2]}
            """);

        assertThat(StateDiff.describe(host, StateMerger.merge(host, NmstateParser.parse("""
            interfaces:
            - {name: br1, type: linux-bridge, bridge: {options: {stp: {enabled: false}}, port: [{name: v0}]}}
            - {name: bond0, type: bond, link-aggregation: {mode: active-backup, options: {miimon: "100"}}}
            """)))).as("options not given stay, as nmstate merges them").isEmpty();

        NetworkState newMode = StateMerger.merge(host, NmstateParser.parse(
            "interfaces: [{name: bond0, type: bond, link-aggregation: {mode: 802.3ad, options: {lacp_rate: fast}}}]"));
        assertThat(newMode.find("bond0").orElseThrow().bond().options()).as("a new mode starts from its own options")
            .containsExactly(java.util.Map.entry("lacp_rate", "fast"));
        NetworkState moreOptions = StateMerger.merge(host, NmstateParser.parse(
            "interfaces: [{name: bond0, type: bond, link-aggregation: {mode: active-backup, options: {miimon: \"200\"}}}]"));
        assertThat(moreOptions.find("bond0").orElseThrow().bond().options()).containsOnly(java.util.Map.entry("miimon", "200"),
            java.util.Map.entry("primary", "v2"));
    }
}
