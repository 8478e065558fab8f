package io.nmstream.executor.agent;

import io.nmstream.nmstate.InterfaceSpec;
import io.nmstream.nmstate.InterfaceState;
import io.nmstream.nmstate.InvalidStateException;
import io.nmstream.nmstate.IpConfig;
import io.nmstream.nmstate.NetworkState;
import io.nmstream.nmstate.NmstateParser;
import io.nmstream.nmstate.Route;
import io.nmstream.nmstate.RouteRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the desired state a policy applied into the state that removes it: the virtual interfaces it created become
 * {@code absent}, its routes and route rules become {@code absent}, and the node's own interfaces (NICs) it configured
 * go back to what they were before the policy, as far as the node recorded that ({@link #priorOf}): their state, MTU,
 * MAC address, IP settings, LLDP and link settings, each only where the policy set it. An interface with no such record
 * keeps what the policy set, and DNS is left as it is; the node's report says which ({@link #describe}).
 */
public final class RevertPlanner {

    private static final Logger LOG = LoggerFactory.getLogger(RevertPlanner.class);

    private RevertPlanner() {
    }

    /**
     * What the node's own interfaces that {@code desired} configures look like before it is applied, to restore on a
     * revert: taken from {@code earlier} (what the node recorded before an earlier generation of the same policy) where
     * it has them, otherwise from {@code current}. The ports a controller of {@code desired} lists count too: becoming a
     * port changes an interface's addresses.
     */
    public static NetworkState priorOf(NetworkState desired, NetworkState current, NetworkState earlier) {
        Map<String, InterfaceSpec> prior = new LinkedHashMap<>();
        for (String name : configured(desired)) {
            InterfaceSpec before = earlier == null ? null : earlier.find(name).orElse(null);
            if (before == null) {
                before = current.find(name).orElse(null);
            }
            if (before != null) {
                prior.put(name, before);
            }
        }
        if (earlier != null) {
            // an interface an earlier generation configured and this one no longer names keeps its first record
            earlier.interfaces().forEach(i -> prior.putIfAbsent(i.name(), i));
        }
        return new NetworkState(List.copyOf(prior.values()), List.of(), List.of(), null);
    }

    /**
     * The record {@link #priorOf} made, read back from the ledger; null when there is none or it cannot be read (a revert
     * then leaves those interfaces as the policy set them, and says so).
     */
    public static NetworkState readPrior(String json) {
        if (json == null) {
            return null;
        }
        try {
            return NmstateParser.parse(json);
        } catch (InvalidStateException e) {
            LOG.warn("The record of this node's interfaces before a policy cannot be read, so a revert leaves them: {}", e.getMessage());
            return null;
        }
    }

    /** {@link #removalOf(NetworkState, NetworkState)} with nothing recorded of the node's interfaces before the policy. */
    public static NetworkState removalOf(NetworkState applied) {
        return removalOf(applied, null);
    }

    /** The state that removes {@code applied}, restoring the node's interfaces {@code prior} recorded (null: none). */
    public static NetworkState removalOf(NetworkState applied, NetworkState prior) {
        List<InterfaceSpec> interfaces = new ArrayList<>(applied.interfaces().stream().filter(RevertPlanner::created)
            .map(i -> InterfaceSpec.named(i.name(), i.type(), InterfaceState.ABSENT))
            .toList());
        for (String name : restorable(applied, prior)) {
            interfaces.add(restore(prior.find(name).orElseThrow(), applied.find(name).orElse(null)));
        }
        List<Route> routes = applied.routes().stream().filter(r -> !r.absent()).map(Route::asAbsent).toList();
        List<RouteRule> rules = applied.routeRules().stream().filter(r -> !r.absent()).map(RouteRule::asAbsent).toList();
        return new NetworkState(interfaces, routes, List.of(), null, rules);
    }

    /**
     * What removing {@code applied} does and does not undo, in the words of the node's report: {@code deleted br1; removed
     * 1 route; eth1 back to how it was before the policy}.
     */
    public static String describe(NetworkState applied, NetworkState prior) {
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
        Set<String> restored = restorable(applied, prior);
        if (!restored.isEmpty()) {
            parts.add(String.join(", ", restored) + " back to how " + (restored.size() == 1 ? "it was" : "they were")
                + " before the policy");
        }
        List<String> kept = applied.interfaces().stream().filter(i -> !created(i) && !restored.contains(i.name())
            && i.effectiveState() != InterfaceState.ABSENT && i.effectiveState() != InterfaceState.IGNORE).map(InterfaceSpec::name)
            .toList();
        if (!kept.isEmpty()) {
            parts.add(String.join(", ", kept) + (kept.size() == 1 ? " keeps" : " keep") + " what the policy set (this node has no "
                + "record of " + (kept.size() == 1 ? "it" : "them") + " before the policy)");
        }
        return parts.isEmpty() ? "the policy created nothing to remove" : String.join("; ", parts);
    }

    /** The node's interfaces {@code applied} configured (itself or as ports) of which {@code prior} has a record. */
    private static Set<String> restorable(NetworkState applied, NetworkState prior) {
        Set<String> names = new LinkedHashSet<>();
        if (prior != null) {
            configured(applied).stream().filter(name -> prior.find(name).isPresent()).forEach(names::add);
        }
        return names;
    }

    /** The interfaces {@code state} configures that it does not create: the ones it names up or down, and its ports. */
    private static Set<String> configured(NetworkState state) {
        Set<String> names = new LinkedHashSet<>();
        for (InterfaceSpec i : state.interfaces()) {
            InterfaceState s = i.effectiveState();
            if (!created(i) && (s == InterfaceState.UP || s == InterfaceState.DOWN)) {
                names.add(i.name());
            }
            if (i.portNames() != null && s == InterfaceState.UP) {
                names.addAll(i.portNames());
            }
        }
        return names;
    }

    /**
     * {@code before} as far as {@code set} changed it: the state always (a policy brings what it names up), the other
     * fields where the policy set them ({@code set} null, a port: its MTU and IP settings, which becoming a port changed).
     */
    private static InterfaceSpec restore(InterfaceSpec before, InterfaceSpec set) {
        InterfaceSpec.Builder b = InterfaceSpec.builder(before.name()).type(before.type()).state(before.state());
        if (set == null || set.mtu() != null) {
            b.mtu(before.mtu());
        }
        if (set == null || set.ipv4() != null) {
            b.ipv4(asDesired(before.ipv4()));
        }
        if (set == null || set.ipv6() != null) {
            b.ipv6(asDesired(before.ipv6()));
        }
        if (set != null && set.macAddress() != null) {
            b.macAddress(before.macAddress());
        }
        if (set != null && set.acceptAllMacAddresses() != null) {
            b.acceptAllMacAddresses(before.acceptAllMacAddresses());
        }
        if (set != null && set.lldp() != null) {
            b.lldp(before.lldp());
        }
        if (set != null && set.ethernet() != null) {
            b.ethernet(before.ethernet());
        }
        return b.build();
    }

    /** An IP family as read from the node, as a desired state: the addresses a DHCP server or autoconf gave are not desired. */
    private static IpConfig asDesired(IpConfig read) {
        if (read == null || !read.isDynamic()) {
            return read;
        }
        return new IpConfig(read.enabled(), read.dhcp(), read.autoconf(), null, read.autoDns(), read.autoRoutes(), read.autoGateway(),
            read.autoRouteMetric(), read.autoRouteTableId(), read.dhcpClientId(), read.dhcpDuid(), read.addrGenMode(),
            read.dhcpSendHostname(), read.dhcpCustomHostname(), read.allowExtraAddress(), read.token());
    }

    /** Whether applying the policy created the interface: a virtual one it brought up. */
    private static boolean created(InterfaceSpec i) {
        return i.type() != null && i.type().isVirtual() && i.effectiveState() == InterfaceState.UP;
    }
}
