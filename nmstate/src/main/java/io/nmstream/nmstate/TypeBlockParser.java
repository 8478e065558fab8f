package io.nmstream.nmstate;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the block that belongs to an interface's type: {@code link-aggregation} (bond), {@code vlan}, {@code bridge}
 * (linux-bridge or ovs-bridge), {@code vrf}, {@code mac-vlan}, {@code vxlan} and {@code veth}, and reports the ports a
 * controller lists for the document-wide checks.
 */
final class TypeBlockParser {

    static final int MAX_VLAN_ID = 4094;
    static final long MAX_U32 = 4_294_967_295L;
    static final List<String> BOND_MODES = List.of("balance-rr", "active-backup", "balance-xor", "broadcast", "802.3ad",
        "balance-tlb", "balance-alb");
    static final List<String> BOND_OPTIONS = List.of("ad_actor_sys_prio", "ad_actor_system", "ad_select", "ad_user_port_key",
        "all_slaves_active", "arp_all_targets", "arp_interval", "arp_ip_target", "arp_missed_max", "arp_validate", "balance_slb",
        "downdelay", "fail_over_mac", "lacp_active", "lacp_rate", "lp_interval", "miimon", "min_links", "ns_ip6_target", "num_grat_arp",
        "num_unsol_na", "packets_per_slave", "peer_notif_delay", "primary", "primary_reselect", "resend_igmp", "tlb_dynamic_lb",
        "updelay", "use_carrier", "xmit_hash_policy");
    /** Bond options whose value is a count (of milliseconds, packets, links...). */
    static final List<String> BOND_COUNTERS = List.of("miimon", "updelay", "downdelay", "arp_interval", "min_links", "resend_igmp",
        "num_grat_arp", "num_unsol_na", "packets_per_slave", "lp_interval", "peer_notif_delay", "ad_actor_sys_prio",
        "ad_user_port_key");
    static final List<String> XMIT_HASH_POLICIES = List.of("layer2", "layer3+4", "layer2+3", "encap2+3", "encap3+4", "vlan+srcmac");
    static final List<String> MAC_VLAN_MODES = List.of("vepa", "bridge", "private", "passthru", "source");
    /** nmstate's name of a port list, then the aliases it also reads. */
    static final List<String> PORT_KEYS = List.of("port", "ports");
    static final List<String> BOND_PORT_KEYS = List.of("port", "ports", "slaves");
    private static final String NOT_APPLIED = " is known to nmstate, but nmstream does not apply it";
    /**
     * The linux-bridge options refused: timers counting down on the running bridge, which nmstate reports but does not set,
     * and the VLAN protocol settings (a kernel without bridge VLAN filtering, as here, ignores them, so nothing could tell).
     */
    private static final Map<String, String> LINUX_BRIDGE_OPTIONS_REFUSED = Map.of(
        "gc-timer", "gc-timer is a timer of the running bridge that nmstate reports; it cannot be set",
        "hello-timer", "hello-timer is a timer of the running bridge that nmstate reports; it cannot be set",
        "vlan-protocol", "vlan-protocol" + NOT_APPLIED,
        "vlan-default-pvid", "vlan-default-pvid" + NOT_APPLIED);
    /** Bits 0-2 of the group forwarding mask (STP, MAC pause frames, 802.3ad): the kernel never forwards those groups. */
    private static final long RESTRICTED_GROUPS = 0x7;

    private TypeBlockParser() {
    }

    /** Manages a bond: mode, known options with sane values, and ports (under {@code port}, {@code ports} or {@code slaves}). */
    static BondConfig bond(Located n, String name, List<InterfaceParser.PortRef> ports) {
        List<String> keys = List.of("mode", "options", "port", "ports", "slaves");
        if (!n.block("link-aggregation", keys, refused("ports-config"))) {
            return null;
        }
        String mode = null;
        Located modeNode = n.field("mode");
        if (modeNode == null) {
            n.missing("mode", "one of " + String.join(", ", BOND_MODES));
        } else {
            mode = modeNode.oneOf(BOND_MODES);
        }
        Located optionsNode = n.field("options");
        Map<String, String> options = optionsNode == null ? null : bondOptions(optionsNode, mode);
        return new BondConfig(mode, options, portNames(n, BOND_PORT_KEYS, name, ports));
    }

