package io.nmstream.executor.nm;

import io.nmstream.nmstate.BondConfig;
import io.nmstream.nmstate.BridgeConfig;
import io.nmstream.nmstate.BridgeConfig.PortVlan;
import io.nmstream.nmstate.EthernetConfig;
import io.nmstream.nmstate.InterfaceSpec;
import io.nmstream.nmstate.InterfaceType;
import io.nmstream.nmstate.InvalidStateException;
import io.nmstream.nmstate.IpAddress;
import io.nmstream.nmstate.IpConfig;
import io.nmstream.nmstate.LinuxBridgeOption;
import io.nmstream.nmstate.MacVlanConfig;
import io.nmstream.nmstate.MptcpAddressFlag;
import io.nmstream.nmstate.Route;
import io.nmstream.nmstate.RouteRule;
import io.nmstream.nmstate.VlanConfig;
import io.nmstream.nmstate.VxlanConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.freedesktop.dbus.types.UInt16;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;

/**
 * Translates one interface of a desired state into the NetworkManager profile that realises it, on top of the
 * interface's existing profile when there is one.
 *
 * <p>nmstate's merge semantics hold at this level: only the properties the desired state mentions are written, every
 * other property of the existing profile is kept as it was, and the profile keeps its UUID (it is updated, never
 * duplicated).
 *
 * <p>Each block becomes the NetworkManager setting nmstate writes for it: {@code description} → {@code user.data};
 * {@code ethernet} → {@code 802-3-ethernet}
 * (auto-negotiate, speed, duplex) and {@code sriov} (total-vfs, vfs, autoprobe-drivers); {@code lldp} →
 * {@code connection.lldp}; {@code ieee-8021Qaz} → {@code dcb} (see {@link DcbSettings}); {@code link-aggregation} →
 * {@code bond.options}; {@code bridge.options} → {@code bridge} (or {@code ovs-bridge}), a bridge port's {@code vlan} →
 * the port's {@code bridge-port.vlans} with {@code bridge.vlan-filtering} on the bridge; {@code vrf} → {@code vrf.table};
 * {@code mac-vlan} → {@code macvlan}; {@code vxlan} → {@code vxlan}; {@code veth.peer} → {@code veth.peer}. Ports of an
 * ovs-bridge each get an {@code ovs-port} profile between them and the bridge ({@link #ovsPort}). What NetworkManager
 * cannot express is refused with an {@link InvalidStateException} before anything is written.
 */
public final class NmSettingsTranslator {

    /** {@code vlan.flags}: REORDER_HEADERS, NetworkManager's default for new VLANs. */
    static final long VLAN_REORDER_HEADERS = 0x1;
    /** {@code vlan.flags}: GVRP registration. */
    static final long VLAN_GVRP = 0x2;
    /** {@code vlan.flags}: LOOSE_BINDING, the VLAN's state does not follow its base interface's. */
    static final long VLAN_LOOSE_BINDING = 0x4;
    /** {@code vlan.flags}: MVRP registration. */
    static final long VLAN_MVRP = 0x8;
    /** {@code connection.lldp}: enable-rx. */
    private static final int LLDP_ENABLE_RX = 1;
    /** NMTernary values of {@code sriov.autoprobe-drivers}. */
    private static final int TERNARY_TRUE = 1;
    private static final int TERNARY_FALSE = 0;
    /** The {@code user.data} key under which nmstate keeps an interface's {@code description}. */
    static final String DESCRIPTION_KEY = "nmstate.interface.description";
    /** NMSettingMacvlanMode, in nmstate's names; the index is the D-Bus value. */
    static final List<String> MACVLAN_MODES = List.of("unknown", "vepa", "bridge", "private", "passthru", "source");

    private NmSettingsTranslator() {
    }

    /**
     * Everything the translation of one interface needs.
     *
     * @param desired the interface as the desired state gives it (an implicit port carries only name and state)
     * @param type the interface's type, from the desired state or else the host
     * @param existing the interface's current profile; null to create one
     * @param port the controller this interface must be a port of; null to leave the relation as it is
     * @param routes every route the profile must carry after the apply; null to leave its routes alone
     * @param dns name servers and search domains this profile holds; null to leave its DNS alone
     * @param rules every route rule the profile must hold after the apply; null to leave its rules alone
     */
    public record Request(InterfaceSpec desired, InterfaceType type, NmSettings existing, PortRelation port, List<Route> routes,
                          DnsPlacement dns, List<RouteRule> rules) {
    }

    /**
     * A port relation to set, or {@link #RELEASE} to make the interface stand alone.
     *
     * @param controller the controller's name; for a port of an ovs-bridge, the UUID of the port's ovs-port profile
     * @param controllerType the controller's type
     * @param vlan the port's {@code vlan} block from the controller's port list (linux-bridge); null to leave it as it is
     */
    public record PortRelation(String controller, InterfaceType controllerType, PortVlan vlan) {
        public static final PortRelation RELEASE = new PortRelation(null, null, null);

        public PortRelation(String controller, InterfaceType controllerType) {
            this(controller, controllerType, null);
        }

        boolean released() {
            return controller == null;
        }

        /** NetworkManager's {@code connection.slave-type} for a port of this controller. */
        String slaveType() {
            return switch (controllerType) {
                case BOND -> "bond";
                case LINUX_BRIDGE -> "bridge";
                case VRF -> "vrf";
                case OVS_BRIDGE -> "ovs-port";
                default -> throw new IllegalArgumentException(controllerType.nmstateName() + " interfaces have no ports");
            };
        }
    }

