package io.nmstream.executor.nm;

import io.nmstream.nmstate.BondConfig;
import io.nmstream.nmstate.BridgeConfig;
import io.nmstream.nmstate.DnsConfig;
import io.nmstream.nmstate.InterfaceSpec;
import io.nmstream.nmstate.InterfaceState;
import io.nmstream.nmstate.InterfaceType;
import io.nmstream.nmstate.IpAddress;
import io.nmstream.nmstate.IpConfig;
import io.nmstream.nmstate.NetworkState;
import io.nmstream.nmstate.Route;
import io.nmstream.nmstate.VlanConfig;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns what NetworkManager reports (devices, their IP configurations and active profiles) into an nmstate-shaped
 * current state. Loopback and devices NetworkManager does not manage are left out: they are noise to a policy.
 */
public final class NmStateReader {

    private NmStateReader() {
    }

    /** The current state of the host whose devices are {@code devices}. */
    public static NetworkState read(List<DeviceSnapshot> devices) {
        List<DeviceSnapshot> managed = devices.stream().filter(d -> isReported(d.deviceType(), d.state(), d.managed())).toList();
        Map<String, String> uuidToName = new LinkedHashMap<>();
        managed.forEach(d -> {
            if (d.activeProfile() != null && d.activeProfile().string("connection", "uuid") != null) {
                uuidToName.put(d.activeProfile().string("connection", "uuid"), d.name());
            }
        });
        Map<String, String> controllerOf = new LinkedHashMap<>();
        for (DeviceSnapshot d : managed) {
            String master = d.activeProfile() == null ? null : d.activeProfile().string("connection", "master");
            if (master != null) {
                controllerOf.put(d.name(), uuidToName.getOrDefault(master, master));
            }
        }
        List<InterfaceSpec> interfaces = new ArrayList<>();
        List<Route> configured = new ArrayList<>();
        List<Route> running = new ArrayList<>();
        List<String> servers = new ArrayList<>();
        LinkedHashSet<String> searches = new LinkedHashSet<>();
        for (DeviceSnapshot d : managed) {
            List<String> ports = controllerOf.entrySet().stream().filter(e -> e.getValue().equals(d.name()))
                .map(Map.Entry::getKey).toList();
            interfaces.add(toInterface(d, controllerOf.get(d.name()), ports));
            running.addAll(d.runningRoutes());
            NmSettings p = d.activeProfile();
            if (p != null) {
                configured.addAll(profileRoutes(d.name(), p));
                longs(p.value("ipv4", "dns")).forEach(v -> servers.add(NmSettingsTranslator.ipv4FromUInt32(v)));
                byteArrays(p.value("ipv6", "dns")).forEach(b -> servers.add(IpAddress.canonical(ipv6Text(b))));
                strings(p.value("ipv4", "dns-search")).forEach(searches::add);
                strings(p.value("ipv6", "dns-search")).forEach(searches::add);
            }
        }
        return new NetworkState(interfaces, configured, running, new DnsConfig(servers, List.copyOf(searches)));
    }

    /** Whether a current state reports a device: NetworkManager manages it and it is not loopback. */
    public static boolean isReported(long deviceType, long state, boolean managed) {
        return managed && state > DeviceSnapshot.STATE_UNMANAGED && interfaceType(deviceType) != InterfaceType.LOOPBACK;
    }

    /** The nmstate type of an NM_DEVICE_TYPE. */
    public static InterfaceType interfaceType(long deviceType) {
        return switch ((int) deviceType) {
            case 1 -> InterfaceType.ETHERNET;
            case 10 -> InterfaceType.BOND;
            case 11 -> InterfaceType.VLAN;
            case 13 -> InterfaceType.LINUX_BRIDGE;
            case 20 -> InterfaceType.VETH;
            case 22 -> InterfaceType.DUMMY;
            case 32 -> InterfaceType.LOOPBACK;
            default -> InterfaceType.UNKNOWN;
        };
    }

    private static InterfaceSpec toInterface(DeviceSnapshot d, String controller, List<String> ports) {
        InterfaceType type = interfaceType(d.deviceType());
        NmSettings p = d.activeProfile();
        InterfaceState state = d.state() == DeviceSnapshot.STATE_ACTIVATED ? InterfaceState.UP : InterfaceState.DOWN;
        boolean port = controller != null;
        IpConfig ipv4 = port || p == null ? IpConfig.disabled() : ip(p, "ipv4", d.ipv4Addresses());
        IpConfig ipv6 = port || p == null ? IpConfig.disabled() : ip(p, "ipv6", d.ipv6Addresses());
        BondConfig bond = null;
        BridgeConfig bridge = null;
        VlanConfig vlan = null;
        if (type == InterfaceType.BOND) {
            Map<String, String> options = new LinkedHashMap<>();
            if (p != null && p.value("bond", "options") instanceof Map<?, ?> map) {
                map.forEach((k, v) -> options.put(k.toString(), v.toString()));
            }
            String mode = options.remove("mode");
            bond = new BondConfig(mode, options, ports);
        } else if (type == InterfaceType.LINUX_BRIDGE) {
            Object stp = p == null ? null : p.value("bridge", "stp");
            bridge = BridgeConfig.of(stp instanceof Boolean b ? b : Boolean.TRUE, ports);
        } else if (type == InterfaceType.VLAN && p != null) {
            Long id = p.number("vlan", "id");
            vlan = new VlanConfig(p.string("vlan", "parent"), id == null ? null : id.intValue());
        }
        Boolean lldp = null;
        if (type == InterfaceType.ETHERNET || type == InterfaceType.VETH) {
            Long lldpValue = p == null ? null : p.number("connection", "lldp");
            lldp = lldpValue != null && lldpValue > 0;
        }
        String mac = d.hwAddress() == null || d.hwAddress().isEmpty() ? null : d.hwAddress().toUpperCase(Locale.ROOT);
        return InterfaceSpec.builder(d.name()).type(type).state(state).mtu((int) d.mtu()).macAddress(mac).ipv4(ipv4).ipv6(ipv6)
            .bond(bond).vlan(vlan).bridge(bridge).lldp(lldp).vethPeer(d.vethPeer()).controller(controller).build();
    }

    private static IpConfig ip(NmSettings p, String family, List<IpAddress> running) {
        boolean ipv6 = family.equals("ipv6");
        String method = p.string(family, "method");
        List<IpAddress> addresses = running.stream().filter(a -> !a.isLinkLocal()).toList();
        if (method == null || method.equals("disabled") || method.equals("ignore")) {
            return IpConfig.disabled();
        }
        boolean dhcp = method.equals("auto") || method.equals("dhcp");
        Boolean autoconf = ipv6 ? method.equals("auto") : null;
        if (!dhcp) {
            return new IpConfig(true, false, autoconf, addresses, null, null, null);
        }
        return new IpConfig(true, true, autoconf, addresses, !bool(p, family, "ignore-auto-dns"), !bool(p, family, "ignore-auto-routes"),
            !bool(p, family, "never-default"));
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
