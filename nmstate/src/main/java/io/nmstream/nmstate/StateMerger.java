package io.nmstream.nmstate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Computes the state a host should be in after a desired state is applied to its current state, with nmstate's merge
 * semantics: interfaces the desired state does not name stay as they are, named interfaces change only in the fields
 * given, {@code absent} removes, ports follow their controller's port list, routes are added or removed one by one.
 */
public final class StateMerger {

    private StateMerger() {
    }

    /**
     * {@code desiredAsGiven} as a node applies it to {@code current}, and verifies it: with what it leaves without a base
     * removed ({@link OrphanedInterfaces}), and the addresses DHCP gave kept as static ones where it turns DHCP off without
     * giving any ({@link DynamicAddresses}).
     */
    public static NetworkState asApplied(NetworkState desiredAsGiven, NetworkState current) {
        return DynamicAddresses.keptAsStatic(OrphanedInterfaces.removedWithTheirBase(withCopiedMacAddresses(desiredAsGiven, current),
            current), current);
    }

    /**
     * {@code desired} with each {@code copy-mac-from} resolved, as nmstate resolves it: the source's permanent MAC address
     * where the host knows one (a bond's port shows the bond's MAC address, not its own), its current one otherwise.
     */
    static NetworkState withCopiedMacAddresses(NetworkState desired, NetworkState current) {
        if (desired.interfaces().stream().noneMatch(i -> i.copyMacFrom() != null)) {
            return desired;
        }
        List<InterfaceSpec> interfaces = desired.interfaces().stream().map(i -> i.copyMacFrom() == null ? i
            : i.toBuilder().copyMacFrom(null).macAddress(current.find(i.copyMacFrom()).map(StateMerger::macOf).orElseThrow(() ->
                new InvalidStateException("Interface " + i.name() + ": copy-mac-from " + i.copyMacFrom() + ": no such interface with "
                    + "a MAC address on this node"))).build()).toList();
        return desired.withInterfaces(interfaces);
    }

    /** The MAC address nmstate copies from {@code source}: its permanent one, else its current one; null when it has none. */
    static String macOf(InterfaceSpec source) {
        String permanent = source.permanentMacAddress();
        return permanent != null && !permanent.isEmpty() ? permanent : source.macAddress();
    }

    /**
     * The expected state after applying {@code desiredAsGiven} (validated) to {@code current}, with what it leaves without
     * a base removed ({@link OrphanedInterfaces}) and dynamic addresses turned static where it turns DHCP off
     * ({@link DynamicAddresses}).
     */
    public static NetworkState merge(NetworkState current, NetworkState desiredAsGiven) {
        NetworkState desired = asApplied(desiredAsGiven, current);
        Map<String, InterfaceSpec> result = new LinkedHashMap<>();
        current.interfaces().forEach(i -> result.put(i.name(), i));
        for (InterfaceSpec want : desired.interfaces()) {
            InterfaceSpec have = result.get(want.name());
            switch (want.effectiveState()) {
                case IGNORE -> {
                }
                case ABSENT -> {
                    if (have != null && have.type().isVirtual()) {
                        result.remove(want.name());
                    } else if (have != null) {
                        result.put(want.name(), have.withState(InterfaceState.DOWN).withController(null)
                            .withIp(IpConfig.disabled(), IpConfig.disabled()));
                    }
                    result.replaceAll((name, i) -> want.name().equals(i.controller()) ? i.withController(null) : i);
                }
                case DOWN -> {
                    if (have != null) {
                        result.put(want.name(), have.withState(InterfaceState.DOWN));
                    }
                }
                default -> {
                    InterfaceSpec up = want.withState(InterfaceState.UP);
                    InterfaceSpec merged = have == null ? up : have.overlay(up);
                    result.put(want.name(), filled(merged));
                    if (have == null && merged.vethPeer() != null && !result.containsKey(merged.vethPeer())) {
                        // a new veth comes with its peer, which stays up as long as nothing else is said of it
                        result.put(merged.vethPeer(), filled(InterfaceSpec.builder(merged.vethPeer()).type(InterfaceType.VETH)
                            .state(InterfaceState.UP).vethPeer(merged.name()).build()));
                    }
                }
            }
        }
        for (InterfaceSpec want : desired.interfaces()) {
            List<String> ports = want.portNames();
            if (ports == null || want.effectiveState() != InterfaceState.UP) {
                continue;
            }
            // ports of a VRF, and an ovs-bridge's internal interfaces, keep their own IP configuration
            boolean keepIp = want.type() == InterfaceType.VRF || want.vrf() != null;
            result.replaceAll((name, i) -> {
                if (ports.contains(name)) {
                    InterfaceSpec port = i.withController(want.name()).withState(InterfaceState.UP);
                    return keepIp || i.type() == InterfaceType.OVS_INTERFACE ? port : port.withIp(IpConfig.disabled(), IpConfig.disabled());
                }
                return want.name().equals(i.controller()) ? i.withController(null) : i;
            });
        }
        List<Route> routes = new ArrayList<>(current.routes());
        // what is absent goes from the routes there are, then the state's routes are added, whatever their order in it
        desired.routes().stream().filter(Route::absent).forEach(r -> routes.removeIf(r::matches));
        for (Route r : desired.routes()) {
            if (!r.absent() && !routes.contains(r)) {
                routes.add(r);
            }
        }
        // as nmstate merges routes: those through an interface that is gone, or that this state leaves without the
        // route's family (a port of a bond or bridge, ipv4.enabled: false), go with it
        routes.removeIf(r -> !result.containsKey(r.nextHopInterface()) || losesRoutes(r, desired, current, result));
        DnsConfig dns = current.dns();
        if (desired.dns() != null) {
            dns = (dns == null ? DnsConfig.empty() : dns).overlay(desired.dns());
        }
        List<InterfaceSpec> interfaces = new ArrayList<>(result.values());
        List<Route> running = routes.stream()
            .filter(r -> result.get(r.nextHopInterface()).effectiveState() == InterfaceState.UP).toList();
        return new NetworkState(interfaces, routes, running, dns, mergeRules(current.routeRules(), desired.routeRules()));
    }

