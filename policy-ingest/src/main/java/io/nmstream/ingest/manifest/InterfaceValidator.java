package io.nmstream.ingest.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Validates one entry of {@code desiredState.interfaces} against nmstate's schema: name, type and state, MTU, IP
 * configuration, and the block of its type (VLAN, bond, bridges, VRF, VXLAN, MAC-VLAN, veth, InfiniBand), plus the
 * RoCE-related blocks platform teams add to NICs ({@code ethernet.sr-iov}, {@code lldp}, {@code ieee-8021Qaz}).
 *
 * <p>Checks that need the whole document (duplicate names, ports shared by two controllers) are
 * {@link DesiredStateValidator}'s; this class reports the names an interface refers to through {@link Interface}.
 */
final class InterfaceValidator {

    static final List<String> TYPES = List.of("ethernet", "bond", "vlan", "linux-bridge", "dummy", "veth", "vrf", "vxlan", "mac-vlan",
        "mac-vtap", "ovs-bridge", "ovs-interface", "infiniband", "loopback", "team", "ipvlan", "macsec", "hsr", "ipsec", "xfrm",
        "unknown");
    static final List<String> STATES = List.of("up", "down", "absent", "ignore");
    static final List<String> BOND_MODES = List.of("balance-rr", "active-backup", "balance-xor", "broadcast", "802.3ad",
        "balance-tlb", "balance-alb");
    static final List<String> BOND_OPTIONS = List.of("ad_actor_sys_prio", "ad_actor_system", "ad_select", "ad_user_port_key",
        "all_slaves_active", "arp_all_targets", "arp_interval", "arp_ip_target", "arp_missed_max", "arp_validate", "balance_slb",
        "downdelay", "fail_over_mac", "lacp_active", "lacp_rate", "lp_interval", "miimon", "min_links", "ns_ip6_target", "num_grat_arp",
        "num_unsol_na", "packets_per_slave", "peer_notif_delay", "primary", "primary_reselect", "resend_igmp", "tlb_dynamic_lb",
        "updelay", "use_carrier", "xmit_hash_policy");
    static final List<String> XMIT_HASH_POLICIES = List.of("layer2", "layer3+4", "layer2+3", "encap2+3", "encap3+4", "vlan+srcmac");
    static final List<String> MAC_VLAN_MODES = List.of("vepa", "bridge", "private", "passthru", "source");
    static final int MIN_MTU = 68;
    static final int MAX_MTU = 65535;
    static final int MIN_IPV6_MTU = 1280;
    static final int MAX_VLAN_ID = 4094;

    /** What the document-wide checks need to know about one interface. */
    record Interface(int index, String name, String type, String state, List<Port> ports) {
        boolean absent() {
            return "absent".equals(state);
        }
    }

    /** A port an interface (bond, bridge, VRF) claims, with the path where it is named. */
    record Port(String name, String path) {
    }

    private final Checks checks;
    private final Problems problems;
    private final Ieee8021QazValidator dcb;

    InterfaceValidator(Checks checks) {
        this.checks = checks;
        this.problems = checks.problems();
        this.dcb = new Ieee8021QazValidator(checks);
    }

    /** Validates {@code node}; returns what document-wide checks need, or empty when the entry has no usable name. */
    Optional<Interface> validate(JsonNode node, String path, int index) {
        if (!checks.object(node, path)) {
            return Optional.empty();
        }
        JsonNode nameNode = node.path("name");
        Optional<String> name = Optional.empty();
        if (nameNode.isMissingNode()) {
            problems.missing(Problems.field(path, "name"), "every interface needs a name");
        } else {
            name = checks.interfaceName(nameNode, Problems.field(path, "name"));
        }
        String type = node.has("type") ? checks.oneOf(node.get("type"), Problems.field(path, "type"), TYPES).orElse(null) : null;
        String state = node.has("state") ? checks.oneOf(node.get("state"), Problems.field(path, "state"), STATES).orElse(null) : "up";
        if (node.has("description") && !node.get("description").isTextual()) {
            problems.add(Problems.field(path, "description"), node.get("description"), "must be text");
        }
        List<Port> ports = List.of();
        if (!"absent".equals(state) && !"ignore".equals(state)) {
            validateIp(node, path);
            validateMtu(node, path);
            validateMacAddress(node, path);
            if (node.has("lldp") && checks.object(node.get("lldp"), Problems.field(path, "lldp"))) {
                checks.knownFields(node.get("lldp"), Problems.field(path, "lldp"), List.of("enabled", "neighbors"), "lldp");
                if (node.get("lldp").has("enabled")) {
                    checks.bool(node.get("lldp").get("enabled"), Problems.field(path, "lldp.enabled"));
                }
            }
            if (node.has("ethernet")) {
                validateEthernet(node.get("ethernet"), Problems.field(path, "ethernet"));
            }
            if (node.has("ieee-8021Qaz")) {
                dcb.validate(node.get("ieee-8021Qaz"), Problems.field(path, "ieee-8021Qaz"));
            }
            ports = validateTypeBlock(node, path, type, name.orElse(null));
        }
        List<Port> claimed = List.copyOf(ports);
        return name.map(n -> new Interface(index, n, type, state, claimed));
    }

