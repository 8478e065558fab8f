package io.nmstream.executor.nm;

import io.nmstream.nmstate.BridgeConfig;
import io.nmstream.nmstate.DnsConfig;
import io.nmstream.nmstate.InterfaceSpec;
import io.nmstream.nmstate.InterfaceState;
import io.nmstream.nmstate.InterfaceType;
import io.nmstream.nmstate.InvalidStateException;
import io.nmstream.nmstate.IpAddress;
import io.nmstream.nmstate.IpConfig;
import io.nmstream.nmstate.NetworkState;
import io.nmstream.nmstate.Route;
import io.nmstream.nmstate.RouteRule;
import io.nmstream.nmstate.StateMerger;
import io.nmstream.executor.nm.NmSettingsTranslator.DnsPlacement;
import io.nmstream.executor.nm.NmSettingsTranslator.PortRelation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Works out which NetworkManager profiles an apply must create, update, deactivate or delete, and in which order.
 *
 * <p>The interfaces touched are those the desired state names, the ports its controllers list (and those they no
 * longer list), the interfaces whose routes change and the interfaces that hold name servers. Each gets exactly one
 * profile: its existing one, updated, or a new one.
 */
public final class ProfilePlanner {

    private ProfilePlanner() {
    }

    /**
     * @param desired the desired state (validated)
     * @param current the host's current state
     * @param profiles each interface's existing profile (the active one when it has several)
     */
    public static List<ProfileChange> plan(NetworkState desired, NetworkState current, Map<String, ExistingProfile> profiles) {
        Map<String, InterfaceSpec> touched = new LinkedHashMap<>();
        Map<String, PortRelation> ports = new LinkedHashMap<>();
        for (InterfaceSpec want : desired.interfaces()) {
            if (want.effectiveState() != InterfaceState.IGNORE) {
                touched.put(want.name(), want);
            }
        }
        Map<String, String> ovsPorts = new LinkedHashMap<>();
        portRelations(desired, current, profiles, touched, ports, ovsPorts);
        Map<String, List<Route>> routes = routesByInterface(desired, profiles, touched);
        Map<String, DnsPlacement> dns = dnsPlacement(desired, current, profiles, touched);
        Map<String, List<RouteRule>> rules = rulePlacement(desired, current, profiles, touched);

        List<ProfileChange> removals = new ArrayList<>();
        List<ProfileChange> writes = new ArrayList<>();
        for (InterfaceSpec want : touched.values()) {
            ExistingProfile existing = profiles.get(want.name());
            InterfaceState state = want.effectiveState();
            if (state == InterfaceState.ABSENT || state == InterfaceState.DOWN) {
                // nothing to remove or take down without a profile, whatever the interface's type
                if (existing != null) {
                    InterfaceType known = want.type() != null ? want.type()
                        : current.find(want.name()).map(InterfaceSpec::type).orElse(InterfaceType.UNKNOWN);
                    removals.add(new ProfileChange(want.name(), known, state == InterfaceState.ABSENT
                        ? ProfileChange.Action.DELETE : ProfileChange.Action.DEACTIVATE, null, existing, false));
                }
                if (want.keepsSettingsWhileDown(current)) {
                    // as nmstate does, the profile of an interface taken down keeps what the state says of it (an MTU, an
                    // address), for when it is brought up again; it is written after the deactivation and not activated,
                    // and without autoconnect, which would bring the interface up again (now, or at the next boot)
                    ProfileChange stored = write(want, current, existing, ports, routes, dns, rules, false);
                    stored.settings().putBoolean("connection", "autoconnect", false);
                    if (stored.action() == ProfileChange.Action.CREATE || !stored.changedProperties().isEmpty()) {
                        writes.add(stored);
                    }
                }
                continue;
            }
            writes.add(write(want, current, existing, ports, routes, dns, rules, true));
        }
        writes.addAll(ovsPortChanges(ovsPorts, ports, writes, profiles));
        writes.sort(Comparator.comparingInt(ProfileChange::rank));
        List<ProfileChange> plan = new ArrayList<>(removals);
        plan.addAll(writes);
        return plan;
    }

