package io.nmstream.nmstate;

import java.util.List;
import java.util.Optional;

/**
 * A whole nmstate document: interfaces, routes, route rules and DNS. The same type holds a desired state (fields absent where the
 * user said nothing) and a current state read from a host (everything filled in).
 *
 * @param interfaces interfaces, in document order
 * @param routes {@code routes.config}: routes configured in profiles (desired: to add, or {@code absent} to remove)
 * @param runningRoutes {@code routes.running}: routes in the kernel; empty in desired states
 * @param dns {@code dns-resolver.config}; null when not given
 * @param routeRules {@code route-rules.config}: policy routing rules (desired: to add, or {@code absent} to remove)
 * @param runningDns {@code dns-resolver.running}: the name servers and search domains the host resolves with, those
 *     DHCP and router advertisements gave included; null in desired states and where the host cannot tell
 */
public record NetworkState(List<InterfaceSpec> interfaces, List<Route> routes, List<Route> runningRoutes, DnsConfig dns,
                           List<RouteRule> routeRules, DnsConfig runningDns) {

    public NetworkState {
        interfaces = List.copyOf(interfaces);
        routes = routes == null ? List.of() : List.copyOf(routes);
        runningRoutes = runningRoutes == null ? List.of() : List.copyOf(runningRoutes);
        routeRules = routeRules == null ? List.of() : List.copyOf(routeRules);
    }

    /** A state without route rules. */
    public NetworkState(List<InterfaceSpec> interfaces, List<Route> routes, List<Route> runningRoutes, DnsConfig dns) {
        this(interfaces, routes, runningRoutes, dns, List.of(), null);
    }

    /** A state that does not tell which name servers the host resolves with. */
    public NetworkState(List<InterfaceSpec> interfaces, List<Route> routes, List<Route> runningRoutes, DnsConfig dns,
                        List<RouteRule> routeRules) {
        this(interfaces, routes, runningRoutes, dns, routeRules, null);
    }

    /** This state with the name servers and search domains the host resolves with. */
    public NetworkState withRunningDns(DnsConfig running) {
        return new NetworkState(interfaces, routes, runningRoutes, dns, routeRules, running);
    }

    public static NetworkState empty() {
        return new NetworkState(List.of(), List.of(), List.of(), null);
    }

    public Optional<InterfaceSpec> find(String name) {
        return interfaces.stream().filter(i -> i.name().equals(name)).findFirst();
    }

    /** Only the named interfaces, with the routes leaving through them; DNS and route rules are kept. */
    public NetworkState only(List<String> names) {
        return new NetworkState(interfaces.stream().filter(i -> names.contains(i.name())).toList(),
            routes.stream().filter(r -> names.contains(r.nextHopInterface())).toList(),
            runningRoutes.stream().filter(r -> names.contains(r.nextHopInterface())).toList(), dns, routeRules, runningDns);
    }

    /** This state with {@code newInterfaces} in place of its interfaces; routes, DNS and route rules are kept. */
    public NetworkState withInterfaces(List<InterfaceSpec> newInterfaces) {
        return new NetworkState(newInterfaces, routes, runningRoutes, dns, routeRules, runningDns);
    }

    public boolean isEmpty() {
        return interfaces.isEmpty() && routes.isEmpty() && dns == null && routeRules.isEmpty();
    }
}
