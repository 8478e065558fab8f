package io.nmstream.nmstate;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads one entry of {@code interfaces} into an {@link InterfaceSpec}: its identity (name, type, state), MTU, MAC and IP
 * configuration, and the blocks of its type, refusing a block on an interface of another type. The link-layer blocks
 * are {@link LinkBlockParser}'s, the type blocks {@link TypeBlockParser}'s; checks across interfaces are
 * {@link DocumentChecks}'.
 */
final class InterfaceParser {

    /** An interface's fields, in nmstate's order. */
    static final List<String> KEYS = List.of("name", "description", "type", "state", "mac-address", "copy-mac-from",
        "accept-all-mac-addresses", "mtu", "ipv4", "ipv6", "wait-ip", "mptcp", "controller", "lldp", "ieee-8021Qaz", "ethernet",
        "link-aggregation", "vlan", "bridge", "vrf", "mac-vlan", "vxlan", "veth");
    static final List<String> STATES = List.of("up", "down", "absent", "ignore");
    static final int MIN_MTU = 68;
    static final int MAX_MTU = 65535;
    static final int MIN_IPV6_MTU = 1280;
    private static final String NOT_APPLIED = " is known to nmstate, but nmstream does not apply it";
    private static final Map<String, String> REFUSED = refused();
    private static final List<String> IP_KEYS = List.of("enabled", "dhcp", "address", "auto-dns", "auto-gateway", "auto-routes",
        "auto-route-metric", "auto-route-table-id", "dhcp-client-id", "dhcp-send-hostname", "dhcp-custom-hostname", "allow-extra-address");
    /** Why IPv6 autoconf needs DHCPv6 with it: nmstate refuses it, and NetworkManager's method "auto" does both. */
    public static final String AUTOCONF_WITHOUT_DHCP = "autoconf without DHCPv6 is not supported (nor by nmstate): set dhcp: true "
        + "with it, as NetworkManager's method auto does both";
    private static final List<String> IPV6_KEYS = List.of("enabled", "dhcp", "autoconf", "address", "auto-dns", "auto-gateway",
        "auto-routes", "auto-route-metric", "auto-route-table-id", "dhcp-duid", "addr-gen-mode", "dhcp-send-hostname",
        "dhcp-custom-hostname", "allow-extra-address", "token");
    /** A DHCP client identifier or DUID given as bytes, as NetworkManager takes them: {@code 01:52:54:00:12:34:56}. */
    private static final Pattern HEX_BYTES = Pattern.compile("[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2})+");
    /** A host name or FQDN: labels of letters, digits, '-' and '_' (not at either end), up to 63 characters, dots between. */
    private static final Pattern HOST_NAME = Pattern.compile("(?=.{1,253}$)([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)"
        + "(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\\.?");
    private static final Map<String, String> IPV4_REFUSED = ipRefused(false);
    private static final Map<String, String> IPV6_REFUSED = ipRefused(true);
    private static final Map<String, String> ADDRESS_REFUSED = Map.of(
        "valid-life-time", "valid-life-time" + NOT_APPLIED + " (static addresses do not expire)",
        "preferred-life-time", "preferred-life-time" + NOT_APPLIED + " (static addresses do not expire)");

    /** The block each type owns, and the types it is valid on. */
    private static final Map<String, List<InterfaceType>> TYPE_BLOCKS = typeBlocks();

    /** A port a controller lists, located where it is named. */
    record PortRef(String name, Located at) {
    }

    /**
     * One parsed interface with what the document-wide checks need.
     *
     * @param index position in {@code interfaces}
     * @param node the interface's entry
     * @param spec the typed interface
     * @param ports the ports it lists, each where it is named
     * @param baseIface the {@code base-iface} it is stacked on (VLAN, MAC-VLAN, VXLAN); null when none
     */
    record Entry(int index, Located node, InterfaceSpec spec, List<PortRef> ports, Located baseIface) {
    }

    private InterfaceParser() {
    }

