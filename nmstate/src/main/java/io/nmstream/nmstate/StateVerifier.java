package io.nmstream.nmstate;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * Checks that a desired state is contained in a current one (nmstate's verification): every field the desired state
 * gives must hold on the host; fields it leaves out are not checked. Each mismatch is described in the user's terms.
 */
public final class StateVerifier {

    private StateVerifier() {
    }

    /** The mismatches between {@code desired} and {@code current}; empty when the host has the desired state. */
    public static List<String> mismatches(NetworkState desired, NetworkState current) {
        List<String> out = new ArrayList<>();
        for (InterfaceSpec want : desired.interfaces()) {
            InterfaceSpec have = current.find(want.name()).orElse(null);
            checkInterface(want, have, out);
            for (String port : portsOf(want)) {
                InterfaceSpec p = current.find(port).orElse(null);
                if (p == null || !want.name().equals(p.controller())) {
                    out.add("Interface " + port + ": is not a port of " + want.name());
                }
            }
        }
        for (Route r : desired.routes()) {
            if (r.absent()) {
                current.runningRoutes().stream().filter(r::matches).findFirst()
                    .ifPresent(found -> out.add("Route " + found + ": still present, desired absent"));
            } else if (current.runningRoutes().stream().noneMatch(r::isSatisfiedBy)) {
                out.add("Route " + r + ": missing");
            }
        }
        if (desired.dns() != null) {
            DnsConfig have = current.dns() == null ? new DnsConfig(List.of(), List.of()) : current.dns();
            if (desired.dns().servers() != null && !desired.dns().servers().equals(have.servers())) {
                out.add("DNS: name servers are " + have.servers() + ", desired " + desired.dns().servers());
            }
            if (desired.dns().searches() != null && !desired.dns().searches().equals(have.searches())) {
                out.add("DNS: search domains are " + have.searches() + ", desired " + desired.dns().searches());
            }
        }
        return out;
    }

    private static List<String> portsOf(InterfaceSpec want) {
        if (want.effectiveState() != InterfaceState.UP) {
            return List.of();
        }
        List<String> ports = want.portNames();
        return ports == null ? List.of() : ports;
    }

    private static void checkInterface(InterfaceSpec want, InterfaceSpec have, List<String> out) {
        String who = "Interface " + want.name() + ": ";
        switch (want.effectiveState()) {
            case IGNORE -> {
                return;
            }
            case ABSENT -> {
                boolean gone = have == null || !have.type().isVirtual() && have.effectiveState() != InterfaceState.UP;
                if (!gone) {
                    out.add(who + "still present, desired absent");
                }
                return;
            }
            case DOWN -> {
                if (have != null && have.effectiveState() == InterfaceState.UP) {
                    out.add(who + "is up, desired down");
                }
                return;
            }
            default -> {
            }
        }
        if (have == null) {
            out.add(who + "does not exist");
            return;
        }
        if (have.effectiveState() != InterfaceState.UP) {
            out.add(who + "is " + have.effectiveState().nmstateName() + ", desired up");
        }
        boolean vethAsEthernet = want.type() == InterfaceType.ETHERNET && have.type() == InterfaceType.VETH;
        if (want.type() != null && want.type() != have.type() && !vethAsEthernet) {
            out.add(who + "is of type " + have.type().nmstateName() + ", desired " + want.type().nmstateName());
        }
        if (want.mtu() != null && !want.mtu().equals(have.mtu())) {
            out.add(have.mtu() != null && want.mtu() > have.mtu() && have.effectiveState() == InterfaceState.UP
                ? who + "MTU " + want.mtu() + " exceeds the maximum supported by the driver (the interface kept MTU " + have.mtu() + ")"
                : who + "MTU is " + have.mtu() + ", desired " + want.mtu());
        }
        if (want.macAddress() != null && !want.macAddress().equals(have.macAddress())) {
            out.add(who + "MAC address is " + have.macAddress() + ", desired " + want.macAddress());
        }
        checkIp(who + "IPv4 ", want.ipv4(), have.ipv4(), out);
        checkIp(who + "IPv6 ", want.ipv6(), have.ipv6(), out);
        if (want.bond() != null && have.bond() != null) {
            if (want.bond().mode() != null && !want.bond().mode().equals(have.bond().mode())) {
                out.add(who + "bond mode is " + have.bond().mode() + ", desired " + want.bond().mode());
            }
            samePorts(who, want.bond().ports(), have.bond().ports(), out);
        }
        if (want.vlan() != null && have.vlan() != null) {
            if (want.vlan().id() != null && !want.vlan().id().equals(have.vlan().id())) {
                out.add(who + "VLAN id is " + have.vlan().id() + ", desired " + want.vlan().id());
            }
        }
        if (want.bridge() != null && have.bridge() != null) {
            if (want.bridge().stpEnabled() != null && !want.bridge().stpEnabled().equals(have.bridge().stpEnabled())) {
                out.add(who + "STP is " + onOff(have.bridge().stpEnabled()) + ", desired " + onOff(want.bridge().stpEnabled()));
            }
            samePorts(who, want.bridge().portNames(), have.bridge().portNames(), out);
        }
        if (want.lldp() != null && !want.lldp().equals(have.lldp())) {
            out.add(who + "LLDP is " + onOff(have.lldp()) + ", desired " + onOff(want.lldp()));
        }
        if (want.dcb() != null && !Objects.equals(want.dcb(), have.dcb())) {
            out.add(who + "IEEE 802.1Qaz settings are " + have.dcb() + ", desired " + want.dcb());
        }
    }

    private static void samePorts(String who, List<String> want, List<String> have, List<String> out) {
        if (want != null && !new HashSet<>(want).equals(new HashSet<>(have == null ? List.of() : have))) {
            out.add(who + "ports are " + have + ", desired " + want);
        }
    }

    private static void checkIp(String who, IpConfig want, IpConfig have, List<String> out) {
        if (want == null) {
            return;
        }
        IpConfig h = have == null ? IpConfig.disabled() : have;
        if (want.enabled() != null && want.isEnabled() != h.isEnabled()) {
            out.add(who + "is " + (h.isEnabled() ? "enabled" : "disabled") + ", desired " + (want.isEnabled() ? "enabled" : "disabled"));
            return;
        }
        if (!want.isEnabled()) {
            return;
        }
        if (want.dhcp() != null && !want.dhcp().equals(Boolean.TRUE.equals(h.dhcp()))) {
            out.add(who + "DHCP is " + onOff(h.dhcp()) + ", desired " + onOff(want.dhcp()));
        }
        if (want.autoconf() != null && !want.autoconf().equals(Boolean.TRUE.equals(h.autoconf()))) {
            out.add(who + "autoconf is " + onOff(h.autoconf()) + ", desired " + onOff(want.autoconf()));
        }
        if (want.addresses() != null && !want.isDynamic()) {
            List<IpAddress> have2 = h.addresses() == null ? List.of() : h.addresses().stream().filter(a -> !a.isLinkLocal()).toList();
            List<IpAddress> want2 = want.addresses().stream().filter(a -> !a.isLinkLocal()).toList();
            if (!new HashSet<>(want2).equals(new HashSet<>(have2))) {
                out.add(who + "addresses are " + have2 + ", desired " + want2);
            }
        }
    }

    private static String onOff(Boolean value) {
        return Boolean.TRUE.equals(value) ? "on" : "off";
    }
}