    /**
     * The DNS entries one profile holds (NetworkManager keeps name servers per profile and family, and orders them by each
     * family's {@code dns-priority}, lowest first).
     *
     * @param options resolver options, held with the search domains
     * @param ipv6First whether the IPv6 name servers come first (before the IPv4 ones, or there are no IPv4 ones): the
     *     first family gets the lower priority, and holds the search domains and options
     */
    public record DnsPlacement(List<String> ipv4Servers, List<String> ipv6Servers, List<String> searches, List<String> options,
                               boolean ipv6First) {

        /** What a profile that holds no DNS entries any more is given. */
        public static DnsPlacement none() {
            return new DnsPlacement(List.of(), List.of(), List.of(), List.of(), false);
        }
    }

    /** The {@code dns-priority} nmstate gives the family of the first name server; the other family gets 10 more. */
    static final int FIRST_DNS_PRIORITY = 40;

    /**
     * NetworkManager 1.42's defaults of the properties this translator writes that GetSettings leaves out when they hold
     * them: a profile that lacks one holds the default, so writing the default changes nothing.
     */
    static final Map<String, Object> NM_DEFAULTS = defaults();

    private static Map<String, Object> defaults() {
        Map<String, Object> d = new LinkedHashMap<>();
        for (String family : List.of("ipv4", "ipv6")) {
            d.put(family + ".ignore-auto-dns", false);
            d.put(family + ".ignore-auto-routes", false);
            d.put(family + ".never-default", false);
            d.put(family + ".dhcp-send-hostname", true);
            d.put(family + ".dhcp-timeout", 0);
            d.put(family + ".route-metric", -1);
            d.put(family + ".route-table", 0);
            d.put(family + ".dns-priority", 0);
            d.put(family + ".may-fail", true);
        }
        d.put("ipv6.ra-timeout", 0);
        d.put("connection.autoconnect", true);
        d.put("connection.lldp", -1);
        d.put("bridge.stp", true);
        d.put("bridge.forward-delay", 15);
        d.put("bridge.hello-time", 2);
        d.put("bridge.max-age", 20);
        d.put("bridge.priority", 32768);
        d.put("bridge.ageing-time", 300);
        d.put("bridge.vlan-filtering", false);
        d.put("bridge.multicast-snooping", true);
        for (LinuxBridgeOption option : LinuxBridgeOption.values()) {
            Object kernelDefault = option.kernelDefault();
            d.put("bridge." + bridgeProperty(option), option == LinuxBridgeOption.GROUP_ADDR ? macBytes((String) kernelDefault)
                : kernelDefault);
        }
        d.put("802-3-ethernet.mtu", 0);
        d.put("802-3-ethernet.speed", 0);
        d.put("802-3-ethernet.auto-negotiate", false);
        d.put("802-3-ethernet.accept-all-mac-addresses", -1);
        d.put("connection.mptcp-flags", 0);
        d.put("vxlan.learning", true);
        d.put("vxlan.destination-port", 8472);
        d.put("macvlan.promiscuous", true);
        d.put("macvlan.tap", false);
        d.put("ovs-bridge.stp-enable", false);
        d.put("ovs-bridge.mcast-snooping-enable", false);
        d.put("sriov.autoprobe-drivers", -1);
        return Map.copyOf(d);
    }

    /**
     * A copy of {@code existing} without the deprecated forms GetSettings returns beside the current ones: of addresses and
     * routes, which NetworkManager would take over address-data and route-data if they were sent back, and of the cloned
     * MAC address (the byte array {@code cloned-mac-address} beside the text {@code assigned-mac-address}). They go before
     * anything is changed, and before a profile is compared with what would be written.
     */
    static NmSettings withoutDeprecatedForms(NmSettings existing) {
        NmSettings s = existing.copy();
        for (String family : List.of("ipv4", "ipv6")) {
            s.remove(family, "addresses").remove(family, "routes");
        }
        if (s.value("802-3-ethernet", "assigned-mac-address") != null) {
            s.remove("802-3-ethernet", "cloned-mac-address");
        }
        return s;
    }