    /** The interface at {@code n}; null when it has no usable name (the problems say why) or is a template. */
    static Entry parse(Located n, int index) {
        if (!n.block("an interface", KEYS, REFUSED)) {
            return null;
        }
        Located nameNode = n.field("name");
        String name = null;
        if (nameNode == null) {
            n.missing("name", "every interface needs a name");
        } else {
            name = nameNode.interfaceName();
        }
        InterfaceType type = type(n.field("type"));
        Located stateNode = n.field("state");
        String stateText = stateNode == null ? null : stateNode.oneOf(STATES);
        InterfaceState state = stateText == null ? null : InterfaceState.fromNmstate(stateText);
        Located description = n.field("description");
        Located mac = n.field("mac-address");
        Located controller = n.field("controller");
        InterfaceSpec.Builder spec = InterfaceSpec.builder(name == null ? "" : name).type(type).state(state)
            .description(description == null ? null : description.text())
            .macAddress(mac == null ? null : mac.macAddress())
            .acceptAllMacAddresses(acceptAllMacAddresses(n, type))
            .copyMacFrom(copyMacFrom(n, type, name))
            .ipv4(ip(n.field("ipv4"), false)).ipv6(ip(n.field("ipv6"), true))
            .waitIp(waitIp(n))
            .mptcpAddressFlags(mptcp(n))
            .mtu(mtu(n))
            .controller(controller == null ? null : controller.interfaceName());
        checkTypeBlocks(n, type);
        Located lldp = n.field("lldp");
        Located dcb = n.field("ieee-8021Qaz");
        Located ethernet = n.field("ethernet");
        spec.lldp(lldp == null ? null : LinkBlockParser.lldp(lldp))
            .dcb(dcb == null ? null : LinkBlockParser.ieee8021Qaz(dcb))
            .ethernet(ethernet == null ? null : LinkBlockParser.ethernet(ethernet));
        List<PortRef> ports = new ArrayList<>();
        Located base = type == null ? null : typeBlock(n, type, name, spec, ports);
        if (state != InterfaceState.ABSENT && state != InterfaceState.IGNORE && type != null) {
            requireTypeBlock(n, type);
        }
        if (name == null) {
            return null;
        }
        return new Entry(index, n, spec.build(), List.copyOf(ports), base);
    }

    /**
     * Reads the block of {@code type} into {@code spec} (a block on another type is {@link #checkTypeBlocks}'s problem);
     * returns the {@code base-iface} a stacked interface names, null for other types.
     */
    private static Located typeBlock(Located n, InterfaceType type, String name, InterfaceSpec.Builder spec, List<PortRef> ports) {
        Located block = n.field(blockOf(type));
        if (block == null) {
            return null;
        }
        switch (type) {
            case BOND -> spec.bond(TypeBlockParser.bond(block, name, ports));
            case VLAN -> spec.vlan(TypeBlockParser.vlan(block, name));
            case LINUX_BRIDGE, OVS_BRIDGE -> spec.bridge(TypeBlockParser.bridge(block, name, type == InterfaceType.LINUX_BRIDGE, ports));
            case VRF -> spec.vrf(TypeBlockParser.vrf(block, name, ports));
            case MAC_VLAN -> spec.macVlan(TypeBlockParser.macVlan(block, name));
            case VXLAN -> spec.vxlan(TypeBlockParser.vxlan(block));
            case VETH -> spec.vethPeer(TypeBlockParser.vethPeer(block, name));
            default -> {
                return null;
            }
        }
        return type == InterfaceType.VLAN || type == InterfaceType.MAC_VLAN || type == InterfaceType.VXLAN ? block.field("base-iface")
            : null;
    }

    /** The key of the block that belongs to {@code type}; "" for types without one. */
    private static String blockOf(InterfaceType type) {
        return switch (type) {
            case BOND -> "link-aggregation";
            case VLAN -> "vlan";
            case LINUX_BRIDGE, OVS_BRIDGE -> "bridge";
            case VRF -> "vrf";
            case MAC_VLAN -> "mac-vlan";
            case VXLAN -> "vxlan";
            case VETH -> "veth";
            default -> "";
        };
    }

    private static InterfaceType type(Located n) {
        if (n == null || n.isTemplate()) {
            return null;
        }
        if (!n.node().isTextual()) {
            n.problem("must be one of " + String.join(", ", InterfaceType.configurableNames()));
            return null;
        }
        try {
            return InterfaceType.fromNmstate(n.node().asText());
        } catch (IllegalArgumentException e) {
            n.problem(e.getMessage());
            return null;
        }
    }

    /** The types nmstate copies a MAC address to (it ignores {@code copy-mac-from} on the others). */
    static final Set<InterfaceType> COPY_MAC_TYPES = Set.of(InterfaceType.BOND, InterfaceType.LINUX_BRIDGE, InterfaceType.OVS_INTERFACE);

