package io.nmstream.executor.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.nmstate.InterfaceState;
import io.nmstream.nmstate.NetworkState;
import io.nmstream.nmstate.NmstateParser;
import io.nmstream.nmstate.RouteRule;
import io.nmstream.nmstate.StateMerger;
import java.util.List;
import org.junit.jupiter.api.Test;

class RevertPlannerTest {

    @Test
    void revertingAPolicyRemovesItsVirtualInterfacesRoutesAndRouteRules() {
        NetworkState applied = NmstateParser.parse("""
            interfaces:
            - {name: br1, type: linux-bridge, state: up, bridge: {port: []}}
            routes:
              config:
              - {destination: 0.0.0.0/0, next-hop-interface: br1, next-hop-address: 192.0.2.1, table-id: 200}
            route-rules:
              config:
              - {ip-from: 192.0.2.0/24, priority: 1000, route-table: 200}
            """);

        NetworkState removal = RevertPlanner.removalOf(applied);

        assertThat(removal.interfaces()).singleElement().satisfies(i -> assertThat(i.effectiveState()).isEqualTo(InterfaceState.ABSENT));
        assertThat(removal.routes()).singleElement().satisfies(r -> assertThat(r.absent()).isTrue());
        RouteRule rule = applied.routeRules().get(0);
        assertThat(removal.routeRules()).containsExactly(rule.asAbsent());
        RouteRule other = new RouteRule("ipv4", "198.51.100.0/24", null, 1001L, 200L, null, null, null, null, null, false);
        assertThat(StateMerger.mergeRules(List.of(rule, other), removal.routeRules())).as("only the policy's own rule goes")
            .containsExactly(other);
    }

    @Test
    void theReportSaysWhatTheRemovalUndoesAndWhichInterfacesOfTheNodeKeepWhatThePolicySet() {
        NetworkState applied = NmstateParser.parse("""
            interfaces:
            - {name: br1, type: linux-bridge, state: up, bridge: {port: [{name: eth1}]}}
            - {name: eth1, type: ethernet, state: up, mtu: 9000}
            routes:
              config:
              - {destination: 198.51.100.0/24, next-hop-interface: br1, next-hop-address: 192.0.2.1}
              - {destination: 203.0.113.0/24, next-hop-interface: br1, next-hop-address: 192.0.2.1}
            """);

        assertThat(RevertPlanner.describe(applied, null))
            .isEqualTo("deleted br1; removed 2 routes; eth1 keeps what the policy set (this node has no record of it before the policy)");
        assertThat(RevertPlanner.describe(NmstateParser.parse("interfaces: [{name: eth1, type: ethernet, mtu: 9000}]"), null))
            .isEqualTo("eth1 keeps what the policy set (this node has no record of it before the policy)");
        assertThat(RevertPlanner.describe(NmstateParser.parse("interfaces: [{name: br9, type: linux-bridge, state: absent}]"), null))
            .isEqualTo("the policy created nothing to remove");
    }
}