    private static ProfileChange write(InterfaceSpec want, NetworkState current, ExistingProfile existing,
                                       Map<String, PortRelation> ports, Map<String, List<Route>> routes,
                                       Map<String, DnsPlacement> dns, Map<String, List<RouteRule>> rules, boolean activate) {
        InterfaceType type = typeOf(want, current);
        NmSettings settings = NmSettingsTranslator.translate(new NmSettingsTranslator.Request(want, type,
            existing == null ? null : existing.settings(), ports.get(want.name()), routes.get(want.name()), dns.get(want.name()),
            rules.get(want.name())));
        return new ProfileChange(want.name(), type, existing == null ? ProfileChange.Action.CREATE : ProfileChange.Action.UPDATE,
            settings, existing, activate);
    }

    /**
     * Refuses to remove a virtual interface that no profile of it could create again: one made with {@code ip link}, say,
     * without a profile or with one that only configures it (a veth managed through an ethernet profile). nmstate deletes
     * such a link; inside a checkpoint that cannot be undone, as NetworkManager has nothing to bring it back from, and an
     * apply that fails later must leave the node as it was. Deleting its profile alone would leave the link there, and
     * the apply would fail verification.
     */
    public static void refuseRemovingLinksWithoutAProfile(NetworkState desired, NetworkState current,
                                                          Map<String, ExistingProfile> profiles) {
        for (InterfaceSpec want : desired.interfaces()) {
            InterfaceSpec have = current.find(want.name()).orElse(null);
            if (want.effectiveState() != InterfaceState.ABSENT || have == null || !have.type().isVirtual()) {
                continue;
            }
            ExistingProfile profile = profiles.get(want.name());
            String profileType = profile == null ? null : profile.settings().string("connection", "type");
            // a veth NetworkManager made as the peer of a veth profile comes back with that profile
            ExistingProfile peer = have.vethPeer() == null ? null : profiles.get(have.vethPeer());
            boolean peerCreatesIt = peer != null && "veth".equals(peer.settings().string("connection", "type"));
            if (!peerCreatesIt && (profileType == null || !profileType.equals(creatingType(have.type())))) {
                throw new InvalidStateException("Interface " + want.name() + ": this " + have.type().nmstateName()
                    + " was not created by NetworkManager" + (profileType == null ? "" : " (its profile is of type " + profileType
                    + ", which configures the link but cannot create it)")
                    + ", which could not bring it back if the apply were rolled back; remove it with 'ip link delete " + want.name() + "'");
            }
        }
    }