    /**
     * Manages {@code copy-mac-from}: the name of another interface, on a type that takes a MAC address from another (a bond,
     * linux-bridge or ovs-interface, as in nmstate), and not with a {@code mac-address} of its own.
     */
    private static String copyMacFrom(Located n, InterfaceType type, String name) {
        Located field = n.field("copy-mac-from");
        String source = field == null ? null : field.interfaceName();
        if (source == null) {
            return null;
        }
        if (n.has("mac-address")) {
            field.problem("copy-mac-from and mac-address both set the MAC address; give one");
        } else if (source.equals(name)) {
            field.problem("the name of another interface (an interface has its own MAC address already)");
        } else if (type != null && !COPY_MAC_TYPES.contains(type)) {
            field.problem("only on a bond, linux-bridge or ovs-interface (nmstate ignores it on a " + type.nmstateName() + ")");
        } else {
            return source;
        }
        return null;
    }

    /**
     * Manages {@code accept-all-mac-addresses}, which NetworkManager keeps with an interface's Ethernet settings: a MAC-VLAN
     * says it with its own {@code promiscuous}, and a VRF or an OVS bridge has no such link to set it on.
     */
    private static Boolean acceptAllMacAddresses(Located n, InterfaceType type) {
        Boolean accept = bool(n, "accept-all-mac-addresses");
        if (accept != null && type == InterfaceType.MAC_VLAN) {
            n.field("accept-all-mac-addresses").problem("a mac-vlan says it with mac-vlan.promiscuous");
            return null;
        }
        if (accept != null && (type == InterfaceType.VRF || type == InterfaceType.OVS_BRIDGE)) {
            n.field("accept-all-mac-addresses").problem("not on a " + type.nmstateName() + ", which has no Ethernet link to receive "
                + "frames on");
            return null;
        }
        return accept;
    }

    /**
     * Manages {@code wait-ip}: one of nmstate's values, and not waiting for a family this interface's document disables
     * (a family the document does not mention is the node's to check).
     */
    private static WaitIp waitIp(Located n) {
        Located waitNode = n.field("wait-ip");
        String text = waitNode == null ? null : waitNode.oneOf(WaitIp.names());
        if (text == null) {
            return null;
        }
        WaitIp waitIp = WaitIp.fromNmstate(text);
        for (String family : List.of("ipv4", "ipv6")) {
            Located ip = n.field(family);
            if (waitIp.waitsFor(family.equals("ipv6")) && ip != null && ip.node().path("enabled").isBoolean()
                && !ip.node().path("enabled").asBoolean()) {
                // nmstate refuses it too: NetworkManager would wait for a family that never comes
                waitNode.problem("cannot wait for " + family + " while " + family + ".enabled is false");
                return null;
            }
        }
        return waitIp;
    }

    /**
     * Manages {@code mptcp.address-flags}: nmstate's flags, not {@code signal} with {@code fullmesh} (the kernel refuses
     * such an endpoint), and an address's own {@code mptcp-flags} (which nmstate reports) only where they are the
     * interface's: NetworkManager gives every address of an interface the same flags, and nmstate ignores others.
     */
    private static List<MptcpAddressFlag> mptcp(Located n) {
        Located block = n.field("mptcp");
        List<MptcpAddressFlag> flags = null;
        if (block != null && block.block("mptcp", List.of("address-flags"), Map.of()) && block.has("address-flags")) {
            flags = mptcpFlags(block.field("address-flags"));
            if (flags != null && flags.contains(MptcpAddressFlag.SIGNAL) && flags.contains(MptcpAddressFlag.FULLMESH)) {
                block.field("address-flags").problem("signal or fullmesh, not both (the kernel refuses an endpoint with both)");
                flags = null;
            }
        }
        for (String family : List.of("ipv4", "ipv6")) {
            Located ip = n.field(family);
            Located addressList = ip == null ? null : ip.field("address");
            if (addressList == null || !addressList.node().isArray()) {
                continue; // ip() says what is wrong with it
            }
            for (Located address : addressList.list()) {
                Located own = address.field("mptcp-flags");
                List<MptcpAddressFlag> ownFlags = own == null ? null : mptcpFlags(own);
                if (ownFlags != null && !ownFlags.equals(flags == null ? List.of() : flags)) {
                    own.problem("must be the interface's mptcp.address-flags ("
                        + (flags == null ? "none given" : MptcpAddressFlag.describe(flags))
                        + "): NetworkManager gives every address of an interface the same flags");
                }
            }
        }
        return flags;
    }