    private List<Port> validateTypeBlock(JsonNode node, String path, String type, String name) {
        if (type == null) {
            return List.of();
        }
        return switch (type) {
            case "vlan" -> {
                validateVlan(node, path, name);
                yield List.of();
            }
            case "bond" -> validateBond(node, path, name);
            case "linux-bridge" -> validateBridge(node, path, name, true);
            case "ovs-bridge" -> validateBridge(node, path, name, false);
            case "vrf" -> validateVrf(node, path, name);
            case "vxlan" -> {
                validateVxlan(node, path);
                yield List.of();
            }
            case "mac-vlan", "mac-vtap" -> {
                validateMacVlan(node, path, type);
                yield List.of();
            }
            case "veth" -> {
                validateVeth(node, path, name);
                yield List.of();
            }
            case "infiniband" -> {
                validateInfiniband(node, path);
                yield List.of();
            }
            default -> List.of();
        };
    }

    /** Manages IPv4 and IPv6: enabled/dhcp/autoconf flags and static addresses of the right family and prefix length. */
    private void validateIp(JsonNode node, String path) {
        for (IpAddresses.Family family : IpAddresses.Family.values()) {
            String key = family == IpAddresses.Family.IPV4 ? "ipv4" : "ipv6";
            if (!node.has(key)) {
                continue;
            }
            String ipPath = Problems.field(path, key);
            JsonNode ip = node.get(key);
            if (!checks.object(ip, ipPath)) {
                continue;
            }
            for (String flag : List.of("enabled", "dhcp", "autoconf", "forwarding", "auto-dns", "auto-gateway", "auto-routes")) {
                if (ip.has(flag)) {
                    checks.bool(ip.get(flag), Problems.field(ipPath, flag));
                }
            }
            if (family == IpAddresses.Family.IPV4 && ip.has("autoconf")) {
                problems.add(Problems.field(ipPath, "autoconf"), ip.get("autoconf"), "autoconf is IPv6 only; IPv4 uses dhcp");
            }
            if (!ip.has("address")) {
                continue;
            }
            String addressesPath = Problems.field(ipPath, "address");
            if (!checks.list(ip.get("address"), addressesPath)) {
                continue;
            }
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < ip.get("address").size(); i++) {
                validateAddress(ip.get("address").get(i), Problems.index(addressesPath, i), family, seen);
            }
        }
    }

    private void validateAddress(JsonNode entry, String path, IpAddresses.Family family, Set<String> seen) {
        if (!checks.object(entry, path)) {
            return;
        }
        checks.knownFields(entry, path, List.of("ip", "prefix-length", "valid-life-time", "preferred-life-time", "mptcp-flags"),
            "an address");
        JsonNode ip = entry.path("ip");
        if (ip.isMissingNode()) {
            problems.missing(Problems.field(path, "ip"), "an " + familyName(family) + " address");
        } else if (!checks.isTemplate(ip, Problems.field(path, "ip"))) {
            Optional<IpAddresses.Address> address = ip.isTextual() ? IpAddresses.parse(ip.asText()) : Optional.empty();
            if (address.isEmpty() || address.get().family() != family) {
                problems.add(Problems.field(path, "ip"), ip, "must be an " + familyName(family) + " address");
            } else if (!seen.add(address.get().canonical())) {
                problems.add(Problems.field(path, "ip"), ip, "each address may be listed once per interface");
            }
        }
        JsonNode prefix = entry.path("prefix-length");
        if (prefix.isMissingNode()) {
            problems.missing(Problems.field(path, "prefix-length"), "a prefix length from 0 to " + family.maxPrefix());
        } else {
            checks.integer(prefix, Problems.field(path, "prefix-length"), 0, family.maxPrefix());
        }
    }

    private static String familyName(IpAddresses.Family family) {
        return family == IpAddresses.Family.IPV4 ? "IPv4" : "IPv6";
    }

    /** Manages the MTU range, and the 1280 minimum the kernel enforces while IPv6 is enabled. */
    private void validateMtu(JsonNode node, String path) {
        if (!node.has("mtu")) {
            return;
        }
        Optional<Long> mtu = checks.integer(node.get("mtu"), Problems.field(path, "mtu"), MIN_MTU, MAX_MTU);
        boolean ipv6Enabled = node.path("ipv6").path("enabled").asBoolean(false);
        if (mtu.isPresent() && ipv6Enabled && mtu.get() < MIN_IPV6_MTU) {
            problems.add(Problems.field(path, "mtu"), node.get("mtu"), "must be at least " + MIN_IPV6_MTU
                + " while ipv6.enabled is true (IPv6 requires it)");
        }
    }

    private void validateMacAddress(JsonNode node, String path) {
        if (node.has("mac-address") && !checks.isTemplate(node.get("mac-address"), Problems.field(path, "mac-address"))) {
            JsonNode mac = node.get("mac-address");
            if (!mac.isTextual() || !mac.asText().matches("[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}|[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){19}")) {
                problems.add(Problems.field(path, "mac-address"), mac, "must be a MAC address such as 52:54:00:12:34:56");
            }
        }
    }

    /** Manages the ethernet block: speed, duplex, auto-negotiation and SR-IOV virtual functions. */
    private void validateEthernet(JsonNode ethernet, String path) {
        if (!checks.object(ethernet, path)) {
            return;
        }
        checks.knownFields(ethernet, path, List.of("auto-negotiation", "speed", "duplex", "sr-iov"), "ethernet");
        if (ethernet.has("auto-negotiation")) {
            checks.bool(ethernet.get("auto-negotiation"), Problems.field(path, "auto-negotiation"));
        }
        if (ethernet.has("speed")) {
            checks.integer(ethernet.get("speed"), Problems.field(path, "speed"), 1, Integer.MAX_VALUE);
        }
        if (ethernet.has("duplex")) {
            checks.oneOf(ethernet.get("duplex"), Problems.field(path, "duplex"), List.of("full", "half"));
        }
        if (!ethernet.has("sr-iov")) {
            return;
        }
        String sriovPath = Problems.field(path, "sr-iov");
        JsonNode sriov = ethernet.get("sr-iov");
        if (!checks.object(sriov, sriovPath)) {
            return;
        }
        checks.knownFields(sriov, sriovPath, List.of("total-vfs", "vfs", "drivers-autoprobe"), "sr-iov");
        Optional<Long> total = sriov.has("total-vfs")
            ? checks.integer(sriov.get("total-vfs"), Problems.field(sriovPath, "total-vfs"), 0, 65535) : Optional.empty();
        if (sriov.has("vfs") && checks.list(sriov.get("vfs"), Problems.field(sriovPath, "vfs"))) {
            for (int i = 0; i < sriov.get("vfs").size(); i++) {
                String vfPath = Problems.index(Problems.field(sriovPath, "vfs"), i);
                JsonNode vf = sriov.get("vfs").get(i);
                if (!checks.object(vf, vfPath)) {
                    continue;
                }
                if (!vf.has("id")) {
                    problems.missing(Problems.field(vfPath, "id"), "the index of the virtual function");
                    continue;
                }
                long maxId = total.map(t -> t - 1).orElse(65534L);
                if (maxId < 0) {
                    problems.add(Problems.field(vfPath, "id"), vf.get("id"), "no virtual function exists while total-vfs is 0");
                } else {
                    checks.integer(vf.get("id"), Problems.field(vfPath, "id"), 0, maxId);
                }
            }
        }
    }

    /** Manages a VLAN: an id from 0 to 4094 and a base interface other than itself. */
    private void validateVlan(JsonNode node, String path, String name) {
        String vlanPath = Problems.field(path, "vlan");
        if (!node.has("vlan")) {
            problems.missing(vlanPath, "a vlan interface needs vlan.base-iface and vlan.id");
            return;
        }
        JsonNode vlan = node.get("vlan");
        if (!checks.object(vlan, vlanPath)) {
            return;
        }
        checks.knownFields(vlan, vlanPath, List.of("base-iface", "id", "protocol", "registration-protocol", "reorder-headers",
            "loose-binding"), "vlan");
        if (!vlan.has("id")) {
            problems.missing(Problems.field(vlanPath, "id"), "a VLAN id from 0 to " + MAX_VLAN_ID);
        } else {
            checks.integer(vlan.get("id"), Problems.field(vlanPath, "id"), 0, MAX_VLAN_ID);
        }
        requireBaseInterface(vlan, vlanPath, name);
        if (vlan.has("protocol")) {
            checks.oneOf(vlan.get("protocol"), Problems.field(vlanPath, "protocol"), List.of("802.1q", "802.1ad"));
        }
    }

    private void requireBaseInterface(JsonNode block, String blockPath, String name) {
        String basePath = Problems.field(blockPath, "base-iface");
        if (!block.has("base-iface")) {
            problems.missing(basePath, "the name of the interface this one is stacked on");
            return;
        }
        Optional<String> base = checks.interfaceName(block.get("base-iface"), basePath);
        if (base.isPresent() && base.get().equals(name)) {
            problems.add(basePath, block.get("base-iface"), "an interface cannot be stacked on itself");
        }
    }

    /** Manages a bond: mode, known options with sane values, and ports. */
    private List<Port> validateBond(JsonNode node, String path, String name) {
        String bondPath = Problems.field(path, "link-aggregation");
        if (!node.has("link-aggregation")) {
            return List.of();
        }
        JsonNode bond = node.get("link-aggregation");
        if (!checks.object(bond, bondPath)) {
            return List.of();
        }
        checks.knownFields(bond, bondPath, List.of("mode", "options", "port", "ports", "slaves", "ports-config"), "link-aggregation");
        String mode = null;
        if (!bond.has("mode")) {
            problems.missing(Problems.field(bondPath, "mode"), "one of " + String.join(", ", BOND_MODES));
        } else {
            mode = checks.oneOf(bond.get("mode"), Problems.field(bondPath, "mode"), BOND_MODES).orElse(null);
        }
        if (bond.has("options") && checks.object(bond.get("options"), Problems.field(bondPath, "options"))) {
            validateBondOptions(bond.get("options"), Problems.field(bondPath, "options"), mode);
        }
        return portNames(bond, bondPath, name, List.of("port", "ports", "slaves"));
    }

    private void validateBondOptions(JsonNode options, String path, String mode) {
        checks.knownFields(options, path, BOND_OPTIONS, "bond options");
        for (String counter : List.of("miimon", "updelay", "downdelay", "arp_interval", "min_links", "resend_igmp", "num_grat_arp",
            "num_unsol_na", "packets_per_slave", "lp_interval", "peer_notif_delay", "ad_actor_sys_prio", "ad_user_port_key")) {
            if (options.has(counter)) {
                checks.integer(options.get(counter), Problems.field(path, counter), 0, Integer.MAX_VALUE);
            }
        }
        if (options.has("xmit_hash_policy")) {
            checks.oneOf(options.get("xmit_hash_policy"), Problems.field(path, "xmit_hash_policy"), XMIT_HASH_POLICIES);
        }
        if (options.has("lacp_rate")) {
            JsonNode rate = options.get("lacp_rate");
            String text = rate.asText();
            if (!List.of("slow", "fast", "0", "1").contains(text)) {
                problems.add(Problems.field(path, "lacp_rate"), rate, "must be one of slow, fast, 0, 1");
            } else if (mode != null && !mode.equals("802.3ad")) {
                problems.add(Problems.field(path, "lacp_rate"), rate, "is only valid with mode 802.3ad (mode is " + mode + ")");
            }
        }
        if (options.has("ad_select")) {
            checks.oneOf(options.get("ad_select"), Problems.field(path, "ad_select"),
                List.of("stable", "bandwidth", "count", "0", "1", "2"));
        }
        if (options.has("primary") && mode != null && !List.of("active-backup", "balance-tlb", "balance-alb").contains(mode)) {
            problems.add(Problems.field(path, "primary"), options.get("primary"),
                "is only valid with modes active-backup, balance-tlb and balance-alb (mode is " + mode + ")");
        }
    }

    /** Manages a Linux or OVS bridge: options, ports and (Linux) per-port VLAN filtering. */
    private List<Port> validateBridge(JsonNode node, String path, String name, boolean linux) {
        String bridgePath = Problems.field(path, "bridge");
        if (!node.has("bridge")) {
            return List.of();
        }
        JsonNode bridge = node.get("bridge");
        if (!checks.object(bridge, bridgePath)) {
            return List.of();
        }
        checks.knownFields(bridge, bridgePath, linux ? List.of("options", "port", "ports") : List.of("options", "port", "ports",
            "allow-extra-patch-ports"), linux ? "a linux-bridge" : "an ovs-bridge");
        if (bridge.has("options") && checks.object(bridge.get("options"), Problems.field(bridgePath, "options"))) {
            validateBridgeOptions(bridge.get("options"), Problems.field(bridgePath, "options"), linux);
        }
        String key = bridge.has("ports") ? "ports" : "port";
        if (!bridge.has(key)) {
            return List.of();
        }
        String portsPath = Problems.field(bridgePath, key);
        if (!checks.list(bridge.get(key), portsPath)) {
            return List.of();
        }
        List<Port> ports = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < bridge.get(key).size(); i++) {
            String portPath = Problems.index(portsPath, i);
            JsonNode port = bridge.get(key).get(i);
            if (!checks.object(port, portPath)) {
                continue;
            }
            if (!port.has("name")) {
                problems.missing(Problems.field(portPath, "name"), "the name of the port interface");
                continue;
            }
            Optional<String> portName = checks.interfaceName(port.get("name"), Problems.field(portPath, "name"));
            if (portName.isPresent()) {
                if (portName.get().equals(name)) {
                    problems.add(Problems.field(portPath, "name"), port.get("name"), "a bridge cannot be its own port");
                } else if (!seen.add(portName.get())) {
                    problems.add(Problems.field(portPath, "name"), port.get("name"), "each port may be listed once");
                } else {
                    ports.add(new Port(portName.get(), Problems.field(portPath, "name")));
                }
            }
            if (port.has("vlan")) {
                validatePortVlan(port.get("vlan"), Problems.field(portPath, "vlan"));
            }
        }
        return ports;
    }

    private void validateBridgeOptions(JsonNode options, String path, boolean linux) {
        if (!options.has("stp")) {
            return;
        }
        JsonNode stp = options.get("stp");
        String stpPath = Problems.field(path, "stp");
        if (!linux && stp.isBoolean()) {
            return;
        }
        if (!checks.object(stp, stpPath)) {
            return;
        }
        if (stp.has("enabled")) {
            checks.bool(stp.get("enabled"), Problems.field(stpPath, "enabled"));
        }
        if (linux) {
            // the kernel's limits, in seconds, for 802.1D timers
            if (stp.has("forward-delay")) {
                checks.integer(stp.get("forward-delay"), Problems.field(stpPath, "forward-delay"), 2, 30);
            }
            if (stp.has("hello-time")) {
                checks.integer(stp.get("hello-time"), Problems.field(stpPath, "hello-time"), 1, 10);
            }
            if (stp.has("max-age")) {
                checks.integer(stp.get("max-age"), Problems.field(stpPath, "max-age"), 6, 40);
            }
            if (stp.has("priority")) {
                checks.integer(stp.get("priority"), Problems.field(stpPath, "priority"), 0, 65535);
            }
        }
    }

    /** Manages a bridge port's VLAN filtering: access with a tag, or trunk with tags and ranges within 1–4094. */
    private void validatePortVlan(JsonNode vlan, String path) {
        if (!checks.object(vlan, path)) {
            return;
        }
        checks.knownFields(vlan, path, List.of("mode", "tag", "enable-native", "trunk-tags"), "a port vlan");
        String mode = vlan.has("mode") ? checks.oneOf(vlan.get("mode"), Problems.field(path, "mode"), List.of("trunk", "access"))
            .orElse(null) : null;
        if (vlan.has("tag")) {
            checks.integer(vlan.get("tag"), Problems.field(path, "tag"), 1, MAX_VLAN_ID);
        }
        if (vlan.has("enable-native")) {
            checks.bool(vlan.get("enable-native"), Problems.field(path, "enable-native"));
        }
        if ("access".equals(mode) && vlan.has("trunk-tags") && vlan.get("trunk-tags").size() > 0) {
            problems.add(Problems.field(path, "trunk-tags"), vlan.get("trunk-tags"), "an access port carries no trunk tags");
        }
        if ("trunk".equals(mode) && !vlan.has("trunk-tags")) {
            problems.missing(Problems.field(path, "trunk-tags"), "a trunk port needs trunk-tags");
        }
        if (!vlan.has("trunk-tags") || !checks.list(vlan.get("trunk-tags"), Problems.field(path, "trunk-tags"))) {
            return;
        }
        for (int i = 0; i < vlan.get("trunk-tags").size(); i++) {
            String tagPath = Problems.index(Problems.field(path, "trunk-tags"), i);
            JsonNode tag = vlan.get("trunk-tags").get(i);
            if (!checks.object(tag, tagPath)) {
                continue;
            }
            if (tag.has("id") == tag.has("id-range")) {
                problems.add(tagPath, tag, "must have exactly one of id or id-range");
            } else if (tag.has("id")) {
                checks.integer(tag.get("id"), Problems.field(tagPath, "id"), 1, MAX_VLAN_ID);
            } else if (checks.object(tag.get("id-range"), Problems.field(tagPath, "id-range"))) {
                String rangePath = Problems.field(tagPath, "id-range");
                JsonNode range = tag.get("id-range");
                Optional<Long> min = range.has("min") ? checks.integer(range.get("min"), Problems.field(rangePath, "min"), 1, MAX_VLAN_ID)
                    : missing(Problems.field(rangePath, "min"));
                Optional<Long> max = range.has("max") ? checks.integer(range.get("max"), Problems.field(rangePath, "max"), 1, MAX_VLAN_ID)
                    : missing(Problems.field(rangePath, "max"));
                if (min.isPresent() && max.isPresent() && min.get() > max.get()) {
                    problems.add(Problems.field(rangePath, "min"), range.get("min"), "must not be greater than max (" + max.get() + ")");
                }
            }
        }
    }

    private Optional<Long> missing(String path) {
        problems.missing(path, "a VLAN id from 1 to " + MAX_VLAN_ID);
        return Optional.empty();
    }

    /** Manages a VRF: its routing table (not 0, and not the kernel's local table 255) and ports. */
    private List<Port> validateVrf(JsonNode node, String path, String name) {
        String vrfPath = Problems.field(path, "vrf");
        if (!node.has("vrf")) {
            problems.missing(vrfPath, "a vrf interface needs vrf.route-table-id");
            return List.of();
        }
        JsonNode vrf = node.get("vrf");
        if (!checks.object(vrf, vrfPath)) {
            return List.of();
        }
        checks.knownFields(vrf, vrfPath, List.of("port", "ports", "route-table-id"), "vrf");
        if (!vrf.has("route-table-id")) {
            problems.missing(Problems.field(vrfPath, "route-table-id"), "a routing table id from 1 to 4294967295");
        } else {
            checks.integer(vrf.get("route-table-id"), Problems.field(vrfPath, "route-table-id"), 1, 4294967295L).ifPresent(id -> {
                if (id == 255) {
                    problems.add(Problems.field(vrfPath, "route-table-id"), vrf.get("route-table-id"),
                        "table 255 is the kernel's local table");
                }
            });
        }
        return portNames(vrf, vrfPath, name, List.of("port", "ports"));
    }

    private void validateVxlan(JsonNode node, String path) {
        String vxlanPath = Problems.field(path, "vxlan");
        if (!node.has("vxlan")) {
            problems.missing(vxlanPath, "a vxlan interface needs vxlan.id");
            return;
        }
        JsonNode vxlan = node.get("vxlan");
        if (!checks.object(vxlan, vxlanPath)) {
            return;
        }
        if (!vxlan.has("id")) {
            problems.missing(Problems.field(vxlanPath, "id"), "a VXLAN network identifier from 0 to 16777215");
        } else {
            checks.integer(vxlan.get("id"), Problems.field(vxlanPath, "id"), 0, 16_777_215);
        }
        if (vxlan.has("destination-port")) {
            checks.integer(vxlan.get("destination-port"), Problems.field(vxlanPath, "destination-port"), 0, 65535);
        }
        for (String key : List.of("remote", "local")) {
            if (vxlan.has(key) && !checks.isTemplate(vxlan.get(key), Problems.field(vxlanPath, key))
                && IpAddresses.parse(vxlan.get(key).asText()).isEmpty()) {
                problems.add(Problems.field(vxlanPath, key), vxlan.get(key), "must be an IPv4 or IPv6 address");
            }
        }
        if (vxlan.has("base-iface")) {
            checks.interfaceName(vxlan.get("base-iface"), Problems.field(vxlanPath, "base-iface"));
        }
    }

    private void validateMacVlan(JsonNode node, String path, String type) {
        String blockPath = Problems.field(path, type);
        if (!node.has(type)) {
            problems.missing(blockPath, "a " + type + " interface needs " + type + ".base-iface and " + type + ".mode");
            return;
        }
        JsonNode block = node.get(type);
        if (!checks.object(block, blockPath)) {
            return;
        }
        requireBaseInterface(block, blockPath, node.path("name").asText());
        if (!block.has("mode")) {
            problems.missing(Problems.field(blockPath, "mode"), "one of " + String.join(", ", MAC_VLAN_MODES));
        } else {
            checks.oneOf(block.get("mode"), Problems.field(blockPath, "mode"), MAC_VLAN_MODES);
        }
    }

    private void validateVeth(JsonNode node, String path, String name) {
        if (!node.has("veth")) {
            return;
        }
        String vethPath = Problems.field(path, "veth");
        JsonNode veth = node.get("veth");
        if (!checks.object(veth, vethPath)) {
            return;
        }
        if (!veth.has("peer")) {
            problems.missing(Problems.field(vethPath, "peer"), "the name of the other end of the veth pair");
            return;
        }
        checks.interfaceName(veth.get("peer"), Problems.field(vethPath, "peer")).filter(p -> p.equals(name)).ifPresent(p ->
            problems.add(Problems.field(vethPath, "peer"), veth.get("peer"), "a veth cannot be its own peer"));
    }

    private void validateInfiniband(JsonNode node, String path) {
        if (!node.has("infiniband")) {
            return;
        }
        String ibPath = Problems.field(path, "infiniband");
        JsonNode ib = node.get("infiniband");
        if (!checks.object(ib, ibPath)) {
            return;
        }
        if (ib.has("mode")) {
            checks.oneOf(ib.get("mode"), Problems.field(ibPath, "mode"), List.of("datagram", "connected"));
        }
        if (ib.has("pkey")) {
            JsonNode pkey = ib.get("pkey");
            String text = pkey.asText();
            boolean ok = pkey.isIntegralNumber() ? pkey.asLong() >= 0 && pkey.asLong() <= 0xffff
                : text.matches("0x[0-9a-fA-F]{1,4}");
            if (!ok) {
                problems.add(Problems.field(ibPath, "pkey"), pkey, "must be a partition key from 0x0000 to 0xffff");
            }
        }
        if (ib.has("base-iface")) {
            checks.interfaceName(ib.get("base-iface"), Problems.field(ibPath, "base-iface"));
        }
    }

    /** The names a controller lists as ports under one of {@code keys}, each checked as an interface name. */
    private List<Port> portNames(JsonNode block, String blockPath, String name, List<String> keys) {
        List<Port> ports = new ArrayList<>();
        for (String key : keys) {
            if (!block.has(key)) {
                continue;
            }
            String portsPath = Problems.field(blockPath, key);
            if (!checks.list(block.get(key), portsPath)) {
                continue;
            }
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < block.get(key).size(); i++) {
                String portPath = Problems.index(portsPath, i);
                Optional<String> port = checks.interfaceName(block.get(key).get(i), portPath);
                if (port.isEmpty()) {
                    continue;
                }
                if (port.get().equals(name)) {
                    problems.add(portPath, block.get(key).get(i), "an interface cannot be its own port");
                } else if (!seen.add(port.get())) {
                    problems.add(portPath, block.get(key).get(i), "each port may be listed once");
                } else {
                    ports.add(new Port(port.get(), portPath));
                }
            }
        }
        return ports;
    }
}
