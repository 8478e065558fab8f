package io.nmstream.executor.nm;

import io.nmstream.nmstate.BondConfig;
import io.nmstream.nmstate.BridgeConfig;
import io.nmstream.nmstate.DnsConfig;
import io.nmstream.nmstate.EthernetConfig;
import io.nmstream.nmstate.InterfaceSpec;
import io.nmstream.nmstate.InterfaceState;
import io.nmstream.nmstate.InterfaceType;
import io.nmstream.nmstate.IpAddress;
import io.nmstream.nmstate.IpConfig;
import io.nmstream.nmstate.LinuxBridgeOption;
import io.nmstream.nmstate.MacVlanConfig;
import io.nmstream.nmstate.MptcpAddressFlag;
import io.nmstream.nmstate.NetworkState;
import io.nmstream.nmstate.Route;
import io.nmstream.nmstate.RouteRule;
import io.nmstream.nmstate.VlanConfig;
import io.nmstream.nmstate.VrfConfig;
import io.nmstream.nmstate.VxlanConfig;
import io.nmstream.nmstate.WaitIp;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.freedesktop.dbus.types.Variant;

/**
 * Turns what NetworkManager reports (devices, their IP configurations and active profiles) into an nmstate-shaped
 * current state. Loopback and devices NetworkManager does not manage are left out: they are noise to a policy.
 */
public final class NmStateReader {

    /** NM_DEVICE_TYPE_OVS_PORT. */
    static final long OVS_PORT_TYPE = 25;

    private NmStateReader() {
    }

    /** The current state of the host whose devices are {@code devices}. */
    public static NetworkState read(List<DeviceSnapshot> devices) {
        List<DeviceSnapshot> reported = devices.stream().filter(d -> isReported(d.deviceType(), d.state(), d.managed())).toList();
        // an ovs-port only links an ovs-bridge to one of its ports: it is not an interface of the state
        List<DeviceSnapshot> managed = reported.stream().filter(d -> d.deviceType() != OVS_PORT_TYPE).toList();
        Map<String, String> uuidToName = new LinkedHashMap<>();
        Map<String, String> ovsPortBridge = new LinkedHashMap<>();
        reported.forEach(d -> {
            String uuid = d.activeProfile() == null ? null : d.activeProfile().string("connection", "uuid");
            if (uuid != null && d.deviceType() == OVS_PORT_TYPE) {
                ovsPortBridge.put(uuid, d.activeProfile().string("connection", "master"));
            } else if (uuid != null) {
                uuidToName.put(uuid, d.name());
            }
        });
        Map<String, String> controllerOf = new LinkedHashMap<>();
        for (DeviceSnapshot d : managed) {
            String master = d.activeProfile() == null ? null : d.activeProfile().string("connection", "master");
            if (master != null) {
                // a port of an ovs-bridge names its ovs-port, which names the bridge
                String controller = ovsPortBridge.getOrDefault(master, master);
                controllerOf.put(d.name(), uuidToName.getOrDefault(controller, controller));
            }
        }
        Map<String, NmSettings> profilesByName = new LinkedHashMap<>();
        managed.forEach(d -> profilesByName.put(d.name(), d.activeProfile()));
        List<InterfaceSpec> interfaces = new ArrayList<>();
        List<Route> configured = new ArrayList<>();
        List<Route> running = new ArrayList<>();
        List<PrioritizedServers> servers = new ArrayList<>();
        LinkedHashSet<String> searches = new LinkedHashSet<>();
        List<RouteRule> rules = new ArrayList<>();
        // NetworkManager does not export the options it writes to resolv.conf: they are read from the profiles, as nmstate
        // reads them, sorted (their order does not matter to the resolver), and left out when there are none, as nmstate does
        TreeSet<String> options = new TreeSet<>();
        for (DeviceSnapshot d : managed) {
            List<String> ports = controllerOf.entrySet().stream().filter(e -> e.getValue().equals(d.name()))
                .map(Map.Entry::getKey).toList();
            interfaces.add(toInterface(d, controllerOf.get(d.name()), ports, profilesByName));
            running.addAll(d.runningRoutes());
            NmSettings p = d.activeProfile();
            if (p != null) {
                configured.addAll(profileRoutes(d.name(), p));
                rules.addAll(profileRules(p));
                servers.add(new PrioritizedServers(dnsPriority(p, "ipv4"),
                    longs(p.value("ipv4", "dns")).stream().map(NmSettingsTranslator::ipv4FromUInt32).toList()));
                servers.add(new PrioritizedServers(dnsPriority(p, "ipv6"),
                    byteArrays(p.value("ipv6", "dns")).stream().map(b -> IpAddress.canonical(ipv6Text(b))).toList()));
                strings(p.value("ipv4", "dns-search")).forEach(searches::add);
                strings(p.value("ipv6", "dns-search")).forEach(searches::add);
                strings(p.value("ipv4", "dns-options")).forEach(options::add);
                strings(p.value("ipv6", "dns-options")).forEach(options::add);
            }
        }
        // NetworkManager lists name servers by priority, lowest first; a stable sort keeps the profiles' order within one
        List<String> ordered = servers.stream().sorted(Comparator.comparingInt(PrioritizedServers::priority))
            .flatMap(e -> e.servers().stream()).toList();
        return new NetworkState(interfaces, configured, running, new DnsConfig(ordered, List.copyOf(searches),
            options.isEmpty() ? null : List.copyOf(options)), rules);
    }