    /** A list of MPTCP address flags, in nmstate's order without repeats; null when it is not one (the problem says why). */
    private static List<MptcpAddressFlag> mptcpFlags(Located n) {
        List<Located> items = n.list();
        if (items == null) {
            return null;
        }
        EnumSet<MptcpAddressFlag> flags = EnumSet.noneOf(MptcpAddressFlag.class);
        boolean valid = true;
        for (Located item : items) {
            String name = item.oneOf(MptcpAddressFlag.names());
            if (name == null) {
                valid = false;
            } else {
                flags.add(MptcpAddressFlag.fromNmstate(name));
            }
        }
        return valid ? List.copyOf(flags) : null;
    }

    /** Manages the MTU range, and the 1280 minimum the kernel enforces while IPv6 is enabled. */
    private static Integer mtu(Located n) {
        Located mtuNode = n.field("mtu");
        if (mtuNode == null) {
            return null;
        }
        Integer mtu = mtuNode.intValue(MIN_MTU, MAX_MTU);
        Located ipv6 = n.field("ipv6");
        boolean ipv6Enabled = ipv6 != null && ipv6.node().path("enabled").asBoolean(false);
        if (mtu != null && ipv6Enabled && mtu < MIN_IPV6_MTU) {
            mtuNode.problem("must be at least " + MIN_IPV6_MTU + " while ipv6.enabled is true (IPv6 requires it)");
            return null;
        }
        return mtu;
    }

    /** Manages IPv4 and IPv6: enabled/dhcp/autoconf flags and static addresses of the right family and prefix length. */
    private static IpConfig ip(Located n, boolean ipv6) {
        if (n == null || !n.block(ipv6 ? "ipv6" : "ipv4", ipv6 ? IPV6_KEYS : IP_KEYS, ipv6 ? IPV6_REFUSED : IPV4_REFUSED)) {
            return null;
        }
        List<IpAddress> addresses = null;
        Located addressNode = n.field("address");
        List<Located> entries = addressNode == null ? null : addressNode.list();
        if (entries != null) {
            addresses = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (Located entry : entries) {
                IpAddress address = address(entry, ipv6, seen);
                if (address != null) {
                    addresses.add(address);
                }
            }
        }
        Located metricNode = n.field("auto-route-metric");
        Long metric = metricNode == null ? null : metricNode.integer(0, TypeBlockParser.MAX_U32);
        Located tableNode = n.field("auto-route-table-id");
        Long table = tableNode == null ? null : tableNode.integer(0, TypeBlockParser.MAX_U32);
        String clientId = ipv6 ? null : dhcpIdentity(n.field("dhcp-client-id"), List.of("ll", "iaid+duid"));
        String duid = ipv6 ? dhcpIdentity(n.field("dhcp-duid"), List.of("ll", "llt")) : null;
        Located genNode = ipv6 ? n.field("addr-gen-mode") : null;
        String addrGenMode = genNode == null ? null : genNode.text();
        if (addrGenMode != null && !List.of("eui64", "stable-privacy").contains(addrGenMode)) {
            genNode.problem("eui64 or stable-privacy");
            addrGenMode = null;
        }
        Boolean sendHostname = bool(n, "dhcp-send-hostname");
        String customHostname = customHostname(n.field("dhcp-custom-hostname"));
        if (Boolean.FALSE.equals(sendHostname) && customHostname != null && !customHostname.isEmpty()) {
            // nmstate drops the name with a warning; the host would not send it, so the document cannot mean both
            n.field("dhcp-custom-hostname").problem("no custom host name while dhcp-send-hostname is false (nothing would send it)");
        }
        IpConfig ip = new IpConfig(bool(n, "enabled"), bool(n, "dhcp"), ipv6 ? bool(n, "autoconf") : null, addresses,
            bool(n, "auto-dns"), bool(n, "auto-routes"), bool(n, "auto-gateway"), metric, table, clientId, duid, addrGenMode,
            sendHostname, customHostname, bool(n, "allow-extra-address"), ipv6 ? token(n.field("token")) : null);
        if ((ip.dhcp() != null || Boolean.FALSE.equals(ip.enabled())) && (!ip.isDynamic() || !ip.isEnabled())) {
            // node show reports dhcp-send-hostname on every DHCP interface (NetworkManager's default, as nmstate shows it),
            // so a state edited from DHCP to static still has it; nmstate drops it there, and so does this
            ip = ip.withDhcpSendHostname(null);
            // nmstate drops these too: an apply would report them unset, so say so now
            for (String dynamicOnly : List.of("auto-route-metric", "auto-route-table-id", "dhcp-client-id", "dhcp-duid",
                "dhcp-custom-hostname", "token")) {
                Located field = n.field(dynamicOnly);
                // removing a token is what nmstate asks for where autoconf is off
                if (field != null && !(dynamicOnly.equals("token") && "::".equals(ip.token()))) {
                    field.problem("only with dhcp: true" + (ipv6 ? " or autoconf: true" : "") + " (DHCP is off in this block)");
                }
            }
        }
        if (ip.token() != null && !ip.token().equals("::")) {
            // NetworkManager makes the autoconf address from the token only with EUI-64 address generation (it refuses
            // the profile otherwise), so a token brings eui64 with it unless the block says otherwise
            if (Boolean.FALSE.equals(ip.autoconf())) {
                n.field("token").problem("no token while autoconf is false (the token is the autoconf address's identifier)");
            } else if ("stable-privacy".equals(ip.addrGenMode())) {
                n.field("token").problem("no token with addr-gen-mode: stable-privacy (NetworkManager uses a token only with eui64)");
            }
        }
        if (ipv6 && ip.isEnabled() && Boolean.TRUE.equals(ip.autoconf()) && Boolean.FALSE.equals(ip.dhcp())) {
            n.field("autoconf").problem(AUTOCONF_WITHOUT_DHCP);
        }
        return ip;
    }

