package io.nmstream.nmstate;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

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
                // a route the same state adds may match the absent one (an absent default route and a new one change the
                // gateway): only a matching route that no desired route produces is one that should have gone
                current.runningRoutes().stream().filter(r::matches)
                    .filter(found -> desired.routes().stream().noneMatch(d -> !d.absent() && d.isSatisfiedBy(found))).findFirst()
                    .ifPresent(found -> out.add("Route " + found + ": still present, desired absent"));
            } else if (current.runningRoutes().stream().noneMatch(r::isSatisfiedBy)) {
                out.add("Route " + r + ": missing");
            }
        }
        for (RouteRule rule : desired.routeRules()) {
            if (rule.absent()) {
                // as for routes: a rule the same state adds may match the pattern
                current.routeRules().stream().filter(rule::matches)
                    .filter(found -> desired.routeRules().stream().noneMatch(d -> !d.absent() && d.matches(found))).findFirst()
                    .ifPresent(found -> out.add("Route rule " + found + ": still present, desired absent"));
            } else if (current.routeRules().stream().noneMatch(rule::matches)) {
                out.add("Route rule " + rule + ": missing");
            }
        }
        if (desired.dns() != null) {
            DnsConfig have = current.dns() == null ? DnsConfig.empty() : current.dns();
            DnsConfig want = desired.dns();
            if (want.servers() != null && !want.servers().equals(have.servers())) {
                out.add("DNS: name servers are " + have.servers() + ", desired " + want.servers());
            }
            if (want.searches() != null && !want.searches().equals(have.searches())) {
                out.add("DNS: search domains are " + have.searches() + ", desired " + want.searches());
            }
            if (want.options() != null && !want.optionSet().equals(have.optionSet())) {
                out.add("DNS: options are " + have.optionSet() + ", desired " + want.optionSet());
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
        if (want.description() != null && !want.description().equals(have.description() == null ? "" : have.description())) {
            out.add(who + "description is \"" + (have.description() == null ? "" : have.description()) + "\", desired \""
                + want.description() + "\"");
        }
        if (want.macAddress() != null && !want.macAddress().equals(have.macAddress())) {
            out.add(who + "MAC address is " + have.macAddress() + ", desired " + want.macAddress());
        }
        if (want.acceptAllMacAddresses() != null && !want.acceptAllMacAddresses().equals(have.acceptAllMacAddresses())) {
            out.add(who + "accept-all-mac-addresses is " + have.acceptAllMacAddresses() + ", desired " + want.acceptAllMacAddresses());
        }
        if (want.mptcpAddressFlags() != null && !want.mptcpAddressFlags().equals(have.mptcpAddressFlags())) {
            out.add(who + "mptcp.address-flags is " + MptcpAddressFlag.describe(have.mptcpAddressFlags()) + ", desired "
                + MptcpAddressFlag.describe(want.mptcpAddressFlags()));
        }
        checkIp(who + "IPv4 ", want.ipv4(), have.ipv4(), false, out);
        checkIp(who + "IPv6 ", want.ipv6(), have.ipv6(), true, out);
        if (want.waitIp() != null && (have.ipv4() != null || have.ipv6() != null) && want.waitIp() != have.waitIp()) {
            out.add(who + "wait-ip is " + (have.waitIp() == null ? "unset" : have.waitIp().nmstateName()) + ", desired "
                + want.waitIp().nmstateName());
        }
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
            same(who + "vlan protocol", want.vlan().protocol(), have.vlan().protocol(), out);
            same(who + "vlan registration-protocol", want.vlan().registrationProtocol(), have.vlan().registrationProtocol(), out);
            same(who + "vlan reorder-headers", want.vlan().reorderHeaders(), have.vlan().reorderHeaders(), out);
            same(who + "vlan loose-binding", want.vlan().looseBinding(), have.vlan().looseBinding(), out);
        }
        if (want.bridge() != null && have.bridge() != null) {
            checkBridge(who, want.bridge(), have.bridge(), out);
        }
        if (want.vrf() != null && have.vrf() != null) {
            if (want.vrf().routeTableId() != null && !want.vrf().routeTableId().equals(have.vrf().routeTableId())) {
                out.add(who + "vrf route-table-id is " + have.vrf().routeTableId() + ", desired " + want.vrf().routeTableId());
            }
            samePorts(who, want.vrf().ports(), have.vrf().ports(), out);
        }
        if (want.macVlan() != null && have.macVlan() != null) {
            MacVlanConfig w = want.macVlan();
            MacVlanConfig h = have.macVlan();
            same(who + "mac-vlan base-iface", w.baseIface(), h.baseIface(), out);
            same(who + "mac-vlan mode", w.mode(), h.mode(), out);
            same(who + "mac-vlan promiscuous", w.promiscuous(), h.promiscuous(), out);
        }
        if (want.vxlan() != null && have.vxlan() != null) {
            VxlanConfig w = want.vxlan();
            VxlanConfig h = have.vxlan();
            same(who + "vxlan id", w.id(), h.id(), out);
            same(who + "vxlan base-iface", w.baseIface(), h.baseIface(), out);
            same(who + "vxlan remote", w.remote(), h.remote(), out);
            same(who + "vxlan local", w.local(), h.local(), out);
            same(who + "vxlan destination-port", w.destinationPort(), h.destinationPort(), out);
            same(who + "vxlan learning", w.learning(), h.learning(), out);
        }
        if (want.vethPeer() != null && have.vethPeer() != null && !want.vethPeer().equals(have.vethPeer())) {
            out.add(who + "veth peer is " + have.vethPeer() + ", desired " + want.vethPeer());
        }
        if (want.ethernet() != null) {
            checkEthernet(who, want.ethernet(), have.ethernet(), out);
        }
        if (want.lldp() != null && !want.lldp().equals(have.lldp())) {
            out.add(who + "LLDP is " + onOff(have.lldp()) + ", desired " + onOff(want.lldp()));
        }
        if (want.dcb() != null) {
            checkDcb(who, want.dcb(), have.dcb(), out);
        }
    }

    private static void checkBridge(String who, BridgeConfig want, BridgeConfig have, List<String> out) {
        BridgeConfig.Options w = want.options();
        BridgeConfig.Options h = have.options() == null ? new BridgeConfig.Options(null, null, null, null, null, null, null)
            : have.options();
        if (w != null) {
            if (w.stpEnabled() != null && !w.stpEnabled().equals(h.stpEnabled())) {
                out.add(who + "STP is " + onOff(h.stpEnabled()) + ", desired " + onOff(w.stpEnabled()));
            }
            same(who + "bridge stp forward-delay", w.stpForwardDelay(), h.stpForwardDelay(), out);
            same(who + "bridge stp hello-time", w.stpHelloTime(), h.stpHelloTime(), out);
            same(who + "bridge stp max-age", w.stpMaxAge(), h.stpMaxAge(), out);
            same(who + "bridge stp priority", w.stpPriority(), h.stpPriority(), out);
            same(who + "bridge mac-ageing-time", w.macAgeingTime(), h.macAgeingTime(), out);
            same(who + "bridge multicast-snooping", w.multicastSnooping(), h.multicastSnooping(), out);
            w.more().forEach((option, value) -> {
                // the host reports every option; one it leaves out has the kernel's default
                Object actual = h.more().getOrDefault(option, option.kernelDefault());
                if (!value.equals(actual)) {
                    out.add(who + "bridge " + option.nmstateName() + " is " + actual + ", desired " + value);
                }
            });
        }
        samePorts(who, want.portNames(), have.portNames(), out);
        if (want.ports() != null && have.ports() != null) {
            for (BridgeConfig.Port port : want.ports()) {
                BridgeConfig.PortVlan haveVlan = have.ports().stream().filter(p -> p.name().equals(port.name())).findFirst()
                    .map(BridgeConfig.Port::vlan).orElse(null);
                if (port.vlan() != null && !sameVlan(port.vlan(), haveVlan)) {
                    out.add(who + "port " + port.name() + " VLANs are " + vlanText(haveVlan) + ", desired " + vlanText(port.vlan()));
                }
            }
        }
    }

    /** Whether two port VLAN blocks filter the same VLANs: same mode, same native VLAN, same set of trunk VLANs. */
    private static boolean sameVlan(BridgeConfig.PortVlan want, BridgeConfig.PortVlan have) {
        if (have == null) {
            return false;
        }
        String mode = want.mode() == null ? "access" : want.mode();
        boolean trunk = mode.equals("trunk");
        Integer wantNative = trunk && Boolean.FALSE.equals(want.enableNative()) ? null : want.tag();
        Integer haveNative = "trunk".equals(have.mode()) && !Boolean.TRUE.equals(have.enableNative()) ? null : have.tag();
        return mode.equals(have.mode()) && Objects.equals(wantNative, haveNative)
            && vlanIds(want.trunkTags()).equals(vlanIds(have.trunkTags()));
    }

    private static Set<Integer> vlanIds(List<BridgeConfig.TrunkTag> tags) {
        Set<Integer> out = new TreeSet<>();
        if (tags != null) {
            tags.forEach(t -> {
                for (int id = t.from(); id <= t.to(); id++) {
                    out.add(id);
                }
            });
        }
        return out;
    }

    private static String vlanText(BridgeConfig.PortVlan vlan) {
        if (vlan == null) {
            return "not filtered";
        }
        StringBuilder text = new StringBuilder(vlan.mode() == null ? "access" : vlan.mode());
        if (vlan.tag() != null) {
            text.append(" tag ").append(vlan.tag());
        }
        if (vlan.trunkTags() != null && !vlan.trunkTags().isEmpty()) {
            text.append(" trunk-tags ").append(vlan.trunkTags().stream()
                .map(t -> t.from() == t.to() ? String.valueOf(t.from()) : t.from() + "-" + t.to()).toList());
        }
        return text.toString();
    }

    private static void checkEthernet(String who, EthernetConfig want, EthernetConfig have, List<String> out) {
        EthernetConfig h = have == null ? new EthernetConfig(null, null, null, null) : have;
        same(who + "ethernet auto-negotiation", want.autoNegotiation(), h.autoNegotiation(), out);
        same(who + "ethernet speed", want.speed(), h.speed(), out);
        same(who + "ethernet duplex", want.duplex(), h.duplex(), out);
        if (want.sriov() == null) {
            return;
        }
        EthernetConfig.Sriov hs = h.sriov() == null ? new EthernetConfig.Sriov(0, List.of(), null) : h.sriov();
        same(who + "SR-IOV total-vfs", want.sriov().totalVfs(), hs.totalVfs(), out);
        same(who + "SR-IOV drivers-autoprobe", want.sriov().driversAutoprobe(), hs.driversAutoprobe(), out);
        if (want.sriov().vfs() != null) {
            for (EthernetConfig.Vf vf : want.sriov().vfs()) {
                EthernetConfig.Vf hv = hs.vfs() == null ? null : hs.vfs().stream().filter(v -> v.id() == vf.id()).findFirst().orElse(null);
                String vfWho = who + "SR-IOV VF " + vf.id() + " ";
                if (hv == null) {
                    out.add(vfWho + "is not configured");
                    continue;
                }
                same(vfWho + "mac-address", vf.macAddress(), hv.macAddress(), out);
                same(vfWho + "spoof-check", vf.spoofCheck(), hv.spoofCheck(), out);
                same(vfWho + "trust", vf.trust(), hv.trust(), out);
                same(vfWho + "min-tx-rate", vf.minTxRate(), hv.minTxRate(), out);
                same(vfWho + "max-tx-rate", vf.maxTxRate(), hv.maxTxRate(), out);
                same(vfWho + "vlan-id", vf.vlanId(), hv.vlanId() == null ? Integer.valueOf(0) : hv.vlanId(), out);
                if (vf.vlanId() != null && vf.vlanId() != 0) {
                    same(vfWho + "qos", vf.qos(), hv.qos(), out);
                }
            }
        }
    }

    private static void checkDcb(String who, Ieee8021QazConfig want, Ieee8021QazConfig have, List<String> out) {
        Ieee8021QazConfig h = have == null ? new Ieee8021QazConfig(List.of(), null, List.of()) : have;
        if (want.pfcEnabled() != null && !new TreeSet<>(want.pfcEnabled()).equals(new TreeSet<>(h.pfcEnabled() == null ? List.of()
            : h.pfcEnabled()))) {
            out.add(who + "ieee-8021Qaz PFC is enabled for priorities " + new TreeSet<>(h.pfcEnabled() == null ? List.of()
                : h.pfcEnabled()) + ", desired " + new TreeSet<>(want.pfcEnabled()));
        }
        if (want.pfcDelay() != null && h.pfcDelay() != null && !want.pfcDelay().equals(h.pfcDelay())) {
            out.add(who + "ieee-8021Qaz PFC delay is " + h.pfcDelay() + ", desired " + want.pfcDelay());
        }
        if (want.trafficClasses() != null) {
            Set<Ieee8021QazConfig.TrafficClass> w = new HashSet<>(want.trafficClasses());
            Set<Ieee8021QazConfig.TrafficClass> hv = new HashSet<>(h.trafficClasses() == null ? List.of() : h.trafficClasses());
            if (!w.equals(hv)) {
                out.add(who + "ieee-8021Qaz ETS traffic classes are " + classesText(h.trafficClasses()) + ", desired "
                    + classesText(want.trafficClasses()));
            }
        }
    }

    private static String classesText(List<Ieee8021QazConfig.TrafficClass> classes) {
        if (classes == null || classes.isEmpty()) {
            return "none";
        }
        return classes.stream().sorted(java.util.Comparator.comparingInt(Ieee8021QazConfig.TrafficClass::trafficClass))
            .map(c -> c.trafficClass() + " (" + c.bandwidth() + "%, " + c.algorithm() + ")").toList().toString();
    }

    /** Adds "{@code what} is {@code have}, desired {@code want}" when {@code want} is given and differs. */
    private static void same(String what, Object want, Object have, List<String> out) {
        if (want != null && !want.equals(have)) {
            out.add(what + " is " + (have == null ? "not set" : have) + ", desired " + want);
        }
    }

    private static void samePorts(String who, List<String> want, List<String> have, List<String> out) {
        if (want != null && !new HashSet<>(want).equals(new HashSet<>(have == null ? List.of() : have))) {
            out.add(who + "ports are " + have + ", desired " + want);
        }
    }

    private static void checkIp(String who, IpConfig want, IpConfig have, boolean ipv6, List<String> out) {
        if (want == null) {
            return;
        }
        IpConfig h = have == null ? IpConfig.disabled() : have;
        if (!ipv6 && want.hasNothingToConfigure() && !h.isEnabled()) {
            // enabled with no address and no DHCP: the host turns IPv4 off, as nmstate's verification accepts
            return;
        }
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
        checkSetting(who + "auto-route-metric", want.autoRouteMetric(), h.autoRouteMetric(), out);
        // table 0 is NetworkManager's default, the main table, which a host reads back as unset
        checkSetting(who + "auto-route-table-id", zeroAsUnset(want.autoRouteTableId()), zeroAsUnset(h.autoRouteTableId()), out);
        checkSetting(who + "dhcp-client-id", want.dhcpClientId(), h.dhcpClientId(), out);
        checkSetting(who + "dhcp-duid", want.dhcpDuid(), h.dhcpDuid(), out);
        checkSetting(who + "addr-gen-mode", want.addrGenMode(), h.addrGenMode(), out);
        checkSetting(who + "dhcp-send-hostname", want.dhcpSendHostname(), h.dhcpSendHostname(), out);
        String customHostname = emptyAsUnset(h.dhcpCustomHostname());
        if (want.dhcpCustomHostname() != null && !Objects.equals(emptyAsUnset(want.dhcpCustomHostname()), customHostname)) {
            // an empty one asks for the host's own name, which a host reads back as unset
            out.add(who + "dhcp-custom-hostname is " + (customHostname == null ? "unset" : customHostname) + ", desired "
                + (want.dhcpCustomHostname().isEmpty() ? "unset (the host's own name)" : want.dhcpCustomHostname()));
        }
        if (want.token() != null && !Objects.equals(want.token(), h.token() == null ? "::" : h.token())) {
            out.add(who + "token is " + (h.token() == null ? "unset" : h.token()) + ", desired " + (want.token().equals("::") ? "unset"
                : want.token()));
        }
        if (want.addresses() != null && !want.isDynamic()) {
            List<IpAddress> have2 = h.addresses() == null ? List.of() : h.addresses().stream().filter(a -> !a.isLinkLocal()).toList();
            List<IpAddress> want2 = want.addresses().stream().filter(a -> !a.isLinkLocal()).toList();
            // as nmstate verifies: addresses others added (a keepalived VIP) are accepted unless allow-extra-address is false
            boolean exact = Boolean.FALSE.equals(want.allowExtraAddress());
            if (exact ? !new HashSet<>(want2).equals(new HashSet<>(have2)) : !new HashSet<>(have2).containsAll(want2)) {
                out.add(who + "addresses are " + have2 + ", desired " + want2 + (exact ? " and no other" : ""));
            }
        }
    }

    /** A setting the host reports as it holds it (unset where it does not apply: DHCP's, without DHCP). */
    private static void checkSetting(String what, Object want, Object have, List<String> out) {
        if (want != null && !want.equals(have)) {
            out.add(what + " is " + (have == null ? "unset" : have) + ", desired " + want);
        }
    }

    private static String emptyAsUnset(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static Long zeroAsUnset(Long value) {
        return value == null || value == 0 ? null : value;
    }

    private static String onOff(Boolean value) {
        return Boolean.TRUE.equals(value) ? "on" : "off";
    }
}