    /**
     * The route rules a profile holds, as nmstate names them. NetworkManager does not export the kernel's rules; these are
     * the ones it keeps in the kernel for the profile while it is active.
     */
    static List<RouteRule> profileRules(NmSettings p) {
        List<RouteRule> out = new ArrayList<>();
        for (String family : List.of("ipv4", "ipv6")) {
            for (Map<String, Object> r : p.records(family, "routing-rules")) {
                Long action = longOf(r.get("action"));
                String actionName = action == null || action == NmSettingsTranslator.RULE_ACTION_TABLE ? null
                    : NmSettingsTranslator.RULE_ACTIONS.entrySet().stream().filter(e -> e.getValue() == action.intValue())
                        .map(Map.Entry::getKey).findFirst().orElse("action " + action);
                Long fwmark = longOf(r.get("fwmark"));
                Long fwmask = longOf(r.get("fwmask"));
                Long suppress = longOf(r.get("suppress-prefixlength"));
                out.add(new RouteRule(family, network(r.get("from"), r.get("from-len")), network(r.get("to"), r.get("to-len")),
                    longOf(r.get("priority")), actionName == null ? longOf(r.get("table")) : null,
                    fwmark == null || fwmark == 0 ? null : fwmark, fwmask == null || fwmask == 0 ? null : fwmask, (String) r.get("iifname"),
                    actionName, suppress == null || suppress < 0 ? null : suppress, false));
            }
        }
        return out;
    }

    private static String network(Object address, Object prefix) {
        if (address == null) {
            return null;
        }
        String ip = IpAddress.canonical(address.toString());
        return ip + "/" + (prefix instanceof Number n ? n.intValue() : IpAddress.maxPrefix(ip));
    }

    private static Long longOf(Object value) {
        return value instanceof Number n ? n.longValue() : null;
    }

    /** The name servers of one family of one profile, with that family's {@code dns-priority}. */
    private record PrioritizedServers(int priority, List<String> servers) {
    }

    /** A family's {@code dns-priority}; 0 means NetworkManager's default, 100 for a profile that is not a VPN. */
    private static int dnsPriority(NmSettings p, String family) {
        Integer priority = number(p.value(family, "dns-priority"));
        return priority == null || priority == 0 ? 100 : priority;
    }

    /** Whether a current state reports a device: NetworkManager manages it and it is not loopback. */
    public static boolean isReported(long deviceType, long state, boolean managed) {
        return managed && state > DeviceSnapshot.STATE_UNMANAGED && interfaceType(deviceType) != InterfaceType.LOOPBACK;
    }

    /** The nmstate type of an NM_DEVICE_TYPE (an ovs-port, 25, has none: it is not an interface). */
    public static InterfaceType interfaceType(long deviceType) {
        return switch ((int) deviceType) {
            case 1 -> InterfaceType.ETHERNET;
            case 10 -> InterfaceType.BOND;
            case 11 -> InterfaceType.VLAN;
            case 13 -> InterfaceType.LINUX_BRIDGE;
            case 18 -> InterfaceType.MAC_VLAN;
            case 19 -> InterfaceType.VXLAN;
            case 20 -> InterfaceType.VETH;
            case 22 -> InterfaceType.DUMMY;
            case 24 -> InterfaceType.OVS_INTERFACE;
            case 26 -> InterfaceType.OVS_BRIDGE;
            case 31 -> InterfaceType.VRF;
            case 32 -> InterfaceType.LOOPBACK;
            default -> InterfaceType.UNKNOWN;
        };
    }

