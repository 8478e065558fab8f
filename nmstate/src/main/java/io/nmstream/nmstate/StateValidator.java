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
                    problems.add(who + "no such interface on this node (a " + want.type().nmstateName() + " interface cannot be created)");
                    continue;
                }
            } else if (want.type() != null && have.type() != InterfaceType.UNKNOWN && want.type() != have.type()
                && !(want.type() == InterfaceType.ETHERNET && have.type() == InterfaceType.VETH)) {
                problems.add(who + "type " + want.type().nmstateName() + " does not match the existing " + have.type().nmstateName()
                    + " interface");
            }
            InterfaceType type = want.type() != null ? want.type() : have.type();
            if (want.bond() != null && type != InterfaceType.BOND) {
                problems.add(who + "link-aggregation is only valid on a bond");
            }
            if (want.bridge() != null && type != InterfaceType.LINUX_BRIDGE) {
                problems.add(who + "bridge is only valid on a linux-bridge");
            }
            if (type == InterfaceType.VLAN) {
                validateVlan(want, have, desired, current, problems);
            }
            List<String> ports = want.portNames();
            if (ports != null) {
                for (String port : ports) {
                    if (port.equals(want.name())) {
                        problems.add(who + "cannot be a port of itself");
                    } else if (!willExist(port, desired, current)) {
                        problems.add(who + "port " + port + " does not exist on this node");
                    } else if (desired.find(port).map(p -> p.ipv4() != null && p.ipv4().isEnabled()
                        || p.ipv6() != null && p.ipv6().isEnabled()).orElse(false)) {
                        problems.add("Interface " + port + ": a port of " + want.name() + " cannot have IP addresses of its own");
                    }
                }
            }
        }
        for (int i = 0; i < desired.routes().size(); i++) {
            Route r = desired.routes().get(i);
            if (!r.absent() && !willExist(r.nextHopInterface(), desired, current)) {
                problems.add("routes.config[" + i + "]: next-hop-interface " + r.nextHopInterface() + " does not exist on this node");
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