    /** The first priority nmstate gives a rule without one, when no rule has a higher one: after the kernel's own (0, 32766, 32767). */
    static final long FIRST_AUTO_RULE_PRIORITY = 30000;

    /**
     * The route rules a host has after {@code desired}'s are applied, as nmstate merges them: the current rules that no
     * absent pattern matches, then each desired rule that is not there already. A desired rule without a priority gets
     * the next one after every rule's, from {@value #FIRST_AUTO_RULE_PRIORITY} on.
     */
    public static List<RouteRule> mergeRules(List<RouteRule> current, List<RouteRule> desired) {
        List<RouteRule> rules = new ArrayList<>(current);
        desired.stream().filter(RouteRule::absent).forEach(pattern -> rules.removeIf(pattern::matches));
        long next = Math.max(FIRST_AUTO_RULE_PRIORITY - 1, Stream.concat(rules.stream(), desired.stream())
            .filter(r -> !r.absent() && r.priority() != null).mapToLong(RouteRule::priority).max().orElse(0));
        for (RouteRule rule : desired) {
            if (!rule.absent() && rules.stream().noneMatch(rule::matches)) {
                rules.add(rule.priority() != null ? rule : rule.withPriority(++next));
            }
        }
        return rules;
    }

    /**
     * Whether {@code desired} leaves the interface {@code route} goes through without the route's family: by turning the
     * family off (naming it), or by making the interface a port. A family that was off already and that the desired state
     * does not name keeps what the host has: the host's profile is not rewritten for it.
     */
    private static boolean losesRoutes(Route route, NetworkState desired, NetworkState current, Map<String, InterfaceSpec> result) {
        InterfaceSpec after = result.get(route.nextHopInterface());
        if (carriesRoutes(after, route.isIpv6())) {
            return false;
        }
        InterfaceSpec before = current.find(route.nextHopInterface()).orElse(null);
        boolean named = desired.find(route.nextHopInterface()).map(i -> (route.isIpv6() ? i.ipv6() : i.ipv4()) != null).orElse(false);
        return before == null || named || !Objects.equals(before.controller(), after.controller());
    }

    /**
     * Whether routes of a family can leave through {@code i}: not when that family is disabled on it. Unknown (a host that
     * does not report the family) counts as enabled.
     */
    public static boolean carriesRoutes(InterfaceSpec i, boolean ipv6) {
        IpConfig ip = ipv6 ? i.ipv6() : i.ipv4();
        return ip == null || ip.isEnabled();
    }

    /** Fills in what a host always reports about an up interface, for fields the desired state did not give. */
    private static InterfaceSpec filled(InterfaceSpec i) {
        InterfaceSpec out = i;
        if (i.mtu() == null) {
            out = i.withMtu(1500);
        }
        return out.withIp(normalized(out.ipv4(), false), normalized(out.ipv6(), true));
    }

    private static IpConfig normalized(IpConfig ip, boolean ipv6) {
        if (ip == null || !ip.isEnabled() || !ipv6 && ip.hasNothingToConfigure()) {
            return IpConfig.disabled();
        }
        return ip.addresses() == null ? ip.overlay(new IpConfig(null, null, null, List.of(), null, null, null)) : ip;
    }
}