    private static InterfaceSpec toInterface(DeviceSnapshot d, String controller, List<String> ports, Map<String, NmSettings> profiles) {
        InterfaceType type = interfaceType(d.deviceType());
        NmSettings p = d.activeProfile();
        InterfaceState state = d.isUp() ? InterfaceState.UP : InterfaceState.DOWN;
        boolean port = controller != null && (p == null || !"vrf".equals(p.string("connection", "slave-type")))
            && type != InterfaceType.OVS_INTERFACE;
        IpConfig ipv4 = port || p == null ? IpConfig.disabled() : ip(p, "ipv4", d.ipv4Addresses());
        IpConfig ipv6 = port || p == null ? IpConfig.disabled() : ip(p, "ipv6", d.ipv6Addresses());
        String mac = d.hwAddress() == null || d.hwAddress().isEmpty() ? null : d.hwAddress().toUpperCase(Locale.ROOT);
        String permanentMac = d.permanentHwAddress() == null || d.permanentHwAddress().isEmpty() ? null
            : d.permanentHwAddress().toUpperCase(Locale.ROOT);
        InterfaceSpec.Builder b = InterfaceSpec.builder(d.name()).type(type).state(state).mtu((int) d.mtu()).macAddress(mac)
            .permanentMacAddress(permanentMac).ipv4(ipv4)
            .ipv6(ipv6).waitIp(port || p == null ? null : waitIp(p)).vethPeer(d.vethPeer()).controller(controller);
        if (p != null && type != InterfaceType.MAC_VLAN && type != InterfaceType.VRF && type != InterfaceType.OVS_BRIDGE) {
            // from the profile (NetworkManager does not export the link's flags); its default leaves the kernel's, off
            Long accept = p.number("802-3-ethernet", "accept-all-mac-addresses");
            b.acceptAllMacAddresses(accept != null && accept == 1);
        }
        Long mptcp = p == null ? null : p.number("connection", "mptcp-flags");
        if (mptcp != null) {
            // from the profile too: NetworkManager does not export the MPTCP endpoints it makes of the addresses
            b.mptcpAddressFlags(MptcpAddressFlag.fromNmFlags(mptcp));
        }
        if (p != null && p.value("user", "data") instanceof Map<?, ?> data && data.get(NmSettingsTranslator.DESCRIPTION_KEY) != null) {
            b.description(data.get(NmSettingsTranslator.DESCRIPTION_KEY).toString());
        }
        switch (type) {
            case BOND -> {
                Map<String, String> options = new LinkedHashMap<>();
                if (p != null && p.value("bond", "options") instanceof Map<?, ?> map) {
                    map.forEach((k, v) -> options.put(k.toString(), v.toString()));
                }
                String mode = options.remove("mode");
                b.bond(new BondConfig(mode, options, ports));
            }
            case LINUX_BRIDGE -> b.bridge(new BridgeConfig(bridgeOptions(p),
                ports.stream().map(name -> new BridgeConfig.Port(name, portVlan(profiles.get(name)))).toList()));
            case OVS_BRIDGE -> {
                Object stp = p == null ? null : p.value("ovs-bridge", "stp-enable");
                Object snooping = p == null ? null : p.value("ovs-bridge", "mcast-snooping-enable");
                b.bridge(new BridgeConfig(new BridgeConfig.Options(Boolean.TRUE.equals(stp), null, null, null, null, null,
                    Boolean.TRUE.equals(snooping)), ports.stream().map(BridgeConfig.Port::named).toList()));
            }
            case VLAN -> {
                if (p != null) {
                    Long id = p.number("vlan", "id");
                    // from the profile: NetworkManager's device exports the id and the parent only; absent is its default
                    Long flagsSet = p.number("vlan", "flags");
                    long flags = flagsSet == null ? NmSettingsTranslator.VLAN_REORDER_HEADERS : flagsSet;
                    String registration = (flags & NmSettingsTranslator.VLAN_GVRP) != 0 ? "gvrp"
                        : (flags & NmSettingsTranslator.VLAN_MVRP) != 0 ? "mvrp" : "none";
                    b.vlan(new VlanConfig(p.string("vlan", "parent"), id == null ? null : id.intValue(),
                        "802.1ad".equalsIgnoreCase(p.string("vlan", "protocol")) ? "802.1ad" : "802.1q", registration,
                        (flags & NmSettingsTranslator.VLAN_REORDER_HEADERS) != 0, (flags & NmSettingsTranslator.VLAN_LOOSE_BINDING) != 0));
                }
            }
            case VRF -> b.vrf(new VrfConfig(ports, p == null ? null : p.number("vrf", "table")));
            case MAC_VLAN -> {
                if (p != null) {
                    Long mode = p.number("macvlan", "mode");
                    List<String> modes = NmSettingsTranslator.MACVLAN_MODES;
                    b.macVlan(new MacVlanConfig(p.string("macvlan", "parent"),
                        mode == null || mode <= 0 || mode >= modes.size() ? null : modes.get(mode.intValue()),
                        !Boolean.FALSE.equals(p.value("macvlan", "promiscuous"))));
                }
            }
            case VXLAN -> {
                if (p != null) {
                    Long id = p.number("vxlan", "id");
                    Long port2 = p.number("vxlan", "destination-port");
                    b.vxlan(new VxlanConfig(id == null ? null : id.intValue(), p.string("vxlan", "parent"),
                        p.string("vxlan", "remote") == null ? null : IpAddress.canonical(p.string("vxlan", "remote")),
                        p.string("vxlan", "local") == null ? null : IpAddress.canonical(p.string("vxlan", "local")),
                        port2 == null ? null : port2.intValue(), !Boolean.FALSE.equals(p.value("vxlan", "learning"))));
                }
            }
            case ETHERNET, VETH -> {
                Long lldpValue = p == null ? null : p.number("connection", "lldp");
                b.lldp(lldpValue != null && lldpValue > 0);
                if (p != null) {
                    b.ethernet(ethernet(p)).dcb(DcbSettings.read(p));
                }
            }
            default -> {
            }
        }
        return b.build();
    }