    /** The host name a DHCP client sends: a host name or FQDN, or empty for the host's own; null when absent or wrong. */
    private static String customHostname(Located n) {
        String text = n == null ? null : n.text();
        if (text == null || text.isEmpty()) {
            return text;
        }
        if (!HOST_NAME.matcher(text).matches()) {
            n.problem("a host name or FQDN (letters, digits, '-' and '_', labels of up to 63 characters joined by dots), "
                + "or \"\" for the host's own name");
            return null;
        }
        return text;
    }

    /**
     * An IPv6 token as nmstate takes it: an IPv6 address whose first 64 bits are zero, in canonical form ({@code ::} for
     * an empty one, which removes it); null when absent or wrong.
     */
    private static String token(Located n) {
        String text = n == null ? null : n.text();
        if (text == null || text.isEmpty() || text.equals("::")) {
            return text == null ? null : "::";
        }
        String identifier = IpAddress.parseInterfaceIdentifier(text).orElse(null);
        if (identifier == null) {
            n.problem("an IPv6 interface identifier written as an address whose first 64 bits are zero, such as ::1234, "
                + "or \"\" to remove it");
            return null;
        }
        return identifier;
    }

    /** A DHCP client identity: one of {@code keywords}, or hexadecimal bytes; null (with a problem when wrong) otherwise. */
    private static String dhcpIdentity(Located n, List<String> keywords) {
        String text = n == null ? null : n.text();
        if (text == null) {
            return null;
        }
        if (keywords.contains(text) || HEX_BYTES.matcher(text).matches()) {
            return text;
        }
        n.problem(String.join(", ", keywords) + ", or hexadecimal bytes such as 01:52:54:00:12:34:56");
        return null;
    }

    private static IpAddress address(Located entry, boolean ipv6, Set<String> seen) {
        if (!entry.block("an address", List.of("ip", "prefix-length", "mptcp-flags"), ADDRESS_REFUSED)) {
            return null;
        }
        String family = ipv6 ? "IPv6" : "IPv4";
        Located ipNode = entry.field("ip");
        String ip = null;
        if (ipNode == null) {
            entry.missing("ip", "an " + family + " address");
        } else {
            ip = ipNode.ipAddress(ipv6);
            if (ip != null && !seen.add(ip)) {
                ipNode.problem("each address may be listed once per interface");
                ip = null;
            }
        }
        Located prefixNode = entry.field("prefix-length");
        Integer prefix = null;
        if (prefixNode == null) {
            entry.missing("prefix-length", "a prefix length from 0 to " + (ipv6 ? 128 : 32));
        } else {
            prefix = prefixNode.intValue(0, ipv6 ? 128 : 32);
        }
        return ip == null || prefix == null ? null : new IpAddress(ip, prefix);
    }

    /** The boolean field {@code key} of {@code n}; null when absent or wrong. */
    static Boolean bool(Located n, String key) {
        Located field = n.field(key);
        return field == null ? null : field.bool();
    }