    /** The profile for {@code request}'s interface. */
    public static NmSettings translate(Request request) {
        InterfaceSpec want = request.desired();
        NmSettings s = request.existing() == null ? newProfile(want, request.type()) : withoutDeprecatedForms(request.existing());
        connection(s, request);
        if (want.mtu() != null) {
            s.putUInt32("802-3-ethernet", "mtu", want.mtu());
        }
        if (want.macAddress() != null) {
            // over D-Bus cloned-mac-address is bytes; NetworkManager takes the text form as assigned-mac-address (nmstate's way)
            s.remove("802-3-ethernet", "cloned-mac-address").putString("802-3-ethernet", "assigned-mac-address", want.macAddress());
        }
        if (want.acceptAllMacAddresses() != null) {
            // a ternary: -1 (NetworkManager's default) leaves the kernel's setting as it is
            s.putInt32("802-3-ethernet", "accept-all-mac-addresses", want.acceptAllMacAddresses() ? 1 : 0);
        }
        if (want.mptcpAddressFlags() != null) {
            s.putUInt32("connection", "mptcp-flags", MptcpAddressFlag.nmFlags(want.mptcpAddressFlags()));
        }
        if (want.description() != null) {
            // nmstate keeps the description in the profile's user data, where NetworkManager keeps it for it
            Map<String, String> data = new LinkedHashMap<>();
            if (!want.description().isEmpty()) {
                data.put(DESCRIPTION_KEY, want.description());
            }
            s.putStringMap("user", "data", data);
        }
        if (want.ethernet() != null) {
            ethernet(s, want.name(), want.ethernet());
        }
        if (want.dcb() != null) {
            DcbSettings.apply(s, want.name(), want.dcb());
        }
        if (want.bond() != null) {
            bond(s, want.bond());
        }
        if (want.vlan() != null) {
            if (want.vlan().baseIface() != null) {
                s.putString("vlan", "parent", want.vlan().baseIface());
            }
            if (want.vlan().id() != null) {
                s.putUInt32("vlan", "id", want.vlan().id());
            }
            if (request.existing() == null) {
                s.putUInt32("vlan", "flags", VLAN_REORDER_HEADERS);
            }
            vlanOptions(s, want.vlan());
        }
        if (want.bridge() != null) {
            if (request.type() == InterfaceType.OVS_BRIDGE) {
                ovsBridge(s, want.name(), want.bridge());
            } else {
                bridge(s, want.bridge());
            }
        }
        if (want.vrf() != null && want.vrf().routeTableId() != null) {
            s.putUInt32("vrf", "table", want.vrf().routeTableId());
        }
        if (want.macVlan() != null) {
            macVlan(s, want.name(), want.macVlan());
        }
        if (want.vxlan() != null) {
            vxlan(s, want.vxlan());
        }
        if (want.vethPeer() != null && "veth".equals(s.string("connection", "type"))) {
            s.putString("veth", "peer", want.vethPeer());
        }
        String slaveType = s.string("connection", "slave-type");
        // a port has no IP configuration of its own, its controller has; a VRF's ports and OVS internal interfaces keep theirs
        boolean isPort = s.string("connection", "master") != null && !"vrf".equals(slaveType)
            && request.type() != InterfaceType.OVS_INTERFACE;
        if (isPort) {
            s.removeSection("ipv4").removeSection("ipv6");
        } else {
            // a released port has no IP configuration of its own yet: like a new profile, it gets none unless asked
            boolean noIpYet = request.existing() == null || request.port() != null && request.port().released();
            ip(s, "ipv4", want.ipv4(), noIpYet && !s.has("ipv4"));
            ip(s, "ipv6", want.ipv6(), noIpYet && !s.has("ipv6"));
            for (String family : List.of("ipv4", "ipv6")) {
                if (isDynamic(s.string(family, "method"))) {
                    // as nmstate does for every profile it writes: DHCP never gives up, so that NetworkManager does not fail
                    // and take down an interface whose DHCP server is slow or gone (by default after 45 s, during an apply
                    // or long after it)
                    s.putInt32(family, "dhcp-timeout", Integer.MAX_VALUE);
                }
                if (family.equals("ipv6") && "auto".equals(s.string(family, "method"))) {
                    // the same for router advertisements, which NetworkManager gives up waiting for after 30 s by default
                    s.putInt32(family, "ra-timeout", Integer.MAX_VALUE);
                }
            }
            if (want.waitIp() != null) {
                // nmstate's mapping: a family the interface waits for may not fail; the other one may
                for (String family : List.of("ipv4", "ipv6")) {
                    if (s.has(family)) {
                        s.putBoolean(family, "may-fail", !want.waitIp().waitsFor(family.equals("ipv6")));
                    }
                }
            }
            if (request.routes() != null) {
                routes(s, request.routes());
            }
            if (request.rules() != null) {
                rules(s, request.rules());
            }
            if (request.dns() != null) {
                dns(s, request.dns());
            }
        }
        return s;
    }

    /**
     * NetworkManager's {@code connection.type} for an nmstate interface type. A veth NetworkManager did not create (one
     * whose profile has no peer) is managed as an ethernet device.
     */
    public static String connectionType(InterfaceType type) {
        return switch (type) {
            case BOND -> "bond";
            case VLAN -> "vlan";
            case LINUX_BRIDGE -> "bridge";
            case DUMMY -> "dummy";
            case ETHERNET, VETH -> "802-3-ethernet";
            case VRF -> "vrf";
            case MAC_VLAN -> "macvlan";
            case VXLAN -> "vxlan";
            case OVS_BRIDGE -> "ovs-bridge";
            case OVS_INTERFACE -> "ovs-interface";
            default -> throw new IllegalArgumentException("interfaces of type " + type.nmstateName() + " cannot be configured");
        };
    }

    private static NmSettings newProfile(InterfaceSpec want, InterfaceType type) {
        // a new veth with a peer is one NetworkManager creates, with its peer (NetworkManager 1.42's veth profiles)
        String connectionType = type == InterfaceType.VETH && want.vethPeer() != null ? "veth" : connectionType(type);
        NmSettings s = new NmSettings();
        s.putString("connection", "id", want.name())
            .putString("connection", "uuid", UUID.randomUUID().toString())
            .putString("connection", "type", connectionType)
            .putString("connection", "interface-name", want.name())
            .putBoolean("connection", "autoconnect", true);
        s.section(connectionType);
        if (type == InterfaceType.LINUX_BRIDGE) {
            // NetworkManager enables STP on new bridges; nmstate's default is off unless asked
            s.putBoolean("bridge", "stp", false);
        }
        if (type == InterfaceType.MAC_VLAN) {
            s.putBoolean("macvlan", "tap", false);
        }
        if (type == InterfaceType.OVS_INTERFACE) {
            s.putString("ovs-interface", "type", "internal");
        }
        return s;
    }

