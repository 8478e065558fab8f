package io.nmstream.executor.agent;

import io.nmstream.nmstate.InterfaceSpec;
import io.nmstream.nmstate.InterfaceState;
import io.nmstream.nmstate.NetworkState;
import io.nmstream.nmstate.Route;
import io.nmstream.nmstate.RouteRule;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the desired state a policy applied into the state that removes it: the virtual interfaces it created become
 * {@code absent}, its routes and route rules become {@code absent}. The interfaces the node has (its NICs) and DNS are left
 * as they are: removing a policy does not take a NIC down, and what they were before the policy is not recorded; the
 * node's report says so.
 */
public final class RevertPlanner {

    private RevertPlanner() {
    }

    public static NetworkState removalOf(NetworkState applied) {
        List<InterfaceSpec> interfaces = applied.interfaces().stream().filter(RevertPlanner::created)
            .map(i -> InterfaceSpec.named(i.name(), i.type(), InterfaceState.ABSENT))
            .toList();
        List<Route> routes = applied.routes().stream().filter(r -> !r.absent()).map(Route::asAbsent).toList();
        List<RouteRule> rules = applied.routeRules().stream().filter(r -> !r.absent()).map(RouteRule::asAbsent).toList();
        return new NetworkState(interfaces, routes, List.of(), null, rules);
    }

    /**
     * What removing {@code applied} does and does not undo, in the words of the node's report: {@code deleted br1; removed
     * 1 route; eth1 keeps what the policy set (interfaces the node has are not reverted)}.
     */
    public static String describe(NetworkState applied) {
        List<String> parts = new ArrayList<>();
        List<String> deleted = applied.interfaces().stream().filter(RevertPlanner::created).map(InterfaceSpec::name).toList();
        if (!deleted.isEmpty()) {
            parts.add("deleted " + String.join(", ", deleted));
        }
        long routes = applied.routes().stream().filter(r -> !r.absent()).count();
        long rules = applied.routeRules().stream().filter(r -> !r.absent()).count();
        List<String> removed = new ArrayList<>();
        if (routes > 0) {
            removed.add(routes + (routes == 1 ? " route" : " routes"));
        }
        if (rules > 0) {
            removed.add(rules + (rules == 1 ? " route rule" : " route rules"));
        }
        if (!removed.isEmpty()) {
            parts.add("removed " + String.join(" and ", removed));
        }
        List<String> kept = applied.interfaces().stream().filter(i -> !created(i) && i.effectiveState() != InterfaceState.ABSENT
            && i.effectiveState() != InterfaceState.IGNORE).map(InterfaceSpec::name).toList();
        if (!kept.isEmpty()) {
            parts.add(String.join(", ", kept) + (kept.size() == 1 ? " keeps" : " keep") + " what the policy set (interfaces the node "
                + "has are not reverted)");
        }
        return parts.isEmpty() ? "the policy created nothing to remove" : String.join("; ", parts);
    }

    /** Whether applying the policy created the interface: a virtual one it brought up. */
    private static boolean created(InterfaceSpec i) {
        return i.type() != null && i.type().isVirtual() && i.effectiveState() == InterfaceState.UP;
    }
}