    /**
     * nmstate's {@code wait-ip} from the profile's {@code may-fail} (true when left out), as nmstate reads it: the families
     * that may not fail are the ones waited for. Null when the profile has no IP configuration.
     */
    private static WaitIp waitIp(NmSettings p) {
        if (!p.has("ipv4") && !p.has("ipv6")) {
            return null;
        }
        return WaitIp.of(p.has("ipv4") && Boolean.FALSE.equals(p.value("ipv4", "may-fail")),
            p.has("ipv6") && Boolean.FALSE.equals(p.value("ipv6", "may-fail")));
    }

    private static BridgeConfig.Options bridgeOptions(NmSettings p) {
        if (p == null) {
            return BridgeConfig.Options.stp(true);
        }
        Object stp = p.value("bridge", "stp");
        Object snooping = p.value("bridge", "multicast-snooping");
        // NetworkManager leaves out properties at their default; the kernel's defaults are what the bridge then has
        Map<LinuxBridgeOption, Object> more = new EnumMap<>(LinuxBridgeOption.class);
        for (LinuxBridgeOption option : LinuxBridgeOption.values()) {
            Object value = p.value("bridge", NmSettingsTranslator.bridgeProperty(option));
            more.put(option, value == null ? option.kernelDefault() : switch (option.kind()) {
                case NUMBER -> ((Number) value).longValue();
                case FLAG -> value;
                case CHOICE -> value.toString().toLowerCase(Locale.ROOT);
                case GROUP_ADDRESS -> mac(value);
            });
        }
        return new BridgeConfig.Options(stp instanceof Boolean on ? on : Boolean.TRUE, intOr(p, "bridge", "forward-delay", 15),
            intOr(p, "bridge", "hello-time", 2), intOr(p, "bridge", "max-age", 20), intOr(p, "bridge", "priority", 32768),
            intOr(p, "bridge", "ageing-time", 300), snooping instanceof Boolean on ? on : Boolean.TRUE, more);
    }

    /** A MAC address D-Bus gave as bytes (a byte array, or a list of bytes), as nmstate writes it. */
    private static String mac(Object bytes) {
        List<String> parts = new ArrayList<>();
        if (bytes instanceof byte[] array) {
            for (byte b : array) {
                parts.add(String.format("%02X", b & 0xff));
            }
        } else if (bytes instanceof List<?> list) {
            list.forEach(b -> parts.add(String.format("%02X", ((Number) b).intValue() & 0xff)));
        }
        return String.join(":", parts);
    }

    private static Integer intOr(NmSettings p, String section, String key, int defaultValue) {
        Long value = p.number(section, key);
        return value == null ? defaultValue : value.intValue();
    }