    /**
     * The VLAN's tagging and binding, as nmstate writes them: {@code vlan.protocol} (802.1Q is written only over a profile
     * that names a protocol, NetworkManager's default otherwise) and the bits of {@code vlan.flags}, each option changing
     * only its own.
     */
    private static void vlanOptions(NmSettings s, VlanConfig vlan) {
        if ("802.1ad".equals(vlan.protocol())) {
            s.putString("vlan", "protocol", "802.1ad");
        } else if ("802.1q".equals(vlan.protocol()) && s.string("vlan", "protocol") != null) {
            s.putString("vlan", "protocol", "802.1Q");
        }
        Long written = s.number("vlan", "flags");
        long before = written == null ? VLAN_REORDER_HEADERS : written;
        long flags = before;
        if (vlan.registrationProtocol() != null) {
            flags &= ~(VLAN_GVRP | VLAN_MVRP);
            flags |= switch (vlan.registrationProtocol()) {
                case "gvrp" -> VLAN_GVRP;
                case "mvrp" -> VLAN_MVRP;
                default -> 0;
            };
        }
        if (vlan.reorderHeaders() != null) {
            flags = vlan.reorderHeaders() ? flags | VLAN_REORDER_HEADERS : flags & ~VLAN_REORDER_HEADERS;
        }
        if (vlan.looseBinding() != null) {
            flags = vlan.looseBinding() ? flags | VLAN_LOOSE_BINDING : flags & ~VLAN_LOOSE_BINDING;
        }
        if (flags != before) {
            s.putUInt32("vlan", "flags", flags);
        }
    }

    /**
     * The {@code ovs-port} profile that sits between an ovs-bridge and one of its ports, as nmstate creates it: its
     * interface is named after the port, it is a port of the bridge, and the port interface's profile is in turn a port
     * of it (by UUID, since the port interface has the same name).
     *
     * @param port the port interface's name
     * @param uuid the ovs-port profile's UUID (the existing profile's, or a new one)
     * @param bridgeUuid the UUID of the ovs-bridge's profile
     * @param existing the ovs-port profile that exists already; null to create one
     */
    public static NmSettings ovsPort(String port, String uuid, String bridgeUuid, NmSettings existing) {
        NmSettings s = existing == null ? new NmSettings() : existing.copy();
        if (existing == null) {
            s.putString("connection", "id", "ovs-port-" + port)
                .putString("connection", "uuid", uuid)
                .putString("connection", "type", "ovs-port")
                .putString("connection", "interface-name", port)
                .putBoolean("connection", "autoconnect", true)
                .section("ovs-port");
        }
        return s.putString("connection", "master", bridgeUuid).putString("connection", "slave-type", "ovs-bridge");
    }

    private static void connection(NmSettings s, Request request) {
        // as nmstate writes every profile: one taken down earlier, without autoconnect, comes up at boot again once it is up
        s.putBoolean("connection", "autoconnect", true);
        PortRelation port = request.port();
        if (port != null) {
            if (port.released()) {
                s.remove("connection", "master").remove("connection", "slave-type").removeSection("bridge-port");
            } else {
                String slaveType = port.slaveType();
                s.putString("connection", "master", port.controller()).putString("connection", "slave-type", slaveType);
                if (slaveType.equals("bridge")) {
                    s.section("bridge-port");
                    if (port.vlan() != null) {
                        s.putRecords("bridge-port", "vlans", bridgePortVlans(request.desired().name(), port.vlan()));
                    }
                } else {
                    s.removeSection("bridge-port");
                    if (port.vlan() != null) {
                        throw new InvalidStateException("Interface " + port.controller() + ": bridge.port " + request.desired().name()
                            + ".vlan is not allowed: only ports of a linux-bridge can have a VLAN block here");
                    }
                }
            }
        }
        if (request.desired().lldp() != null) {
            s.putInt32("connection", "lldp", request.desired().lldp() ? LLDP_ENABLE_RX : 0);
        }
    }

    private static void bond(NmSettings s, BondConfig bond) {
        Map<String, String> options = new LinkedHashMap<>();
        Object existing = s.value("bond", "options");
        if (existing instanceof Map<?, ?> map) {
            map.forEach((k, v) -> options.put(k.toString(), v.toString()));
        }
        if (bond.options() != null) {
            options.putAll(bond.options());
        }
        if (bond.mode() != null) {
            options.put("mode", bond.mode());
        }
        s.putStringMap("bond", "options", options);
    }

    private static void ethernet(NmSettings s, String iface, EthernetConfig ethernet) {
        if (ethernet.autoNegotiation() != null) {
            s.putBoolean("802-3-ethernet", "auto-negotiate", ethernet.autoNegotiation());
        }
        if (ethernet.speed() != null) {
            s.putUInt32("802-3-ethernet", "speed", ethernet.speed());
        }
        if (ethernet.duplex() != null) {
            String duplex = ethernet.duplex().toLowerCase(Locale.ROOT);
            if (!duplex.equals("full") && !duplex.equals("half")) {
                throw new InvalidStateException("Interface " + iface + ": ethernet.duplex \"" + ethernet.duplex()
                    + "\" is not allowed: full or half");
            }
            s.putString("802-3-ethernet", "duplex", duplex);
        }
        if (ethernet.sriov() != null) {
            sriov(s, ethernet.sriov());
        }
    }