    /** Manages type blocks: each is valid only on the types that own it. */
    private static void checkTypeBlocks(Located n, InterfaceType type) {
        TYPE_BLOCKS.forEach((key, types) -> {
            Located block = n.field(key);
            if (block == null || type != null && types.contains(type)) {
                return;
            }
            if (type == null && (key.equals("ethernet") || key.equals("ieee-8021Qaz"))) {
                // a NIC's own settings: the interface exists, and its type is the host's
                return;
            }
            String owners = String.join(" or ", types.stream().map(t -> article(t.nmstateName()) + " " + t.nmstateName()).toList());
            block.problem(key + " is only valid on " + owners + (type == null ? " (give the interface's type)"
                : " (this interface is " + article(type.nmstateName()) + " " + type.nmstateName() + ")"));
        });
    }

    /** Manages the blocks that creating an interface of {@code type} needs. */
    private static void requireTypeBlock(Located n, InterfaceType type) {
        switch (type) {
            case VLAN -> require(n, "vlan", "a vlan interface needs vlan.base-iface and vlan.id");
            case MAC_VLAN -> require(n, "mac-vlan", "a mac-vlan interface needs mac-vlan.base-iface and mac-vlan.mode");
            case VXLAN -> require(n, "vxlan", "a vxlan interface needs vxlan.id");
            case VRF -> require(n, "vrf", "a vrf interface needs vrf.route-table-id");
            default -> {
            }
        }
    }

    private static void require(Located n, String key, String allowed) {
        if (!n.node().has(key)) {
            n.missing(key, allowed);
        }
    }

    private static String article(String word) {
        return "aeiou".indexOf(word.charAt(0)) >= 0 ? "an" : "a";
    }

    private static Map<String, List<InterfaceType>> typeBlocks() {
        Map<String, List<InterfaceType>> blocks = new LinkedHashMap<>();
        blocks.put("ethernet", List.of(InterfaceType.ETHERNET, InterfaceType.VETH));
        blocks.put("ieee-8021Qaz", List.of(InterfaceType.ETHERNET));
        blocks.put("link-aggregation", List.of(InterfaceType.BOND));
        blocks.put("vlan", List.of(InterfaceType.VLAN));
        blocks.put("bridge", List.of(InterfaceType.LINUX_BRIDGE, InterfaceType.OVS_BRIDGE));
        blocks.put("vrf", List.of(InterfaceType.VRF));
        blocks.put("mac-vlan", List.of(InterfaceType.MAC_VLAN));
        blocks.put("vxlan", List.of(InterfaceType.VXLAN));
        blocks.put("veth", List.of(InterfaceType.VETH));
        return blocks;
    }

    private static Map<String, String> refused() {
        Map<String, String> refused = new LinkedHashMap<>();
        for (String key : List.of("profile-name", "identifier", "ovs-db", "802.1x", "ethtool", "dispatch")) {
            refused.put(key, key + NOT_APPLIED);
        }
        for (String key : List.of("driver", "permanent-mac-address", "min-mtu", "max-mtu")) {
            // nmstatectl show and an NNS print them; nmstate drops them from a desired state, where they would do nothing
            refused.put(key, key + " is what nmstate reports of a running interface (it ignores it in a desired state); a desired "
                + "state cannot set it: remove it");
        }
        for (String type : InterfaceType.KNOWN_UNSUPPORTED) {
            refused.put(type, type + " is the block of interface type " + type + ", which is not supported by nmstream");
        }
        refused.put("infiniband", "infiniband is the block of interface type infiniband, which is not supported by nmstream");
        refused.put("ipvlan", "ipvlan is the block of interface type ipvlan, which is not supported by nmstream");
        refused.remove("loopback");
        refused.remove("unknown");
        refused.remove("other");
        return Map.copyOf(refused);
    }

    private static Map<String, String> ipRefused(boolean ipv6) {
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("forwarding", "forwarding is not supported by nmstream: its NetworkManager has no per-interface forwarding "
            + "setting (set net.ipv4.conf.<interface>.forwarding on the host instead)");
        if (!ipv6) {
            refused.put("token", "token is IPv6 only (the identifier of the autoconf address)");
            refused.put("autoconf", "autoconf is IPv6 only; IPv4 uses dhcp");
            refused.put("dhcp-duid", "dhcp-duid is IPv6 only; IPv4 has dhcp-client-id");
            refused.put("addr-gen-mode", "addr-gen-mode is IPv6 only");
        } else {
            refused.put("dhcp-client-id", "dhcp-client-id is IPv4 only; IPv6 has dhcp-duid");
        }
        return Map.copyOf(refused);
    }
}