    /** A bridge port's {@code vlan} block from its profile's {@code bridge-port.vlans}; null when it has none. */
    static BridgeConfig.PortVlan portVlan(NmSettings port) {
        List<Map<String, Object>> ranges = port == null ? List.of() : port.records("bridge-port", "vlans");
        if (ranges.isEmpty()) {
            return null;
        }
        Integer nativeVlan = null;
        List<BridgeConfig.TrunkTag> trunk = new ArrayList<>();
        for (Map<String, Object> r : ranges) {
            int from = ((Number) r.get("vid-start")).intValue();
            int to = r.get("vid-end") instanceof Number n ? n.intValue() : from;
            if (Boolean.TRUE.equals(r.get("pvid")) && Boolean.TRUE.equals(r.get("untagged")) && from == to) {
                nativeVlan = from;
            } else {
                trunk.add(from == to ? new BridgeConfig.TrunkTag(from, null, null) : new BridgeConfig.TrunkTag(null, from, to));
            }
        }
        if (trunk.isEmpty()) {
            return new BridgeConfig.PortVlan("access", nativeVlan, null, null);
        }
        return new BridgeConfig.PortVlan("trunk", nativeVlan, nativeVlan != null, trunk);
    }

    private static EthernetConfig ethernet(NmSettings p) {
        Object autoNegotiate = p.value("802-3-ethernet", "auto-negotiate");
        Long speed = p.number("802-3-ethernet", "speed");
        String duplex = p.string("802-3-ethernet", "duplex");
        EthernetConfig.Sriov sriov = null;
        if (p.has("sriov")) {
            Long total = p.number("sriov", "total-vfs");
            Long autoprobe = p.number("sriov", "autoprobe-drivers");
            List<EthernetConfig.Vf> vfs = new ArrayList<>();
            for (Map<String, Object> vf : p.records("sriov", "vfs")) {
                vfs.add(vf(vf));
            }
            sriov = new EthernetConfig.Sriov(total == null ? 0 : total.intValue(), vfs,
                autoprobe == null || autoprobe < 0 ? null : autoprobe > 0);
        }
        if (autoNegotiate == null && (speed == null || speed == 0) && duplex == null && sriov == null) {
            return null;
        }
        return new EthernetConfig(autoNegotiate instanceof Boolean on ? on : null, speed == null || speed == 0 ? null : speed.intValue(),
            duplex, sriov);
    }

    private static EthernetConfig.Vf vf(Map<String, Object> vf) {
        Integer vlanId = null;
        Integer qos = null;
        if (vf.get("vlans") instanceof List<?> vlans && !vlans.isEmpty() && vlans.get(0) instanceof Map<?, ?> vlan) {
            vlanId = number(vlan.get("id"));
            qos = number(vlan.get("qos"));
        }
        String mac = vf.get("mac") == null ? null : vf.get("mac").toString().toUpperCase(Locale.ROOT);
        return new EthernetConfig.Vf(number(vf.get("index")), mac, (Boolean) vf.get("spoof-check"), (Boolean) vf.get("trust"),
            number(vf.get("min-tx-rate")), number(vf.get("max-tx-rate")), vlanId, qos);
    }

    /** A number of a record, unwrapped from its variant when D-Bus nested one; null when absent. */
    private static Integer number(Object value) {
        Object v = value instanceof Variant<?> variant ? variant.getValue() : value;
        return v instanceof Number n ? n.intValue() : null;
    }

    private static IpConfig ip(NmSettings p, String family, List<IpAddress> running) {
        boolean ipv6 = family.equals("ipv6");
        String method = p.string(family, "method");
        List<IpAddress> addresses = running.stream().filter(a -> !a.isLinkLocal()).toList();
        if (method == null || method.equals("disabled") || method.equals("ignore")) {
            return IpConfig.disabled();
        }
        boolean dhcp = NmSettingsTranslator.isDynamic(method);
        Boolean autoconf = ipv6 ? method.equals("auto") : null;
        String addrGenMode = ipv6 ? addrGenMode(p.number(family, "addr-gen-mode")) : null;
        if (!dhcp) {
            return new IpConfig(true, false, autoconf, addresses, null, null, null, null, null, null, null, addrGenMode, null, null, null,
                null);
        }
        Long metric = p.number(family, "route-metric");
        Long table = p.number(family, "route-table");
        String clientId = ipv6 ? null : p.string(family, "dhcp-client-id");
        // NetworkManager sends a host name unless told not to; which one is the profile's FQDN or name, or the host's own
        boolean sendHostname = !Boolean.FALSE.equals(p.value(family, "dhcp-send-hostname"));
        String customHostname = !sendHostname ? null : p.string(family, "dhcp-fqdn") != null ? p.string(family, "dhcp-fqdn")
            : p.string(family, "dhcp-hostname");
        return new IpConfig(true, true, autoconf, addresses, !bool(p, family, "ignore-auto-dns"), !bool(p, family, "ignore-auto-routes"),
            !bool(p, family, "never-default"), metric == null || metric < 0 ? null : metric, table == null || table == 0 ? null : table,
            clientId == null ? null : switch (clientId) {
                case "mac" -> "ll";
                case "duid" -> "iaid+duid";
                default -> clientId;
            }, ipv6 ? p.string(family, "dhcp-duid") : null, addrGenMode, sendHostname, customHostname, null,
            ipv6 && autoconf ? p.string(family, "token") : null);
    }