    /** {@code sriov}: {@code vfs} as NetworkManager's D-Bus form, one {@code a{sv}} per function keyed by {@code index}. */
    private static void sriov(NmSettings s, EthernetConfig.Sriov sriov) {
        if (sriov.totalVfs() != null) {
            s.putUInt32("sriov", "total-vfs", sriov.totalVfs());
        }
        if (sriov.driversAutoprobe() != null) {
            s.putInt32("sriov", "autoprobe-drivers", sriov.driversAutoprobe() ? TERNARY_TRUE : TERNARY_FALSE);
        }
        if (sriov.vfs() != null) {
            List<Map<String, Variant<?>>> vfs = new ArrayList<>();
            for (EthernetConfig.Vf vf : sriov.vfs()) {
                Map<String, Variant<?>> entry = new LinkedHashMap<>();
                entry.put("index", new Variant<>(new UInt32(vf.id())));
                if (vf.macAddress() != null) {
                    entry.put("mac", new Variant<>(vf.macAddress()));
                }
                if (vf.spoofCheck() != null) {
                    entry.put("spoof-check", new Variant<>(vf.spoofCheck()));
                }
                if (vf.trust() != null) {
                    entry.put("trust", new Variant<>(vf.trust()));
                }
                if (vf.minTxRate() != null) {
                    entry.put("min-tx-rate", new Variant<>(new UInt32(vf.minTxRate())));
                }
                if (vf.maxTxRate() != null) {
                    entry.put("max-tx-rate", new Variant<>(new UInt32(vf.maxTxRate())));
                }
                if (vf.vlanId() != null && vf.vlanId() != 0) {
                    Map<String, Variant<?>> vlan = new LinkedHashMap<>();
                    vlan.put("id", new Variant<>(new UInt32(vf.vlanId())));
                    vlan.put("qos", new Variant<>(new UInt32(vf.qos() == null ? 0 : vf.qos())));
                    vlan.put("protocol", new Variant<>(new UInt32(0)));
                    entry.put("vlans", new Variant<>(List.of(vlan), "aa{sv}"));
                }
                vfs.add(entry);
            }
            s.putRecords("sriov", "vfs", vfs);
        }
    }

    private static void bridge(NmSettings s, BridgeConfig bridge) {
        BridgeConfig.Options o = bridge.options();
        if (o != null) {
            if (o.stpEnabled() != null) {
                s.putBoolean("bridge", "stp", o.stpEnabled());
            }
            putIfGiven(s, "bridge", "forward-delay", o.stpForwardDelay());
            putIfGiven(s, "bridge", "hello-time", o.stpHelloTime());
            putIfGiven(s, "bridge", "max-age", o.stpMaxAge());
            putIfGiven(s, "bridge", "priority", o.stpPriority());
            putIfGiven(s, "bridge", "ageing-time", o.macAgeingTime());
            if (o.multicastSnooping() != null) {
                s.putBoolean("bridge", "multicast-snooping", o.multicastSnooping());
            }
            o.more().forEach((option, value) -> putBridgeOption(s, option, value));
        }
        if (bridge.ports() != null) {
            // nmstate filters VLANs on a bridge exactly when one of its ports has a VLAN block
            s.putBoolean("bridge", "vlan-filtering", bridge.ports().stream().anyMatch(p -> p.vlan() != null));
        }
    }

    /** NetworkManager's {@code bridge} property for a linux-bridge option: nmstate's name but for two. */
    static String bridgeProperty(LinuxBridgeOption option) {
        return switch (option) {
            case GROUP_ADDR -> "group-address";
            case HASH_MAX -> "multicast-hash-max";
            default -> option.nmstateName();
        };
    }

    /** A linux-bridge option with the D-Bus type NetworkManager 1.42 declares for it (intervals are 64-bit). */
    private static void putBridgeOption(NmSettings s, LinuxBridgeOption option, Object value) {
        String property = bridgeProperty(option);
        switch (option.kind()) {
            case NUMBER -> {
                if (property.endsWith("-interval")) {
                    s.putUInt64("bridge", property, (Long) value);
                } else {
                    s.putUInt32("bridge", property, (Long) value);
                }
            }
            case FLAG -> s.putBoolean("bridge", property, (Boolean) value);
            case CHOICE -> s.putString("bridge", property, (String) value);
            case GROUP_ADDRESS -> s.putBytes("bridge", property, macBytes((String) value));
            default -> throw new IllegalArgumentException(option.nmstateName());
        }
    }

