package io.nmstream.nmstate;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks, before anything is touched, that a desired state can be applied to a host: new interfaces have a type,
 * hardware interfaces exist, ports and VLAN bases exist, routes leave through interfaces that will be there.
 */
public final class StateValidator {

    private StateValidator() {
    }

    /** Throws an {@link InvalidStateException} listing every problem of {@code desired} against {@code current}. */
    public static void validate(NetworkState desired, NetworkState current) {
        List<String> problems = new ArrayList<>();
        // the host as this state would leave it: which controller each interface is a port of, which families it has
        NetworkState merged = StateMerger.merge(current, desired);
        for (InterfaceSpec want : desired.interfaces()) {
            InterfaceState state = want.effectiveState();
            InterfaceSpec have = current.find(want.name()).orElse(null);
            String who = "Interface " + want.name() + ": ";
            if (state == InterfaceState.IGNORE || state == InterfaceState.ABSENT || state == InterfaceState.DOWN) {
                continue;
            }
            if (have == null) {
                if (want.type() == null) {
                    problems.add(who + "no such interface on this node, and no type is given to create it");
                    continue;
                }
                if (!want.type().isVirtual()) {
                    problems.add(who + "no such interface on this node (interfaces of type " + want.type().nmstateName()
                        + " cannot be created)");
                    continue;
                }
            } else if (want.type() != null && have.type() != InterfaceType.UNKNOWN && want.type() != have.type()
                && !(want.type() == InterfaceType.ETHERNET && have.type() == InterfaceType.VETH)) {
                problems.add(who + "type " + want.type().nmstateName() + " does not match the existing " + have.type().nmstateName()
                    + " interface");
            }
            InterfaceType type = want.type() != null ? want.type() : have.type();
            IpConfig ipv6After = merged.find(want.name()).map(InterfaceSpec::ipv6).orElse(null);
            if (want.ipv6() != null && ipv6After != null && ipv6After.isEnabled() && Boolean.TRUE.equals(ipv6After.autoconf())
                && !Boolean.TRUE.equals(ipv6After.dhcp())) {
                problems.add(who + "ipv6." + InterfaceParser.AUTOCONF_WITHOUT_DHCP + " (DHCPv6 is off on this node)");
            }
            String keptToken = ipv6After == null || want.ipv6() == null || want.ipv6().token() != null ? null : ipv6After.token();
            if (keptToken != null && !keptToken.equals("::") && "stable-privacy".equals(want.ipv6().addrGenMode())
                && Boolean.TRUE.equals(ipv6After.autoconf())) {
                // NetworkManager would refuse the profile; say so before anything is touched
                problems.add(who + "ipv6.addr-gen-mode stable-privacy cannot go with the token " + keptToken + " this node has "
                    + "(NetworkManager uses a token only with eui64); remove it with token: \"\" in the same block");
            }
            InterfaceSpec after = merged.find(want.name()).orElse(want);
            for (boolean ipv6 : new boolean[] {false, true}) {
                IpConfig ip = ipv6 ? after.ipv6() : after.ipv4();
                if (want.waitIp() != null && want.waitIp().waitsFor(ipv6) && (ip == null || !ip.isEnabled())
                    && after.controller() == null) {
                    // nmstate refuses it too: NetworkManager would wait for a family that never comes
                    String family = ipv6 ? "ipv6" : "ipv4";
                    problems.add(who + "wait-ip " + want.waitIp().nmstateName() + " waits for " + family + ", which is disabled on "
                        + "this node; enable it in the same state, or wait for another family");
                }
            }
            if (want.acceptAllMacAddresses() != null && (type == InterfaceType.MAC_VLAN || type == InterfaceType.VRF
                || type == InterfaceType.OVS_BRIDGE)) {
                problems.add(who + "accept-all-mac-addresses is not for a " + type.nmstateName()
                    + (type == InterfaceType.MAC_VLAN ? " (it says it with mac-vlan.promiscuous)" : " (it has no Ethernet link)"));
            }
            if (want.copyMacFrom() != null) {
                InterfaceSpec source = current.find(want.copyMacFrom()).orElse(null);
                if (!InterfaceParser.COPY_MAC_TYPES.contains(type)) {
                    problems.add(who + "copy-mac-from is only for a bond, linux-bridge or ovs-interface, not a " + type.nmstateName());
                } else if (source == null || StateMerger.macOf(source) == null) {
                    problems.add(who + "copy-mac-from " + want.copyMacFrom() + ": no such interface with a MAC address on this node");
                }
            }
            if (want.bond() != null && type != InterfaceType.BOND) {
                problems.add(who + "link-aggregation is only valid on a bond");
            }
            if (want.bridge() != null && type != InterfaceType.LINUX_BRIDGE && type != InterfaceType.OVS_BRIDGE) {
                problems.add(who + "bridge is only valid on a linux-bridge or an ovs-bridge");
            }
            if (want.vrf() != null && type != InterfaceType.VRF) {
                problems.add(who + "vrf is only valid on a vrf");
            }
            if (want.macVlan() != null && type != InterfaceType.MAC_VLAN) {
                problems.add(who + "mac-vlan is only valid on a mac-vlan");
            }
            if (want.vxlan() != null && type != InterfaceType.VXLAN) {
                problems.add(who + "vxlan is only valid on a vxlan");
            }
            if (type == InterfaceType.VLAN) {
                validateVlan(want, have, desired, current, problems);
            }
            if (type == InterfaceType.MAC_VLAN) {
                MacVlanConfig macVlan = want.macVlan() != null ? want.macVlan() : have == null ? null : have.macVlan();
                validateBase(who + "mac-vlan.base-iface", macVlan == null ? null : macVlan.baseIface(), have == null, desired, current,
                    problems);
            }
            if (want.mtu() != null && (type == InterfaceType.VLAN || type == InterfaceType.MAC_VLAN)) {
                validateMtuWithinBase(want, merged, problems);
            }
            if (type == InterfaceType.VXLAN) {
                VxlanConfig vxlan = want.vxlan() != null ? want.vxlan() : have == null ? null : have.vxlan();
                if (have == null && (vxlan == null || vxlan.id() == null)) {
                    problems.add(who + "vxlan.id is required for a new VXLAN");
                }
                if (vxlan != null && vxlan.baseIface() != null) {
                    validateBase(who + "vxlan.base-iface", vxlan.baseIface(), false, desired, current, problems);
                }
            }
            if (type == InterfaceType.VRF && have == null && (want.vrf() == null || want.vrf().routeTableId() == null)) {
                problems.add(who + "vrf.route-table-id is required for a new VRF");
            }
            if (type == InterfaceType.VETH && have == null && want.vethPeer() == null) {
                problems.add(who + "veth.peer is required for a new veth (the peer is created with it)");
            }
            String keptController = keptController(want, desired, merged);
            if (keptController != null && hasIp(want) && losesIp(typeOf(keptController, desired, current), want.name(), desired, current)) {
                // nmstate refuses this too ("cannot have IP enabled as it is attached to a controller"); NetworkManager
                // would silently drop the port profile's IP settings, and verification would fail after the change
                problems.add(who + "a port of " + keptController + " cannot have IP addresses of its own; give them to "
                    + keptController + ", or take " + want.name() + " out of " + keptController + "'s ports in the same state");
            }
            if (keptController != null && want.waitIp() != null && losesIp(typeOf(keptController, desired, current), want.name(), desired,
                current)) {
                problems.add(who + "a port of " + keptController + " has no IP configuration of its own to wait for; wait-ip belongs on "
                    + keptController);
            }
            List<String> ports = want.portNames();
            if (ports != null) {
                for (String port : ports) {
                    if (port.equals(want.name())) {
                        problems.add(who + "cannot be a port of itself");
                    } else if (!willExist(port, desired, current)) {
                        problems.add(who + "port " + port + " does not exist on this node");
                    } else if (losesIp(type, port, desired, current) && desired.find(port).map(StateValidator::hasIp).orElse(false)) {
                        problems.add("Interface " + port + ": a port of " + want.name() + " cannot have IP addresses of its own");
                    }
                }
            }
        }
        for (int i = 0; i < desired.routes().size(); i++) {
            Route r = desired.routes().get(i);
            if (r.absent()) {
                continue;
            }
            InterfaceSpec via = merged.find(r.nextHopInterface()).orElse(null);
            if (via == null || !willExist(r.nextHopInterface(), desired, current)) {
                problems.add("routes.config[" + i + "]: next-hop-interface " + r.nextHopInterface() + " does not exist on this node");
            } else if (!StateMerger.carriesRoutes(via, r.isIpv6())) {
                // nmstate refuses it too; NetworkManager would keep the route in a profile that has no address for it
                String family = r.isIpv6() ? "IPv6" : "IPv4";
                boolean namedOn = desired.find(r.nextHopInterface()).map(d -> r.isIpv6() ? d.ipv6() : d.ipv4())
                    .map(IpConfig::isEnabled).orElse(false);
                String why = via.controller() != null ? " as a port of " + via.controller()
                    : namedOn ? " as it gets no " + family + " address (none given, no DHCP)" : "";
                problems.add("routes.config[" + i + "]: next-hop-interface " + r.nextHopInterface() + " has " + family + " disabled"
                    + why + "; a route needs " + family + " enabled on the interface it leaves through");
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidStateException(String.join("; ", problems));
        }
    }

    private static void validateVlan(InterfaceSpec want, InterfaceSpec have, NetworkState desired, NetworkState current,
                                     List<String> problems) {
        String who = "Interface " + want.name() + ": ";
        VlanConfig vlan = want.vlan() != null ? want.vlan() : have == null ? null : have.vlan();
        if (vlan == null || vlan.baseIface() == null || vlan.id() == null) {
            if (have == null) {
                problems.add(who + "vlan.base-iface and vlan.id are required for a new VLAN");
            }
            return;
        }
        if (!willExist(vlan.baseIface(), desired, current)) {
            problems.add(who + "vlan.base-iface " + vlan.baseIface() + " does not exist on this node");
        }
    }

    /**
     * The kernel refuses a VLAN or MAC-VLAN an MTU above its base interface's, and NetworkManager then keeps the old one:
     * the apply would fail only at verification, blaming the driver. Checked against the base as the state leaves it.
     */
    private static void validateMtuWithinBase(InterfaceSpec want, NetworkState merged, List<String> problems) {
        InterfaceSpec after = merged.find(want.name()).orElse(null);
        String base = after == null ? null : after.vlan() != null ? after.vlan().baseIface()
            : after.macVlan() != null ? after.macVlan().baseIface() : null;
        Integer baseMtu = base == null ? null : merged.find(base).map(InterfaceSpec::mtu).orElse(null);
        if (baseMtu != null && want.mtu() > baseMtu) {
            problems.add("Interface " + want.name() + ": mtu " + want.mtu() + " is above the MTU of its base interface " + base + " ("
                + baseMtu + "); a " + want.type().nmstateName() + "'s MTU cannot exceed its base's: raise " + base
                + "'s mtu in the same state, or lower this one");
        }
    }

    private static boolean hasIp(InterfaceSpec spec) {
        return spec.ipv4() != null && spec.ipv4().isEnabled() || spec.ipv6() != null && spec.ipv6().isEnabled();
    }

    /**
     * The controller {@code want} stays a port of after the state, taken from the host: null when it is no port then, and
     * when {@code desired} itself lists it in a controller's ports (checked with that controller).
     */
    private static String keptController(InterfaceSpec want, NetworkState desired, NetworkState merged) {
        boolean listed = desired.interfaces().stream().anyMatch(c -> c.portNames() != null && c.portNames().contains(want.name()));
        return listed ? null : merged.find(want.name()).map(InterfaceSpec::controller).orElse(null);
    }

    private static InterfaceType typeOf(String name, NetworkState desired, NetworkState current) {
        return desired.find(name).map(InterfaceSpec::type)
            .orElse(current.find(name).map(InterfaceSpec::type).orElse(null));
    }

    /**
     * Whether a port of a controller of type {@code controllerType} loses its own IP configuration: ports of a VRF keep
     * theirs (the VRF routes them), and so do an ovs-bridge's internal interfaces.
     */
    private static boolean losesIp(InterfaceType controllerType, String port, NetworkState desired, NetworkState current) {
        if (controllerType == InterfaceType.VRF) {
            return false;
        }
        InterfaceType portType = desired.find(port).map(InterfaceSpec::type)
            .orElse(current.find(port).map(InterfaceSpec::type).orElse(null));
        return portType != InterfaceType.OVS_INTERFACE;
    }

    private static void validateBase(String field, String base, boolean required, NetworkState desired, NetworkState current,
                                     List<String> problems) {
        if (base == null) {
            if (required) {
                problems.add(field + " is required for a new interface of this type");
            }
            return;
        }
        if (!willExist(base, desired, current)) {
            problems.add(field + " " + base + " does not exist on this node");
        }
    }

    private static boolean willExist(String name, NetworkState desired, NetworkState current) {
        InterfaceSpec want = desired.find(name).orElse(null);
        if (want != null) {
            InterfaceState state = want.effectiveState();
            if (state == InterfaceState.ABSENT) {
                return current.find(name).map(i -> !i.type().isVirtual()).orElse(false);
            }
            return current.find(name).isPresent() || want.type() != null && want.type().isVirtual();
        }
        return current.find(name).isPresent();
    }
}