    private static Map<String, String> bondOptions(Located n, String mode) {
        if (!n.block("bond options", BOND_OPTIONS, Map.of())) {
            return null;
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (String key : BOND_OPTIONS) {
            Located option = n.field(key);
            if (option == null) {
                continue;
            }
            String value = bondOption(key, option, mode);
            if (value != null) {
                options.put(key, value);
            }
        }
        return options;
    }

    private static String bondOption(String key, Located option, String mode) {
        if (BOND_COUNTERS.contains(key)) {
            Long count = option.integer(0, Integer.MAX_VALUE);
            return count == null ? null : count.toString();
        }
        if (option.isTemplate()) {
            return null;
        }
        String text = option.node().isValueNode() ? option.node().asText() : null;
        switch (key) {
            case "xmit_hash_policy" -> {
                return option.oneOf(XMIT_HASH_POLICIES);
            }
            case "ad_select" -> {
                return option.oneOf(List.of("stable", "bandwidth", "count", "0", "1", "2"));
            }
            case "lacp_rate" -> {
                if (!List.of("slow", "fast", "0", "1").contains(text)) {
                    option.problem("must be one of slow, fast, 0, 1");
                    return null;
                }
                if (mode != null && !mode.equals("802.3ad")) {
                    option.problem("is only valid with mode 802.3ad (mode is " + mode + ")");
                    return null;
                }
                return text;
            }
            case "primary" -> {
                if (mode != null && !List.of("active-backup", "balance-tlb", "balance-alb").contains(mode)) {
                    option.problem("is only valid with modes active-backup, balance-tlb and balance-alb (mode is " + mode + ")");
                    return null;
                }
                return option.interfaceName();
            }
            default -> {
                if (text == null) {
                    option.problem("must be a single value");
                }
                return text;
            }
        }
    }

    /** Manages a VLAN: an id from 0 to 4094 and a base interface other than itself. */
    static VlanConfig vlan(Located n, String name) {
        if (!n.block("vlan", List.of("base-iface", "id", "protocol", "registration-protocol", "reorder-headers", "loose-binding"),
            Map.of())) {
            return null;
        }
        Integer id = null;
        Located idNode = n.field("id");
        if (idNode == null) {
            n.missing("id", "a VLAN id from 0 to " + MAX_VLAN_ID);
        } else {
            id = idNode.intValue(0, MAX_VLAN_ID);
        }
        Located protocol = n.field("protocol");
        Located registration = n.field("registration-protocol");
        return new VlanConfig(baseInterface(n, name, true), id, protocol == null ? null : protocol.oneOf(VlanConfig.PROTOCOLS),
            registration == null ? null : registration.oneOf(VlanConfig.REGISTRATION_PROTOCOLS), InterfaceParser.bool(n, "reorder-headers"),
            InterfaceParser.bool(n, "loose-binding"));
    }

    private static String baseInterface(Located block, String name, boolean required) {
        Located base = block.field("base-iface");
        if (base == null) {
            if (required) {
                block.missing("base-iface", "the name of the interface this one is stacked on");
            }
            return null;
        }
        String baseName = base.interfaceName();
        if (baseName != null && baseName.equals(name)) {
            base.problem("an interface cannot be stacked on itself");
            return null;
        }
        return baseName;
    }

    /** Manages a Linux or OVS bridge: options, ports and (Linux) per-port VLAN filtering. */
    static BridgeConfig bridge(Located n, String name, boolean linux, List<InterfaceParser.PortRef> ports) {
        if (!n.block(linux ? "a linux-bridge's bridge" : "an ovs-bridge's bridge", List.of("options", "port", "ports"),
            linux ? Map.of() : refused("allow-extra-patch-ports"))) {
            return null;
        }
        Located optionsNode = n.field("options");
        BridgeConfig.Options options = optionsNode == null ? null
            : linux ? linuxBridgeOptions(optionsNode) : ovsBridgeOptions(optionsNode);
        Located portsNode = portList(n, PORT_KEYS);
        List<BridgeConfig.Port> bridgePorts = null;
        List<Located> entries = portsNode == null ? null : portsNode.list();
        if (entries != null) {
            bridgePorts = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (Located entry : entries) {
                BridgeConfig.Port port = bridgePort(entry, linux);
                if (port == null || port.name() == null) {
                    continue;
                }
                Located portName = entry.field("name");
                if (port.name().equals(name)) {
                    portName.problem("an interface cannot be its own port");
                } else if (!seen.add(port.name())) {
                    portName.problem("each port may be listed once");
                } else {
                    bridgePorts.add(port);
                    ports.add(new InterfaceParser.PortRef(port.name(), portName));
                }
            }
        }
        return new BridgeConfig(options, bridgePorts);
    }

    private static BridgeConfig.Options linuxBridgeOptions(Located n) {
        List<String> keys = new ArrayList<>(List.of("mac-ageing-time", "multicast-snooping", "stp", "group-fwd-mask"));
        keys.addAll(LinuxBridgeOption.names());
        if (!n.block("linux-bridge options", keys, LINUX_BRIDGE_OPTIONS_REFUSED)) {
            return null;
        }
        Boolean stpEnabled = null;
        Integer forwardDelay = null;
        Integer helloTime = null;
        Integer maxAge = null;
        Integer priority = null;
        Located stp = n.field("stp");
        if (stp != null && stp.block("stp", List.of("enabled", "forward-delay", "hello-time", "max-age", "priority"), Map.of())) {
            stpEnabled = InterfaceParser.bool(stp, "enabled");
            // the kernel's limits, in seconds, for 802.1D timers
            forwardDelay = integer(stp, "forward-delay", 2, 30);
            helloTime = integer(stp, "hello-time", 1, 10);
            maxAge = integer(stp, "max-age", 6, 40);
            priority = integer(stp, "priority", 0, 65535);
        }
        return new BridgeConfig.Options(stpEnabled, forwardDelay, helloTime, maxAge, priority,
            integer(n, "mac-ageing-time", 0, 1_000_000), InterfaceParser.bool(n, "multicast-snooping"), moreBridgeOptions(n));
    }

    /** The {@link LinuxBridgeOption}s of a linux-bridge's {@code options}, each checked as the kernel would take it. */
    private static Map<LinuxBridgeOption, Object> moreBridgeOptions(Located n) {
        Map<LinuxBridgeOption, Object> more = new java.util.EnumMap<>(LinuxBridgeOption.class);
        if (n.has("group-forward-mask") && n.has("group-fwd-mask")) {
            n.field("group-fwd-mask").problem("group-fwd-mask is nmstate's other name for group-forward-mask; give it once");
        }
        for (LinuxBridgeOption option : LinuxBridgeOption.values()) {
            Located field = n.field(option == LinuxBridgeOption.GROUP_FORWARD_MASK && !n.has(option.nmstateName()) ? "group-fwd-mask"
                : option.nmstateName());
            if (field == null) {
                continue;
            }
            Object value = switch (option.kind()) {
                case NUMBER -> field.integer(0, option.max());
                case FLAG -> field.bool();
                case CHOICE -> bridgeChoice(field, option);
                case GROUP_ADDRESS -> groupAddress(field);
            };
            if (option == LinuxBridgeOption.GROUP_FORWARD_MASK && value instanceof Long mask && (mask & RESTRICTED_GROUPS) != 0) {
                field.problem("bits 0-2 (01:80:C2:00:00:00 to 02: STP, pause frames, LACP) cannot be forwarded; the kernel refuses them");
                continue;
            }
            if (value != null) {
                more.put(option, value);
            }
        }
        return more;
    }

    /** A choice option, in any case; {@code multicast-router} also takes nmstate's numbers 0, 1 and 2. */
    private static String bridgeChoice(Located field, LinuxBridgeOption option) {
        JsonNode node = field.node();
        if (option == LinuxBridgeOption.MULTICAST_ROUTER && node.isIntegralNumber() && node.asInt() >= 0
            && node.asInt() < LinuxBridgeOption.MULTICAST_ROUTERS.size()) {
            return LinuxBridgeOption.MULTICAST_ROUTERS.get(node.asInt());
        }
        String text = node.isTextual() ? node.asText().toLowerCase(Locale.ROOT) : null;
        if (field.isTemplate() || text != null && option.choices().contains(text)) {
            return text;
        }
        field.problem("must be one of " + String.join(", ", option.choices())
            + (option == LinuxBridgeOption.MULTICAST_ROUTER ? " (or 0, 1, 2)" : ""));
        return null;
    }

    /** A bridge's group address: the kernel takes only the link-local groups 01:80:C2:00:00:00 to 01:80:C2:00:00:0F. */
    private static String groupAddress(Located field) {
        String mac = field.macAddress();
        if (mac != null && !mac.matches("01:80:C2:00:00:0[0-9A-F]")) {
            field.problem("must be a link-local group address, 01:80:C2:00:00:00 to 01:80:C2:00:00:0F (the kernel takes no other)");
            return null;
        }
        return mac;
    }

    private static BridgeConfig.Options ovsBridgeOptions(Located n) {
        if (!n.block("ovs-bridge options", List.of("stp", "mcast-snooping-enable"), refused("rstp", "fail-mode", "datapath"))) {
            return null;
        }
        Boolean stpEnabled = null;
        Located stp = n.field("stp");
        if (stp != null && stp.node().isObject()) {
            stpEnabled = stp.block("stp", List.of("enabled"), Map.of()) ? InterfaceParser.bool(stp, "enabled") : null;
        } else if (stp != null) {
            stpEnabled = stp.bool();
        }
        return new BridgeConfig.Options(stpEnabled, null, null, null, null, null, InterfaceParser.bool(n, "mcast-snooping-enable"));
    }

    private static BridgeConfig.Port bridgePort(Located n, boolean linux) {
        if (!n.block("a bridge port", linux ? List.of("name", "vlan") : List.of("name"), linux
            ? refused("stp-hairpin-mode", "stp-path-cost", "stp-priority") : refused("bond", "vlan"))) {
            return null;
        }
        Located nameNode = n.field("name");
        String name = null;
        if (nameNode == null) {
            n.missing("name", "the name of the port interface");
        } else {
            name = nameNode.interfaceName();
        }
        Located vlan = linux ? n.field("vlan") : null;
        return new BridgeConfig.Port(name, vlan == null ? null : portVlan(vlan));
    }

    /** Manages a bridge port's VLAN filtering: access with a tag, or trunk with tags and ranges within 1–4094. */
    private static BridgeConfig.PortVlan portVlan(Located n) {
        if (!n.block("a port vlan", List.of("enable-native", "mode", "tag", "trunk-tags"), Map.of())) {
            return null;
        }
        Located modeNode = n.field("mode");
        String mode = modeNode == null ? null : modeNode.oneOf(List.of("trunk", "access"));
        Located tagsNode = n.field("trunk-tags");
        if ("access".equals(mode) && tagsNode != null && tagsNode.node().size() > 0) {
            tagsNode.problem("an access port carries no trunk tags");
        }
        if ("trunk".equals(mode) && tagsNode == null) {
            n.missing("trunk-tags", "a trunk port needs trunk-tags");
        }
        List<Located> entries = tagsNode == null ? null : tagsNode.list();
        List<BridgeConfig.TrunkTag> tags = null;
        if (entries != null) {
            tags = new ArrayList<>();
            for (Located entry : entries) {
                BridgeConfig.TrunkTag tag = trunkTag(entry);
                if (tag != null) {
                    tags.add(tag);
                }
            }
        }
        return new BridgeConfig.PortVlan(mode, integer(n, "tag", 1, MAX_VLAN_ID), InterfaceParser.bool(n, "enable-native"), tags);
    }

    private static BridgeConfig.TrunkTag trunkTag(Located n) {
        if (!n.block("a trunk tag", List.of("id", "id-range"), Map.of())) {
            return null;
        }
        if (n.has("id") == n.has("id-range")) {
            n.problem("must have exactly one of id or id-range");
            return null;
        }
        if (n.has("id")) {
            Integer id = integer(n, "id", 1, MAX_VLAN_ID);
            return id == null ? null : new BridgeConfig.TrunkTag(id, null, null);
        }
        Located range = n.field("id-range");
        if (!range.block("id-range", List.of("min", "max"), Map.of())) {
            return null;
        }
        Integer min = requiredVlan(range, "min");
        Integer max = requiredVlan(range, "max");
        if (min != null && max != null && min > max) {
            range.field("min").problem("must not be greater than max (" + max + ")");
            return null;
        }
        return min == null || max == null ? null : new BridgeConfig.TrunkTag(null, min, max);
    }

    private static Integer requiredVlan(Located n, String key) {
        if (!n.has(key)) {
            n.missing(key, "a VLAN id from 1 to " + MAX_VLAN_ID);
            return null;
        }
        return integer(n, key, 1, MAX_VLAN_ID);
    }

    /** Manages a VRF: its routing table (not 0, and not the kernel's local table 255) and ports. */
    static VrfConfig vrf(Located n, String name, List<InterfaceParser.PortRef> ports) {
        if (!n.block("vrf", List.of("port", "ports", "route-table-id"), Map.of())) {
            return null;
        }
        Located tableNode = n.field("route-table-id");
        Long table = null;
        if (tableNode == null) {
            n.missing("route-table-id", "a routing table id from 1 to " + MAX_U32);
        } else {
            table = tableNode.integer(1, MAX_U32);
            if (table != null && table == 255) {
                tableNode.problem("table 255 is the kernel's local table");
                table = null;
            }
        }
        return new VrfConfig(portNames(n, PORT_KEYS, name, ports), table);
    }

    /** Manages a MAC-VLAN: its base interface, mode and promiscuity ({@code accept-all-mac} is nmstate's alias). */
    static MacVlanConfig macVlan(Located n, String name) {
        if (!n.block("mac-vlan", List.of("base-iface", "mode", "promiscuous", "accept-all-mac"), Map.of())) {
            return null;
        }
        String base = baseInterface(n, name, true);
        Located modeNode = n.field("mode");
        String mode = null;
        if (modeNode == null) {
            n.missing("mode", "one of " + String.join(", ", MAC_VLAN_MODES));
        } else {
            mode = modeNode.oneOf(MAC_VLAN_MODES);
        }
        if (n.has("promiscuous") && n.has("accept-all-mac")) {
            n.field("accept-all-mac").problem("accept-all-mac is nmstate's other name for promiscuous; give it once");
        }
        Boolean promiscuous = InterfaceParser.bool(n, n.has("promiscuous") ? "promiscuous" : "accept-all-mac");
        return new MacVlanConfig(base, mode, promiscuous);
    }

    /** Manages a VXLAN: its network identifier, addresses, UDP port and base interface. */
    static VxlanConfig vxlan(Located n) {
        if (!n.block("vxlan", List.of("base-iface", "id", "learning", "local", "remote", "destination-port"), Map.of())) {
            return null;
        }
        Located idNode = n.field("id");
        Integer id = null;
        if (idNode == null) {
            n.missing("id", "a VXLAN network identifier from 0 to 16777215");
        } else {
            id = idNode.intValue(0, 16_777_215);
        }
        Located base = n.field("base-iface");
        Located remote = n.field("remote");
        Located local = n.field("local");
        return new VxlanConfig(id, base == null ? null : base.interfaceName(), remote == null ? null : remote.ipAddress(null),
            local == null ? null : local.ipAddress(null), integer(n, "destination-port", 0, 65535), InterfaceParser.bool(n, "learning"));
    }

    /** Manages a veth: the name of its peer, which is not itself. */
    static String vethPeer(Located n, String name) {
        if (!n.block("veth", List.of("peer"), Map.of())) {
            return null;
        }
        Located peerNode = n.field("peer");
        if (peerNode == null) {
            n.missing("peer", "the name of the other end of the veth pair");
            return null;
        }
        String peer = peerNode.interfaceName();
        if (peer != null && peer.equals(name)) {
            peerNode.problem("a veth cannot be its own peer");
            return null;
        }
        return peer;
    }

    /** The one port list of {@code n}, under nmstate's name or one of its aliases; a second spelling is a problem. */
    private static Located portList(Located n, List<String> keys) {
        Located found = null;
        for (String key : keys) {
            Located list = n.field(key);
            if (list != null && found != null) {
                list.problem("the ports are given once, under " + keys.get(0) + " (" + String.join(" and ", keys.subList(1, keys.size()))
                    + (keys.size() > 2 ? " are its aliases)" : " is its alias)"));
            } else if (list != null) {
                found = list;
            }
        }
        return found;
    }

    /** The interface names a controller lists as ports, each checked as a name, once, and not the controller itself. */
    private static List<String> portNames(Located n, List<String> keys, String name, List<InterfaceParser.PortRef> ports) {
        Located list = portList(n, keys);
        List<Located> entries = list == null ? null : list.list();
        if (entries == null) {
            return null;
        }
        List<String> names = new ArrayList<>();
        for (Located entry : entries) {
            String port = entry.interfaceName();
            if (port == null) {
                continue;
            }
            if (port.equals(name)) {
                entry.problem("an interface cannot be its own port");
            } else if (names.contains(port)) {
                entry.problem("each port may be listed once");
            } else {
                names.add(port);
                ports.add(new InterfaceParser.PortRef(port, entry));
            }
        }
        return names;
    }

    private static Integer integer(Located n, String key, int min, int max) {
        Located field = n.field(key);
        return field == null ? null : field.intValue(min, max);
    }

    private static Map<String, String> refused(String... keys) {
        Map<String, String> refused = new LinkedHashMap<>();
        for (String key : keys) {
            refused.put(key, key + NOT_APPLIED);
        }
        return refused;
    }
}