    private static byte[] macBytes(String mac) {
        String[] parts = mac.split(":");
        byte[] bytes = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            bytes[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return bytes;
    }

    private static void putIfGiven(NmSettings s, String section, String key, Integer value) {
        if (value != null) {
            s.putUInt32(section, key, value);
        }
    }

    /**
     * {@code bridge-port.vlans} as nmstate maps a port's {@code vlan} block: an access port carries {@code tag} as its PVID,
     * untagged; a trunk carries each trunk tag (or range) tagged, and its native VLAN {@code tag} as PVID, untagged,
     * when {@code enable-native} is on.
     */
    static List<Map<String, Variant<?>>> bridgePortVlans(String port, PortVlan vlan) {
        String mode = vlan.mode() == null ? "access" : vlan.mode().toLowerCase(Locale.ROOT);
        List<Map<String, Variant<?>>> out = new ArrayList<>();
        switch (mode) {
            case "access" -> {
                if (vlan.trunkTags() != null && !vlan.trunkTags().isEmpty()) {
                    throw new InvalidStateException("Interface " + port
                        + ": vlan.trunk-tags is not allowed on an access port: use mode trunk");
                }
                if (vlan.tag() != null) {
                    out.add(vlanRange(vlan.tag(), vlan.tag(), true));
                }
            }
            case "trunk" -> {
                if (vlan.trunkTags() != null) {
                    vlan.trunkTags().forEach(t -> out.add(vlanRange(t.from(), t.to(), false)));
                }
                if (vlan.tag() != null && !Boolean.FALSE.equals(vlan.enableNative())) {
                    out.add(vlanRange(vlan.tag(), vlan.tag(), true));
                }
            }
            default -> throw new InvalidStateException("Interface " + port + ": vlan.mode \"" + vlan.mode()
                + "\" is not allowed: access or trunk");
        }
        return out;
    }

    private static Map<String, Variant<?>> vlanRange(int from, int to, boolean nativeVlan) {
        Map<String, Variant<?>> range = new LinkedHashMap<>();
        range.put("vid-start", new Variant<>(new UInt16(from)));
        range.put("vid-end", new Variant<>(new UInt16(to)));
        range.put("pvid", new Variant<>(nativeVlan));
        range.put("untagged", new Variant<>(nativeVlan));
        return range;
    }

    private static void ovsBridge(NmSettings s, String iface, BridgeConfig bridge) {
        BridgeConfig.Options o = bridge.options();
        if (o != null) {
            if (o.stpForwardDelay() != null || o.stpHelloTime() != null || o.stpMaxAge() != null || o.stpPriority() != null
                || o.macAgeingTime() != null) {
                throw new InvalidStateException("Interface " + iface + ": bridge.options with STP timers, priority or mac-ageing-time"
                    + " is not allowed on an ovs-bridge: only stp and mcast-snooping-enable");
            }
            if (o.stpEnabled() != null) {
                s.putBoolean("ovs-bridge", "stp-enable", o.stpEnabled());
            }
            if (o.multicastSnooping() != null) {
                s.putBoolean("ovs-bridge", "mcast-snooping-enable", o.multicastSnooping());
            }
        }
        s.section("ovs-bridge");
    }

    private static void macVlan(NmSettings s, String iface, MacVlanConfig macVlan) {
        if (macVlan.baseIface() != null) {
            s.putString("macvlan", "parent", macVlan.baseIface());
        }
        if (macVlan.mode() != null) {
            int mode = MACVLAN_MODES.indexOf(macVlan.mode().toLowerCase(Locale.ROOT));
            if (mode <= 0) {
                throw new InvalidStateException("Interface " + iface + ": mac-vlan.mode \"" + macVlan.mode()
                    + "\" is not allowed: " + String.join(", ", MACVLAN_MODES.subList(1, MACVLAN_MODES.size())));
            }
            s.putUInt32("macvlan", "mode", mode);
        }
        if (macVlan.promiscuous() != null) {
            s.putBoolean("macvlan", "promiscuous", macVlan.promiscuous());
        }
    }

    private static void vxlan(NmSettings s, VxlanConfig vxlan) {
        if (vxlan.id() != null) {
            s.putUInt32("vxlan", "id", vxlan.id());
        }
        if (vxlan.baseIface() != null) {
            s.putString("vxlan", "parent", vxlan.baseIface());
        }
        if (vxlan.remote() != null) {
            s.putString("vxlan", "remote", vxlan.remote());
        }
        if (vxlan.local() != null) {
            s.putString("vxlan", "local", vxlan.local());
        }
        if (vxlan.destinationPort() != null) {
            s.putUInt32("vxlan", "destination-port", vxlan.destinationPort());
        }
        if (vxlan.learning() != null) {
            s.putBoolean("vxlan", "learning", vxlan.learning());
        }
    }

    private static void ip(NmSettings s, String family, IpConfig ip, boolean newProfile) {
        boolean ipv6 = family.equals("ipv6");
        if (ip == null) {
            if (newProfile) {
                // a new profile says nothing about a family the desired state leaves out: nmstate turns it off
                s.putString(family, "method", "disabled");
            }
            return;
        }
        String method = method(ip, ipv6, s.string(family, "method"));
        if (method != null) {
            s.putString(family, "method", method);
        }
        if (ip.addresses() != null) {
            List<Map<String, Variant<?>>> data = new ArrayList<>();
            for (IpAddress address : ip.addresses()) {
                Map<String, Variant<?>> entry = new LinkedHashMap<>();
                entry.put("address", new Variant<>(address.ip()));
                entry.put("prefix", new Variant<>(new UInt32(address.prefixLength())));
                data.add(entry);
            }
            s.putRecords(family, "address-data", data);
        }
        if (Boolean.FALSE.equals(ip.enabled())) {
            s.putRecords(family, "address-data", List.of());
        }
        if ("disabled".equals(s.string(family, "method"))) {
            // as nmstate does: a family turned off takes its routes with it (NetworkManager would keep installing them)
            s.putRecords(family, "route-data", List.of());
        }

        if (ip.autoDns() != null) {
            s.putBoolean(family, "ignore-auto-dns", !ip.autoDns());
        }
        if (ip.autoRoutes() != null) {
            s.putBoolean(family, "ignore-auto-routes", !ip.autoRoutes());
        }
        if (ip.autoGateway() != null) {
            s.putBoolean(family, "never-default", !ip.autoGateway());
        }
        if (ipv6 && ip.addrGenMode() != null) {
            s.putInt32(family, "addr-gen-mode", ip.addrGenMode().equals("eui64") ? ADDR_GEN_EUI64 : ADDR_GEN_STABLE_PRIVACY);
        }
        if (ipv6 && !"auto".equals(s.string(family, "method"))) {
            // as nmstate writes it: a token belongs to autoconf, and goes from a profile without it
            s.remove(family, "token");
        }
        if (!isDynamic(s.string(family, "method"))) {
            // as nmstate writes them: DHCP's settings only on a profile that uses DHCP or autoconf
            return;
        }
        if (ip.autoRouteMetric() != null) {
            s.putInt64(family, "route-metric", ip.autoRouteMetric());
        }
        if (ip.autoRouteTableId() != null) {
            s.putUInt32(family, "route-table", ip.autoRouteTableId());
        }
        if (ip.dhcpClientId() != null) {
            s.putString(family, "dhcp-client-id", switch (ip.dhcpClientId()) {
                case "ll" -> "mac";
                case "iaid+duid" -> "duid";
                default -> ip.dhcpClientId();
            });
        }
        if (ip.dhcpDuid() != null) {
            s.putString(family, "dhcp-duid", ip.dhcpDuid());
        }
        if (ip.dhcpSendHostname() != null) {
            s.putBoolean(family, "dhcp-send-hostname", ip.dhcpSendHostname());
        }
        if (ipv6 && ip.token() != null) {
            if (ip.token().equals("::")) {
                s.remove(family, "token");
            } else {
                // NetworkManager takes a token only with EUI-64 address generation, as nmstate writes it by default
                s.putString(family, "token", ip.token());
                if (ip.addrGenMode() == null) {
                    s.putInt32(family, "addr-gen-mode", ADDR_GEN_EUI64);
                }
            }
        }
        String hostname = ip.dhcpCustomHostname();
        if (hostname != null) {
            // as nmstate writes it: an IPv4 name with a dot goes as an FQDN (option 81), and a profile holds one or the other
            boolean fqdn = !ipv6 && hostname.contains(".");
            s.remove(family, fqdn ? "dhcp-hostname" : "dhcp-fqdn");
            if (hostname.isEmpty()) {
                s.remove(family, "dhcp-hostname");
            } else {
                s.putString(family, fqdn ? "dhcp-fqdn" : "dhcp-hostname", hostname);
            }
        }
    }

    /** NetworkManager's {@code ipv6.addr-gen-mode} values for nmstate's {@code eui64} and {@code stable-privacy}. */
    static final int ADDR_GEN_EUI64 = 0;
    static final int ADDR_GEN_STABLE_PRIVACY = 1;

    /** Whether a family's {@code method} gets its addresses from DHCP or router advertisements. */
    static boolean isDynamic(String method) {
        return "auto".equals(method) || "dhcp".equals(method);
    }

    /** Whether the profile {@code s} gets addresses of either family from DHCP or router advertisements. */
    static boolean hasDynamicIp(NmSettings s) {
        return isDynamic(s.string("ipv4", "method")) || isDynamic(s.string("ipv6", "method"));
    }

    /** The {@code method} of a family; null to keep the existing one. */
    private static String method(IpConfig ip, boolean ipv6, String existingMethod) {
        if (Boolean.FALSE.equals(ip.enabled())) {
            return "disabled";
        }
        boolean dhcp = Boolean.TRUE.equals(ip.dhcp());
        boolean autoconf = Boolean.TRUE.equals(ip.autoconf());
        if (ipv6 && autoconf) {
            return "auto";
        }
        if (dhcp) {
            return ipv6 ? "dhcp" : "auto";
        }
        boolean dynamicKept = ip.dhcp() == null && (!ipv6 || ip.autoconf() == null) && isDynamic(existingMethod);
        if (dynamicKept) {
            return null;
        }
        boolean hasAddresses = ip.addresses() != null && !ip.addresses().isEmpty();
        if (hasAddresses) {
            return "manual";
        }
        if (ip.addresses() != null || ip.dhcp() != null || ip.autoconf() != null || Boolean.TRUE.equals(ip.enabled())) {
            // enabled with neither addresses nor a dynamic method: nothing to configure but IPv6's link-local address
            return ipv6 ? "link-local" : "disabled";
        }
        return null;
    }

    /** NetworkManager's {@code action} of a rule that looks a table up (FR_ACT_TO_TBL), then nmstate's actions in the kernel's numbers. */
    static final Map<String, Integer> RULE_ACTIONS = Map.of("blackhole", 6, "unreachable", 7, "prohibit", 8);
    static final int RULE_ACTION_TABLE = 1;

    /** {@code routing-rules} of each family: the rules this profile holds, as nmstate writes them. */
    private static void rules(NmSettings s, List<RouteRule> rules) {
        for (String family : List.of("ipv4", "ipv6")) {
            boolean ipv6 = family.equals("ipv6");
            List<Map<String, Variant<?>>> data = new ArrayList<>();
            for (RouteRule r : rules) {
                if (r.isIpv6() != ipv6) {
                    continue;
                }
                Map<String, Variant<?>> entry = new LinkedHashMap<>();
                entry.put("family", new Variant<>(ipv6 ? 10 : 2));
                entry.put("priority", new Variant<>(new UInt32(r.priority())));
                if (r.ipFrom() != null) {
                    IpAddress from = IpAddress.parseCidr(r.ipFrom());
                    entry.put("from", new Variant<>(from.ip()));
                    entry.put("from-len", new Variant<>((byte) from.prefixLength()));
                }
                if (r.ipTo() != null) {
                    IpAddress to = IpAddress.parseCidr(r.ipTo());
                    entry.put("to", new Variant<>(to.ip()));
                    entry.put("to-len", new Variant<>((byte) to.prefixLength()));
                }
                if (r.action() != null) {
                    entry.put("action", new Variant<>(RULE_ACTIONS.get(r.action()).byteValue()));
                } else {
                    entry.put("table", new Variant<>(new UInt32(r.routeTable())));
                }
                if (r.fwmark() != null) {
                    entry.put("fwmark", new Variant<>(new UInt32(r.fwmark())));
                }
                if (r.fwmask() != null) {
                    entry.put("fwmask", new Variant<>(new UInt32(r.fwmask())));
                }
                if (r.iif() != null) {
                    entry.put("iifname", new Variant<>(r.iif()));
                }
                if (r.suppressPrefixLength() != null) {
                    entry.put("suppress-prefixlength", new Variant<>(r.suppressPrefixLength().intValue()));
                }
                data.add(entry);
            }
            if (!data.isEmpty() || s.has(family)) {
                s.putRecords(family, "routing-rules", data);
            }
        }
    }

    private static void routes(NmSettings s, List<Route> routes) {
        for (String family : List.of("ipv4", "ipv6")) {
            boolean ipv6 = family.equals("ipv6");
            if ("disabled".equals(s.string(family, "method"))) {
                continue;
            }
            List<Map<String, Variant<?>>> data = new ArrayList<>();
            for (Route r : routes) {
                if (r.isIpv6() != ipv6) {
                    continue;
                }
                IpAddress dest = IpAddress.parseCidr(r.destination());
                Map<String, Variant<?>> entry = new LinkedHashMap<>();
                entry.put("dest", new Variant<>(dest.ip()));
                entry.put("prefix", new Variant<>(new UInt32(dest.prefixLength())));
                if (r.nextHopAddress() != null) {
                    entry.put("next-hop", new Variant<>(r.nextHopAddress()));
                }
                if (r.metric() != null) {
                    entry.put("metric", new Variant<>(new UInt32(r.metric())));
                }
                if (r.tableId() != null) {
                    entry.put("table", new Variant<>(new UInt32(r.tableId())));
                }
                data.add(entry);
            }
            if (!data.isEmpty() || s.has(family)) {
                s.putRecords(family, "route-data", data);
            }
        }
    }

    private static void dns(NmSettings s, DnsPlacement dns) {
        // a family without servers here goes back to NetworkManager's default priority: one left from an earlier policy
        // would still order the servers DHCP gives this profile before others
        if (dns.ipv4Servers() != null) {
            s.putUInt32s("ipv4", "dns", dns.ipv4Servers().stream().map(NmSettingsTranslator::ipv4AsUInt32).toList());
            if (!dns.ipv4Servers().isEmpty()) {
                s.putInt32("ipv4", "dns-priority", FIRST_DNS_PRIORITY + (dns.ipv6First() ? 10 : 0));
            } else {
                s.remove("ipv4", "dns-priority");
            }
        }
        if (dns.ipv6Servers() != null) {
            s.putByteArrays("ipv6", "dns", dns.ipv6Servers().stream().map(NmSettingsTranslator::addressBytes).toList());
            if (!dns.ipv6Servers().isEmpty()) {
                s.putInt32("ipv6", "dns-priority", FIRST_DNS_PRIORITY + (dns.ipv6First() ? 0 : 10));
            } else {
                s.remove("ipv6", "dns-priority");
            }
        }
        String first = dns.ipv6First() ? "ipv6" : "ipv4";
        String other = dns.ipv6First() ? "ipv4" : "ipv6";
        if (dns.searches() != null) {
            // the search domains go with the first family's servers, as nmstate places them; the other family holds none
            s.putStrings(first, "dns-search", dns.searches());
            if (s.has(other)) {
                s.putStrings(other, "dns-search", List.of());
            }
        }
        if (dns.options() != null) {
            // no options is left unset rather than an empty list, which NetworkManager reads as "not even its defaults"
            if (dns.options().isEmpty()) {
                s.remove(first, "dns-options");
            } else {
                s.putStrings(first, "dns-options", dns.options());
            }
            s.remove(other, "dns-options");
        }
    }

    /** {@code ipv4.dns} holds each server as a uint32 whose bytes in memory are the address in network order. */
    static long ipv4AsUInt32(String ip) {
        byte[] b = addressBytes(ip);
        return (b[0] & 0xFFL) | (b[1] & 0xFFL) << 8 | (b[2] & 0xFFL) << 16 | (b[3] & 0xFFL) << 24;
    }

    /** The inverse of {@link #ipv4AsUInt32}. */
    static String ipv4FromUInt32(long value) {
        return (value & 0xFF) + "." + (value >> 8 & 0xFF) + "." + (value >> 16 & 0xFF) + "." + (value >> 24 & 0xFF);
    }

    static byte[] addressBytes(String ip) {
        try {
            return InetAddress.getByName(IpAddress.canonical(ip)).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + ip + "' is not an IP address", e);
        }
    }
}