    /** The {@code connection.type} of a profile from which NetworkManager creates a link of {@code type}. */
    private static String creatingType(InterfaceType type) {
        if (type == InterfaceType.VETH) {
            return "veth";
        }
        try {
            return NmSettingsTranslator.connectionType(type);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static InterfaceType typeOf(InterfaceSpec want, NetworkState current) {
        InterfaceType fromHost = current.find(want.name()).map(InterfaceSpec::type).orElse(null);
        if (fromHost != null && fromHost != InterfaceType.UNKNOWN) {
            return fromHost;
        }
        if (want.type() != null) {
            return want.type();
        }
        throw new InvalidStateException("Interface " + want.name() + ": type is required for an interface that does not exist yet");
    }

    /**
     * The port relations the controllers of {@code desired} set and release.
     *
     * @param ovsPorts filled with the port interfaces of ovs-bridges, each with the ovs-port profile UUID it attaches to
     */
    private static void portRelations(NetworkState desired, NetworkState current, Map<String, ExistingProfile> profiles,
                                      Map<String, InterfaceSpec> touched, Map<String, PortRelation> ports,
                                      Map<String, String> ovsPorts) {
        for (InterfaceSpec controller : desired.interfaces()) {
            List<String> listed = controller.portNames();
            if (controller.effectiveState() == InterfaceState.ABSENT) {
                // the ports of a removed controller stand alone, as nmstate leaves them, rather than wait for it to return
                releaseUnlisted(controller.name(), List.of(), current, profiles, touched, ports);
                continue;
            }
            if (listed == null || controller.effectiveState() != InterfaceState.UP) {
                continue;
            }
            InterfaceType type = controllerType(controller, current);
            for (String port : listed) {
                touched.putIfAbsent(port, InterfaceSpec.named(port, null, InterfaceState.UP));
                if (type == InterfaceType.OVS_BRIDGE) {
                    ExistingProfile ovsPort = profiles.get(NmObjects.ovsPortKey(port));
                    String uuid = ovsPort != null ? ovsPort.uuid() : UUID.randomUUID().toString();
                    ovsPorts.put(port, controller.name());
                    ports.put(port, new PortRelation(uuid, type, portVlan(controller, port)));
                } else {
                    ports.put(port, new PortRelation(controller.name(), type, portVlan(controller, port)));
                }
            }
            releaseUnlisted(controller.name(), listed, current, profiles, touched, ports);
        }
    }

    /** Releases the interfaces that are ports of {@code controller}, on the host or in their profiles, and not in {@code listed}. */
    private static void releaseUnlisted(String controller, List<String> listed, NetworkState current, Map<String, ExistingProfile> profiles,
                                        Map<String, InterfaceSpec> touched, Map<String, PortRelation> ports) {
        for (InterfaceSpec iface : current.interfaces()) {
            if (controller.equals(iface.controller()) && !listed.contains(iface.name())) {
                touched.putIfAbsent(iface.name(), InterfaceSpec.named(iface.name(), null, InterfaceState.UP));
                ports.putIfAbsent(iface.name(), PortRelation.RELEASE);
            }
        }
        profiles.forEach((name, profile) -> {
            if (controller.equals(profile.settings().string("connection", "master")) && !listed.contains(name)
                && !name.equals(NmObjects.ovsPortKey(profile.settings().string("connection", "interface-name")))) {
                touched.putIfAbsent(name, InterfaceSpec.named(name, null, InterfaceState.UP));
                ports.putIfAbsent(name, PortRelation.RELEASE);
            }
        });
    }

    /** The type of an interface that lists ports: as the document or else the host says, or as its port block implies. */
    private static InterfaceType controllerType(InterfaceSpec controller, NetworkState current) {
        InterfaceType type = controller.type() != null ? controller.type()
            : current.find(controller.name()).map(InterfaceSpec::type).orElse(null);
        if (type != null && type.isController()) {
            return type;
        }
        if (controller.bond() != null) {
            return InterfaceType.BOND;
        }
        return controller.vrf() != null ? InterfaceType.VRF : InterfaceType.LINUX_BRIDGE;
    }

    private static BridgeConfig.PortVlan portVlan(InterfaceSpec controller, String port) {
        if (controller.bridge() == null || controller.bridge().ports() == null) {
            return null;
        }
        return controller.bridge().ports().stream().filter(p -> p.name().equals(port)).findFirst().map(BridgeConfig.Port::vlan)
            .orElse(null);
    }

    /** The ovs-port profiles between each ovs-bridge written in this apply and its ports. */
    private static List<ProfileChange> ovsPortChanges(Map<String, String> ovsPorts, Map<String, PortRelation> ports,
                                                      List<ProfileChange> writes, Map<String, ExistingProfile> profiles) {
        List<ProfileChange> out = new ArrayList<>();
        ovsPorts.forEach((port, bridge) -> {
            String bridgeUuid = writes.stream().filter(w -> w.iface().equals(bridge)).findFirst()
                .map(w -> w.settings().string("connection", "uuid")).orElseThrow();
            ExistingProfile existing = profiles.get(NmObjects.ovsPortKey(port));
            NmSettings settings = NmSettingsTranslator.ovsPort(port, ports.get(port).controller(), bridgeUuid,
                existing == null ? null : existing.settings());
            out.add(new ProfileChange("ovs-port-" + port, null, existing == null ? ProfileChange.Action.CREATE
                : ProfileChange.Action.UPDATE, settings, existing, true));
        });
        return out;
    }

    private static Map<String, List<Route>> routesByInterface(NetworkState desired, Map<String, ExistingProfile> profiles,
                                                              Map<String, InterfaceSpec> touched) {
        Map<String, List<Route>> out = new LinkedHashMap<>();
        if (desired.routes().isEmpty()) {
            return out;
        }
        Set<String> affected = new LinkedHashSet<>();
        Map<String, List<Route>> configured = new LinkedHashMap<>();
        profiles.forEach((name, profile) -> configured.put(name, NmStateReader.profileRoutes(name, profile.settings())));
        for (Route r : desired.routes()) {
            if (!r.absent()) {
                affected.add(r.nextHopInterface());
                continue;
            }
            // a route of an inactive profile is none of the host's: rewriting that profile would bring its interface up
            configured.forEach((name, list) -> {
                if (profiles.get(name).active() && list.stream().anyMatch(r::matches)) {
                    affected.add(name);
                }
            });
        }
        for (String name : affected) {
            List<Route> list = new ArrayList<>(configured.getOrDefault(name, List.of()));
            // as nmstate: what is absent goes from the routes there are, then the state's routes are added, whatever
            // their order in it (an absent default route and a new one change the gateway)
            desired.routes().stream().filter(Route::absent).forEach(r -> list.removeIf(r::matches));
            for (Route r : desired.routes()) {
                if (!r.absent() && r.nextHopInterface().equals(name) && !list.contains(r)) {
                    list.add(r);
                }
            }
            out.put(name, list);
            touched.putIfAbsent(name, InterfaceSpec.named(name, null, InterfaceState.UP));
        }
        return out;
    }

    private static Map<String, DnsPlacement> dnsPlacement(NetworkState desired, NetworkState current,
                                                          Map<String, ExistingProfile> profiles, Map<String, InterfaceSpec> touched) {
        Map<String, DnsPlacement> out = new LinkedHashMap<>();
        DnsConfig dns = desired.dns();
        if (dns == null) {
            return out;
        }
        DnsConfig merged = (current.dns() == null ? DnsConfig.empty() : current.dns()).overlay(dns);
        List<String> servers = merged.servers();
        List<String> searches = merged.searches();
        List<String> options = merged.options() == null ? List.of() : merged.options();
        String v4Holder = merged.ipv4Servers().isEmpty() ? null : holder(desired, current, false, merged.ipv4Servers().get(0));
        String v6Holder = merged.ipv6Servers().isEmpty() ? null : holder(desired, current, true, merged.ipv6Servers().get(0));
        // the family of the first name server comes first, and holds the search domains and options, as nmstate places them
        boolean ipv6First = !merged.ipv6Servers().isEmpty() && (merged.ipv4Servers().isEmpty() || IpAddress.isIpv6(servers.get(0)));
        String searchHolder = ipv6First ? v6Holder : v4Holder;
        if (searchHolder == null && (!searches.isEmpty() || !options.isEmpty())) {
            SearchHolder fallback = searchOnlyHolder(desired, current, merged);
            searchHolder = fallback.name();
            ipv6First = fallback.ipv6();
        }
        // every active profile holding DNS today is cleared, then the holders get the whole configuration; an inactive one
        // gives the host no DNS, and rewriting it would bring its interface up
        profiles.forEach((name, profile) -> {
            if (profile.active() && holdsDns(profile.settings())) {
                out.put(name, DnsPlacement.none());
            }
        });
        for (String name : new LinkedHashSet<>(Arrays.asList(v4Holder, v6Holder, searchHolder))) {
            if (name == null) {
                continue;
            }
            boolean holdsSearches = name.equals(searchHolder);
            out.put(name, new DnsPlacement(name.equals(v4Holder) ? merged.ipv4Servers() : List.of(),
                name.equals(v6Holder) ? merged.ipv6Servers() : List.of(), holdsSearches ? searches : List.of(),
                holdsSearches ? options : List.of(), ipv6First));
        }
        out.keySet().forEach(name -> touched.putIfAbsent(name, InterfaceSpec.named(name, null, InterfaceState.UP)));
        return out;
    }

    /**
     * Where each route rule goes, when the desired state has rules: the profiles of the active interfaces that hold
     * rules today are cleared, then every rule the host keeps or gains goes to its holder ({@link #ruleHolder}).
     */
    private static Map<String, List<RouteRule>> rulePlacement(NetworkState desired, NetworkState current,
                                                              Map<String, ExistingProfile> profiles, Map<String, InterfaceSpec> touched) {
        Map<String, List<RouteRule>> out = new LinkedHashMap<>();
        if (desired.routeRules().isEmpty()) {
            return out;
        }
        List<RouteRule> merged = StateMerger.mergeRules(current.routeRules(), desired.routeRules());
        if (merged.equals(current.routeRules())) {
            return out;
        }
        profiles.forEach((name, profile) -> {
            if (profile.active() && Stream.of("ipv4", "ipv6").anyMatch(f -> nonEmpty(profile.settings().value(f, "routing-rules")))) {
                out.put(name, new ArrayList<>());
            }
        });
        for (RouteRule rule : merged) {
            out.computeIfAbsent(ruleHolder(rule, desired, current), k -> new ArrayList<>()).add(rule);
        }
        out.keySet().forEach(name -> touched.putIfAbsent(name, InterfaceSpec.named(name, null, InterfaceState.UP)));
        return out;
    }

    /**
     * The interface whose profile holds {@code rule}, as nmstate chooses it: its incoming interface; else one with routes
     * in the rule's table, configured or learnt ({@code auto-route-table-id}); else the first that is up with the rule's
     * family enabled, desired interfaces first.
     */
    private static String ruleHolder(RouteRule rule, NetworkState desired, NetworkState current) {
        if (rule.iif() != null) {
            InterfaceSpec incoming = mergedInterface(desired, current, rule.iif());
            if (incoming == null || !familyEnabled(incoming, rule.isIpv6())) {
                throw new InvalidStateException("route-rules: the rule " + rule + " needs its iif " + rule.iif() + " up with "
                    + (rule.isIpv6() ? "IPv6" : "IPv4") + " enabled on this node, to hold it");
            }
            return rule.iif();
        }
        long table = rule.routeTable() == null ? RouteRule.MAIN_TABLE : rule.routeTable();
        List<Route> routes = new ArrayList<>(desired.routes().stream().filter(r -> !r.absent()).toList());
        routes.addAll(current.routes());
        for (Route r : routes) {
            long routeTable = r.tableId() == null || r.tableId() == 0 ? RouteRule.MAIN_TABLE : r.tableId();
            InterfaceSpec via = mergedInterface(desired, current, r.nextHopInterface());
            if (routeTable == table && r.isIpv6() == rule.isIpv6() && via != null && familyEnabled(via, rule.isIpv6())) {
                return r.nextHopInterface();
            }
        }
        for (String name : interfaceNames(desired, current)) {
            InterfaceSpec candidate = mergedInterface(desired, current, name);
            IpConfig ip = candidate == null ? null : rule.isIpv6() ? candidate.ipv6() : candidate.ipv4();
            if (ip != null && ip.isEnabled() && ip.isDynamic() && Long.valueOf(table).equals(ip.autoRouteTableId())) {
                return name;
            }
        }
        for (String name : interfaceNames(desired, current)) {
            InterfaceSpec candidate = mergedInterface(desired, current, name);
            if (candidate != null && familyEnabled(candidate, rule.isIpv6())) {
                return name;
            }
        }
        throw new InvalidStateException("route-rules: the rule " + rule + " needs an interface that is up with "
            + (rule.isIpv6() ? "IPv6" : "IPv4") + " enabled to hold it, and no interface is");
    }

    private static boolean familyEnabled(InterfaceSpec iface, boolean ipv6) {
        IpConfig ip = ipv6 ? iface.ipv6() : iface.ipv4();
        return ip != null && ip.isEnabled();
    }

    private static boolean holdsDns(NmSettings s) {
        return Stream.of("ipv4", "ipv6").anyMatch(family -> nonEmpty(s.value(family, "dns")) || nonEmpty(s.value(family, "dns-search"))
            || nonEmpty(s.value(family, "dns-options")));
    }

    /** The interface, and its family, that holds search domains and options when no name server is configured. */
    private record SearchHolder(String name, boolean ipv6) {
    }

    /**
     * Where search domains and options go without name servers: as nmstate places them, on an interface that is up with
     * IPv6 or else IPv4 enabled, one with a static address first, then one with a dynamic one, desired interfaces first.
     */
    private static SearchHolder searchOnlyHolder(NetworkState desired, NetworkState current, DnsConfig merged) {
        String staticV4 = holder(desired, current, false, null);
        if (staticV4 != null) {
            return new SearchHolder(staticV4, false);
        }
        String staticV6 = holder(desired, current, true, null);
        if (staticV6 != null) {
            return new SearchHolder(staticV6, true);
        }
        for (String name : interfaceNames(desired, current)) {
            InterfaceSpec candidate = mergedInterface(desired, current, name);
            if (candidate == null) {
                continue;
            }
            if (candidate.ipv6() != null && candidate.ipv6().isEnabled()) {
                return new SearchHolder(name, true);
            }
            if (candidate.ipv4() != null && candidate.ipv4().isEnabled()) {
                return new SearchHolder(name, false);
            }
        }
        List<String> entries = new ArrayList<>(merged.searches());
        entries.addAll(merged.options() == null ? List.of() : merged.options());
        throw new InvalidStateException("dns-resolver.config: " + String.join(", ", entries) + " need an interface that is up with "
            + "IPv4 or IPv6 enabled to hold them, and no interface is");
    }

    private static boolean nonEmpty(Object value) {
        return value instanceof List<?> list && !list.isEmpty();
    }

    /** The interface that holds a family's name servers: the first one, desired first, with a static address of it. */
    private static String holder(NetworkState desired, NetworkState current, boolean ipv6, String server) {
        for (String name : interfaceNames(desired, current)) {
            InterfaceSpec merged = mergedInterface(desired, current, name);
            if (merged == null) {
                continue;
            }
            IpConfig ip = ipv6 ? merged.ipv6() : merged.ipv4();
            if (ip != null && ip.isEnabled() && !ip.isDynamic() && ip.addresses() != null && !ip.addresses().isEmpty()) {
                return name;
            }
        }
        if (server == null) {
            return null;
        }
        throw new InvalidStateException("dns-resolver.config.server: name server " + server + " needs an interface with a static "
            + (ipv6 ? "IPv6" : "IPv4") + " address to hold it, and no interface has one");
    }

    /** The names of the desired interfaces, then of the host's others. */
    private static Set<String> interfaceNames(NetworkState desired, NetworkState current) {
        Set<String> names = new LinkedHashSet<>();
        desired.interfaces().forEach(i -> names.add(i.name()));
        current.interfaces().forEach(i -> names.add(i.name()));
        return names;
    }

    /** The interface {@code name} as the apply leaves it, when that is up and not a port the state leaves alone; else null. */
    private static InterfaceSpec mergedInterface(NetworkState desired, NetworkState current, String name) {
        InterfaceSpec now = current.find(name).orElse(InterfaceSpec.named(name, null, null));
        InterfaceSpec merged = desired.find(name).map(w -> now.overlay(w.withState(w.effectiveState()))).orElse(now);
        if (merged.effectiveState() != InterfaceState.UP || merged.controller() != null && desired.find(name).isEmpty()) {
            return null;
        }
        return merged;
    }
}
