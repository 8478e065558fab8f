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
}
