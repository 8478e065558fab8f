package io.nmstream.nmstate;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules of a desired state that span interfaces: names are unique, a port has one controller and is not removed by the
 * same state, a port of a bond or bridge has no IP addresses of its own, a stacked interface's base and a route's next-hop
 * interface are not removed by the same state, and a VLAN's or MAC-VLAN's MTU is not above its base's.
 */
final class DocumentChecks {

    private final List<InterfaceParser.Entry> entries;
    private final Map<String, InterfaceParser.Entry> byName = new HashMap<>();

    DocumentChecks(List<InterfaceParser.Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** Records every problem between the interfaces. */
    void checkInterfaces() {
        checkUniqueNames();
        checkPorts();
        checkStackedInterfaces();
    }

    /** Manages names: each interface is listed once. */
    private void checkUniqueNames() {
        for (InterfaceParser.Entry entry : entries) {
            InterfaceParser.Entry first = byName.putIfAbsent(entry.spec().name(), entry);
            if (first != null) {
                entry.node().field("name").problem("interface names must be unique; already defined at "
                    + first.node().path());
            }
        }
    }

    /** Manages ports: one controller each, not removed in the same state, and no IP addresses of their own on a bond or bridge. */
    private void checkPorts() {
        Map<String, String> owner = new HashMap<>();
        for (InterfaceParser.Entry controller : entries) {
            if (isAbsent(controller)) {
                continue;
            }
            for (InterfaceParser.PortRef port : controller.ports()) {
                InterfaceParser.Entry target = byName.get(port.name());
                if (target != null && isAbsent(target)) {
                    port.at().problem("this port is removed (state: absent) in the same desired state");
                }
                String previous = owner.putIfAbsent(port.name(), controller.spec().name());
                if (previous != null) {
                    port.at().problem("already a port of " + previous + "; an interface can have one controller");
                }
                if (target != null && !isAbsent(target) && carriesNoAddresses(controller.spec(), target.spec())) {
                    checkNoAddresses(controller.spec().name(), target, "ipv4", target.spec().ipv4());
                    checkNoAddresses(controller.spec().name(), target, "ipv6", target.spec().ipv6());
                    if (target.spec().waitIp() != null) {
                        target.node().field("wait-ip").problem("a port of " + controller.spec().name() + " has no IP configuration "
                            + "of its own to wait for; wait-ip belongs on " + controller.spec().name());
                    }
                }
            }
        }
    }

    /** Bond and Linux bridge ports carry no addresses; VRF ports do, and so do an OVS bridge's internal interfaces. */
    private static boolean carriesNoAddresses(InterfaceSpec controller, InterfaceSpec port) {
        return controller.type() == InterfaceType.BOND || controller.type() == InterfaceType.LINUX_BRIDGE
            || controller.type() == InterfaceType.OVS_BRIDGE && port.type() != InterfaceType.OVS_INTERFACE;
    }

    private static void checkNoAddresses(String controller, InterfaceParser.Entry port, String family, IpConfig ip) {
        if (ip != null && ip.isEnabled()) {
            port.node().field(family).problem("a port of " + controller + " cannot have IP addresses of its own; give them to "
                + controller + " (or set " + family + ".enabled: false)");
        }
    }

    /**
     * Manages stacked interfaces (VLAN, MAC-VLAN, VXLAN): their base interface cannot be removed in the same state, and a
     * VLAN or MAC-VLAN cannot be given an MTU above the one the same state gives its base.
     */
    private void checkStackedInterfaces() {
        for (InterfaceParser.Entry stacked : entries) {
            if (stacked.baseIface() == null || isAbsent(stacked) || !stacked.baseIface().node().isTextual()) {
                continue;
            }
            InterfaceParser.Entry base = byName.get(stacked.baseIface().node().asText());
            if (base != null && isAbsent(base)) {
                stacked.baseIface().problem("the base interface is removed (state: absent) in the same desired state");
            } else if (base != null && exceedsBaseMtu(stacked.spec(), base.spec())) {
                stacked.node().field("mtu").problem("at most the mtu of its base interface " + base.spec().name() + " ("
                    + base.spec().mtu() + ") in the same desired state; a " + stacked.spec().type().nmstateName()
                    + "'s MTU cannot exceed its base's");
            }
        }
    }

    /**
     * Manages a route: the interface it leaves through cannot be removed in the same state, nor left without the route's
     * family by it (turned off, or made a port of a bond or bridge).
     */
    void checkRoute(Route route, Located nextHopInterface) {
        if (route.absent() || nextHopInterface == null || route.nextHopInterface() == null) {
            return;
        }
        InterfaceParser.Entry target = byName.get(route.nextHopInterface());
        if (target != null && isAbsent(target)) {
            nextHopInterface.problem("this interface is removed (state: absent) in the same desired state");
            return;
        }
        String family = route.isIpv6() ? "ipv6" : "ipv4";
        IpConfig ip = target == null ? null : route.isIpv6() ? target.spec().ipv6() : target.spec().ipv4();
        if (ip != null && Boolean.FALSE.equals(ip.enabled())) {
            nextHopInterface.problem("this interface has " + family + ".enabled: false in the same desired state; a route needs its "
                + "family enabled on the interface it leaves through");
            return;
        }
        if (!route.isIpv6() && ip != null && ip.isEnabled() && Boolean.FALSE.equals(ip.dhcp()) && ip.addresses() != null
            && ip.addresses().isEmpty()) {
            nextHopInterface.problem("this interface has no IPv4 address and dhcp: false in the same desired state, which leaves "
                + "IPv4 off on it; a route needs its family enabled on the interface it leaves through");
            return;
        }
        for (InterfaceParser.Entry controller : entries) {
            boolean lists = !isAbsent(controller) && controller.ports().stream().anyMatch(p -> p.name().equals(route.nextHopInterface()));
            InterfaceType type = controller.spec().type();
            boolean noAddresses = target != null ? carriesNoAddresses(controller.spec(), target.spec())
                : type == InterfaceType.BOND || type == InterfaceType.LINUX_BRIDGE;
            if (lists && noAddresses) {
                nextHopInterface.problem("this interface is a port of " + controller.spec().name() + " in the same desired state and "
                    + "has no addresses of its own; route through " + controller.spec().name() + " instead");
                return;
            }
        }
    }

    /** The kernel refuses a VLAN or MAC-VLAN an MTU above its base interface's. */
    private static boolean exceedsBaseMtu(InterfaceSpec stacked, InterfaceSpec base) {
        boolean bounded = stacked.type() == InterfaceType.VLAN || stacked.type() == InterfaceType.MAC_VLAN;
        return bounded && stacked.mtu() != null && base.mtu() != null && stacked.mtu() > base.mtu();
    }

    private static boolean isAbsent(InterfaceParser.Entry entry) {
        return entry.spec().state() == InterfaceState.ABSENT;
    }
}
