package io.nmstream.executor.nm;

import io.nmstream.nmstate.BondConfig;
import io.nmstream.nmstate.InterfaceSpec;
import io.nmstream.nmstate.InterfaceType;
import io.nmstream.nmstate.IpAddress;
import io.nmstream.nmstate.IpConfig;
import io.nmstream.nmstate.Route;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;

/**
 * Translates one interface of a desired state into the NetworkManager profile that realises it, on top of the
 * interface's existing profile when there is one.
 *
 * <p>nmstate's merge semantics hold at this level: only the properties the desired state mentions are written, every
 * other property of the existing profile is kept as it was, and the profile keeps its UUID (it is updated, never
 * duplicated).
 */
public final class NmSettingsTranslator {

    /** {@code vlan.flags}: REORDER_HEADERS, NetworkManager's default for new VLANs. */
    private static final long VLAN_REORDER_HEADERS = 1;
    /** {@code dcb.*-flags}: ENABLE. */
    private static final long DCB_FLAG_ENABLE = 1;
    /** {@code connection.lldp}: enable-rx. */
    private static final int LLDP_ENABLE_RX = 1;

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
     */
    public record Request(InterfaceSpec desired, InterfaceType type, NmSettings existing, PortRelation port, List<Route> routes,
                          DnsPlacement dns) {
    }

    /** A port relation to set: the controller's name and type, or {@link #RELEASE} to make the interface stand alone. */
    public record PortRelation(String controller, InterfaceType controllerType) {
        public static final PortRelation RELEASE = new PortRelation(null, null);

        boolean released() {
            return controller == null;
        }
    }

    /** The DNS entries one profile holds (NetworkManager keeps name servers per profile and family). */
    public record DnsPlacement(List<String> ipv4Servers, List<String> ipv6Servers, List<String> searches) {
    }

    /** The profile for {@code request}'s interface. */
    public static NmSettings translate(Request request) {
        InterfaceSpec want = request.desired();
        NmSettings s = request.existing() == null ? newProfile(want.name(), request.type()) : request.existing().copy();
        // GetSettings returns both the deprecated and the current forms of addresses and routes; NetworkManager ignores
        // address-data when "addresses" is also sent, so the deprecated forms must go before anything is changed
        for (String family : List.of("ipv4", "ipv6")) {
            s.remove(family, "addresses").remove(family, "routes");
        }
        connection(s, request);
        if (want.mtu() != null) {
            s.putUInt32("802-3-ethernet", "mtu", want.mtu());
        }
        if (want.macAddress() != null) {
            s.putString("802-3-ethernet", "cloned-mac-address", want.macAddress());
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
        }
        if (want.bridge() != null && want.bridge().stpEnabled() != null) {
            s.putBoolean("bridge", "stp", want.bridge().stpEnabled());
        }
        boolean isPort = s.string("connection", "master") != null;
        if (isPort) {
            // a port has no IP configuration of its own: its controller has
            s.removeSection("ipv4").removeSection("ipv6");
        } else {
            ip(s, "ipv4", want.ipv4(), request.existing() == null);
            ip(s, "ipv6", want.ipv6(), request.existing() == null);
            if (request.routes() != null) {
                routes(s, request.routes());
            }
            if (request.dns() != null) {
                dns(s, request.dns());
            }
        }
        return s;
    }

    /** NetworkManager's {@code connection.type} for an nmstate interface type. */
    public static String connectionType(InterfaceType type) {
        return switch (type) {
            case BOND -> "bond";
            case VLAN -> "vlan";
            case LINUX_BRIDGE -> "bridge";
            case DUMMY -> "dummy";
            case ETHERNET, VETH -> "802-3-ethernet";
            default -> throw new IllegalArgumentException("interfaces of type " + type.nmstateName() + " cannot be configured");
        };
    }

    private static NmSettings newProfile(String name, InterfaceType type) {
        NmSettings s = new NmSettings();
        s.putString("connection", "id", name)
            .putString("connection", "uuid", UUID.randomUUID().toString())
            .putString("connection", "type", connectionType(type))
            .putString("connection", "interface-name", name)
            .putBoolean("connection", "autoconnect", true);
        s.section(connectionType(type));
        if (type == InterfaceType.LINUX_BRIDGE) {
            // NetworkManager enables STP on new bridges; nmstate's default is off unless asked
            s.putBoolean("bridge", "stp", false);
        }
        return s;
    }

    private static void connection(NmSettings s, Request request) {
        PortRelation port = request.port();
        if (port != null) {
            if (port.released()) {
                s.remove("connection", "master").remove("connection", "slave-type").removeSection("bridge-port");
            } else {
                String slaveType = port.controllerType() == InterfaceType.BOND ? "bond" : "bridge";
                s.putString("connection", "master", port.controller()).putString("connection", "slave-type", slaveType);
                if (slaveType.equals("bridge")) {
                    s.section("bridge-port");
                } else {
                    s.removeSection("bridge-port");
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

    /**
     * {@code dcb.priority-bandwidth}: each priority's share of its group, which NetworkManager requires to add up to 100
     * within every group. The group's bandwidth is split evenly between its priorities.
     */
    static List<Long> priorityShares(List<Integer> groups) {
        List<Long> shares = new ArrayList<>();
        for (int p = 0; p < groups.size(); p++) {
            int group = groups.get(p);
            long members = groups.stream().filter(g -> g == group).count();
            long firstOfGroup = groups.indexOf(group);
            long share = 100 / members + (p == firstOfGroup ? 100 % members : 0);
            shares.add(group == 15 ? 0L : share);
        }
        return shares;
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
        if (ip.autoDns() != null) {
            s.putBoolean(family, "ignore-auto-dns", !ip.autoDns());
        }
        if (ip.autoRoutes() != null) {
            s.putBoolean(family, "ignore-auto-routes", !ip.autoRoutes());
        }
        if (ip.autoGateway() != null) {
            s.putBoolean(family, "never-default", !ip.autoGateway());
        }
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
        boolean dynamicKept = ip.dhcp() == null && (!ipv6 || ip.autoconf() == null) && existingMethod != null
            && (existingMethod.equals("auto") || existingMethod.equals("dhcp"));
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

    private static void routes(NmSettings s, List<Route> routes) {
        for (String family : List.of("ipv4", "ipv6")) {
            boolean ipv6 = family.equals("ipv6");
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
        if (dns.ipv4Servers() != null) {
            s.putUInt32s("ipv4", "dns", dns.ipv4Servers().stream().map(NmSettingsTranslator::ipv4AsUInt32).toList());
        }
        if (dns.ipv6Servers() != null) {
            s.putByteArrays("ipv6", "dns", dns.ipv6Servers().stream().map(NmSettingsTranslator::addressBytes).toList());
        }
        if (dns.searches() != null) {
            s.putStrings("ipv4", "dns-search", dns.searches());
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