    /**
     * nmstate's name for an {@code ipv6.addr-gen-mode}, as nmstate reads it: unset, and "default", are stable-privacy,
     * NetworkManager's default; "default-or-eui64" is eui64.
     */
    private static String addrGenMode(Long mode) {
        if (mode == null) {
            return "stable-privacy";
        }
        return switch (mode.intValue()) {
            case NmSettingsTranslator.ADDR_GEN_EUI64, 2 -> "eui64";
            default -> "stable-privacy";
        };
    }

    private static boolean bool(NmSettings p, String section, String key) {
        return Boolean.TRUE.equals(p.value(section, key));
    }

    /** The routes a profile configures, as nmstate routes through {@code iface}. */
    public static List<Route> profileRoutes(String iface, NmSettings settings) {
        List<Route> out = new ArrayList<>();
        for (String family : List.of("ipv4", "ipv6")) {
            for (Map<String, Object> r : settings.records(family, "route-data")) {
                out.add(route(iface, r));
            }
        }
        return out;
    }

    /** A route of a {@code route-data} or {@code RouteData} entry. */
    public static Route route(String iface, Map<String, Object> r) {
        String dest = String.valueOf(r.get("dest"));
        long prefix = r.get("prefix") instanceof Number n ? n.longValue() : 0;
        String gateway = r.get("next-hop") == null ? null : IpAddress.canonical(r.get("next-hop").toString());
        if (gateway != null && (gateway.equals("0.0.0.0") || gateway.equals("::"))) {
            gateway = null;
        }
        Long metric = r.get("metric") instanceof Number n ? Long.valueOf(n.longValue()) : null;
        Long table = r.get("table") instanceof Number n && n.longValue() != 0 && n.longValue() != 254 ? Long.valueOf(n.longValue()) : null;
        return new Route(new IpAddress(dest, (int) prefix).toString(), iface, gateway, metric, table, false);
    }

    /** The addresses of an {@code AddressData} property. */
    public static List<IpAddress> addresses(List<Map<String, Object>> data) {
        return data.stream().map(a -> new IpAddress(a.get("address").toString(),
            a.get("prefix") instanceof Number n ? n.intValue() : 0)).toList();
    }

    /** An {@code au} value, whether D-Bus handed it over as a list or as a primitive array. */
    static List<Long> longs(Object value) {
        List<Long> out = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(v -> out.add(((Number) v).longValue()));
        } else if (value != null && value.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(value); i++) {
                out.add(((Number) Array.get(value, i)).longValue());
            }
        }
        return out;
    }

    private static List<byte[]> byteArrays(Object value) {
        List<byte[]> out = new ArrayList<>();
        if (value instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof byte[] b) {
                    out.add(b);
                } else if (item instanceof List<?> bytes) {
                    byte[] b = new byte[bytes.size()];
                    for (int i = 0; i < b.length; i++) {
                        b[i] = ((Number) bytes.get(i)).byteValue();
                    }
                    out.add(b);
                }
            }
        } else if (value != null && value.getClass().isArray() && value.getClass().getComponentType().isArray()) {
            for (int i = 0; i < Array.getLength(value); i++) {
                out.add((byte[]) Array.get(value, i));
            }
        }
        return out;
    }

    private static List<String> strings(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(v -> out.add(v.toString()));
        } else if (value instanceof String[] array) {
            out.addAll(List.of(array));
        }
        return out;
    }

    private static String ipv6Text(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < b.length; i += 2) {
            if (i > 0) {
                s.append(':');
            }
            s.append(Integer.toHexString((b[i] & 0xFF) << 8 | b[i + 1] & 0xFF));
        }
        return s.toString();
    }
}
