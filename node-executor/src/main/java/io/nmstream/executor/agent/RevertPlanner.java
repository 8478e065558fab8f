package io.nmstream.executor.agent;

import io.nmstream.nmstate.InterfaceSpec;
import io.nmstream.nmstate.InterfaceState;
import io.nmstream.nmstate.NetworkState;
import io.nmstream.nmstate.Route;
import io.nmstream.nmstate.RouteRule;
import java.util.List;

/**
 * Turns the desired state a policy applied into the state that removes it: the virtual interfaces it created become
 * {@code absent}, its routes become {@code absent}. Hardware interfaces and DNS are left as they are: removing a policy
 * does not take a NIC down.
 */
public final class RevertPlanner {

    private RevertPlanner() {
    }

    public static NetworkState removalOf(NetworkState applied) {
        List<InterfaceSpec> interfaces = applied.interfaces().stream()
            .filter(i -> i.type() != null && i.type().isVirtual() && i.effectiveState() == InterfaceState.UP)
            .map(i -> InterfaceSpec.named(i.name(), i.type(), InterfaceState.ABSENT))
            .toList();
        List<Route> routes = applied.routes().stream().filter(r -> !r.absent()).map(Route::asAbsent).toList();
        List<RouteRule> rules = applied.routeRules().stream().filter(r -> !r.absent()).map(RouteRule::asAbsent).toList();
        return new NetworkState(interfaces, routes, List.of(), null, rules);
    }
}
