package io.nmstream.nmstate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.util.List;
import java.util.TreeMap;

/** Writes a {@link NetworkState} as nmstate writes its documents: nmstate's field names, in nmstate's order. */
public final class NmstateWriter {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
        .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private NmstateWriter() {
    }

    /** The document as nmstate's JSON, keys sorted: the canonical text digests are computed over. */
    public static String toJson(NetworkState state) {
        try {
            return JSON.writeValueAsString(JSON.treeToValue(toTree(state), Object.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree always serializes", e);
        }
    }

    /** The document as nmstate's YAML, fields in nmstate's order. */
    public static String toYaml(NetworkState state) {
        try {
            return YAML.writeValueAsString(toTree(state));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree always serializes", e);
        }
    }

    /** One interface as nmstate YAML, on its own (for diffs). */
    public static String interfaceYaml(InterfaceSpec i) {
        try {
            return YAML.writeValueAsString(interfaceTree(i));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree always serializes", e);
        }
    }

    /** A tree as YAML, written as this class writes documents: part of a document (for diffs), or a whole one or a manifest. */
    public static String yaml(JsonNode node) {
        try {
            return YAML.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree always serializes", e);
        }
    }

    /**
     * The document as a tree in nmstate's field names and in nmstate 2.2's order (the order of its serde structs, which
     * {@code nmstatectl show} prints): for embedding in an NNCP manifest and for {@code nmstream node show}.
     */
    public static ObjectNode toTree(NetworkState state) {
        ObjectNode root = JSON.createObjectNode();
        if (state.dns() != null || state.runningDns() != null) {
            // as nmstatectl show prints it: what the host resolves with, then what its profiles configure
            ObjectNode resolver = root.putObject("dns-resolver");
            putResolver(resolver, "running", state.runningDns());
            putResolver(resolver, "config", state.dns());
        }
        if (!state.routeRules().isEmpty()) {
            ArrayNode rules = root.putObject("route-rules").putArray("config");
            state.routeRules().forEach(r -> rules.add(ruleTree(r)));
        }
        if (!state.routes().isEmpty() || !state.runningRoutes().isEmpty()) {
            ObjectNode routes = root.putObject("routes");
            if (!state.runningRoutes().isEmpty()) {
                ArrayNode running = routes.putArray("running");
                state.runningRoutes().forEach(r -> running.add(routeTree(r)));
            }
            ArrayNode config = routes.putArray("config");
            state.routes().forEach(r -> config.add(routeTree(r)));
        }
        ArrayNode interfaces = root.putArray("interfaces");
        state.interfaces().forEach(i -> interfaces.add(interfaceTree(i)));
        return root;
    }

    private static ObjectNode routeTree(Route r) {
        ObjectNode n = JSON.createObjectNode();
        if (r.absent()) {
            n.put("state", "absent");
        }
        putIf(n, "destination", r.destination());
        putIf(n, "next-hop-interface", r.nextHopInterface());
        putIf(n, "next-hop-address", r.nextHopAddress());
        putIf(n, "metric", r.metric());
        putIf(n, "table-id", r.tableId());
        return n;
    }

    private static ObjectNode interfaceTree(InterfaceSpec i) {
        ObjectNode n = JSON.createObjectNode();
        n.put("name", i.name());
        putIf(n, "description", i.description());
        if (i.type() != null) {
            n.put("type", i.type().nmstateName());
        }
        if (i.state() != null) {
            n.put("state", i.state().nmstateName());
        }
        putIf(n, "mac-address", i.macAddress());
        putIf(n, "copy-mac-from", i.copyMacFrom());
        if (i.acceptAllMacAddresses() != null) {
            n.put("accept-all-mac-addresses", i.acceptAllMacAddresses());
        }
        putIf(n, "mtu", i.mtu());
        if (i.ipv4() != null) {
            n.set("ipv4", ipTree(i.ipv4(), false));
        }
        if (i.ipv6() != null) {
            n.set("ipv6", ipTree(i.ipv6(), true));
        }
        if (i.waitIp() != null) {
            n.put("wait-ip", i.waitIp().nmstateName());
        }
        if (i.mptcpAddressFlags() != null) {
            ArrayNode flags = n.putObject("mptcp").putArray("address-flags");
            i.mptcpAddressFlags().forEach(flag -> flags.add(flag.nmstateName()));
        }
        putIf(n, "controller", i.controller());
        if (i.lldp() != null) {
            n.putObject("lldp").put("enabled", i.lldp());
        }
        if (i.dcb() != null) {
            n.set("ieee-8021Qaz", dcbTree(i.dcb()));
        }
        if (i.ethernet() != null) {
            n.set("ethernet", ethernetTree(i.ethernet()));
        }
        if (i.bond() != null) {
            n.set("link-aggregation", bondTree(i.bond()));
        }
        if (i.vlan() != null) {
            ObjectNode v = n.putObject("vlan");
            putIf(v, "base-iface", i.vlan().baseIface());
            putIf(v, "id", i.vlan().id());
            putIf(v, "protocol", i.vlan().protocol());
            putIf(v, "registration-protocol", i.vlan().registrationProtocol());
            putIf(v, "reorder-headers", i.vlan().reorderHeaders());
            putIf(v, "loose-binding", i.vlan().looseBinding());
        }
        if (i.bridge() != null) {
            n.set("bridge", bridgeTree(i.bridge(), i.type() == InterfaceType.OVS_BRIDGE));
        }
        if (i.vrf() != null) {
            ObjectNode v = n.putObject("vrf");
            putStrings(v, "port", i.vrf().ports());
            putIf(v, "route-table-id", i.vrf().routeTableId());
        }
        if (i.macVlan() != null) {
            ObjectNode m = n.putObject("mac-vlan");
            putIf(m, "base-iface", i.macVlan().baseIface());
            putIf(m, "mode", i.macVlan().mode());
            putIf(m, "promiscuous", i.macVlan().promiscuous());
        }
        if (i.vxlan() != null) {
            ObjectNode v = n.putObject("vxlan");
            putIf(v, "base-iface", i.vxlan().baseIface());
            putIf(v, "id", i.vxlan().id());
            putIf(v, "learning", i.vxlan().learning());
            putIf(v, "local", i.vxlan().local());
            putIf(v, "remote", i.vxlan().remote());
            putIf(v, "destination-port", i.vxlan().destinationPort());
        }
        if (i.vethPeer() != null) {
            n.putObject("veth").put("peer", i.vethPeer());
        }
        return n;
    }

    private static void putResolver(ObjectNode resolver, String block, DnsConfig dns) {
        if (dns != null) {
            ObjectNode n = resolver.putObject(block);
            putStrings(n, "server", dns.servers());
            putStrings(n, "search", dns.searches());
            putStrings(n, "options", dns.options());
        }
    }

    /** A route rule in nmstate's order, marks in hexadecimal as nmstate writes them. */
    private static ObjectNode ruleTree(RouteRule r) {
        ObjectNode n = JSON.createObjectNode();
        putIf(n, "family", r.family());
        if (r.absent()) {
            n.put("state", "absent");
        }
        putIf(n, "ip-from", r.ipFrom());
        putIf(n, "ip-to", r.ipTo());
        putIf(n, "priority", r.priority());
        putIf(n, "route-table", r.routeTable());
        putIf(n, "fwmark", r.fwmark() == null ? null : "0x" + Long.toHexString(r.fwmark()));
        putIf(n, "fwmask", r.fwmask() == null ? null : "0x" + Long.toHexString(r.fwmask()));
        putIf(n, "action", r.action());
        putIf(n, "iif", r.iif());
        putIf(n, "suppress-prefix-length", r.suppressPrefixLength());
        return n;
    }

    private static ObjectNode ipTree(IpConfig ip, boolean ipv6) {
        ObjectNode n = JSON.createObjectNode();
        putIf(n, "enabled", ip.enabled());
        putIf(n, "dhcp", ip.dhcp());
        if (ipv6) {
            putIf(n, "autoconf", ip.autoconf());
        }
        if (ip.addresses() != null) {
            ArrayNode a = n.putArray("address");
            ip.addresses().forEach(addr -> a.addObject().put("ip", addr.ip()).put("prefix-length", addr.prefixLength()));
        }
        putIf(n, "auto-dns", ip.autoDns());
        putIf(n, "auto-gateway", ip.autoGateway());
        putIf(n, "auto-routes", ip.autoRoutes());
        putIf(n, "auto-route-table-id", ip.autoRouteTableId());
        putIf(n, "auto-route-metric", ip.autoRouteMetric());
        putIf(n, "dhcp-client-id", ip.dhcpClientId());
        putIf(n, "dhcp-duid", ip.dhcpDuid());
        putIf(n, "addr-gen-mode", ip.addrGenMode());
        putIf(n, "dhcp-send-hostname", ip.dhcpSendHostname());
        putIf(n, "dhcp-custom-hostname", ip.dhcpCustomHostname());
        putIf(n, "allow-extra-address", ip.allowExtraAddress());
        putIf(n, "token", ip.token());
        return n;
    }

    private static ObjectNode dcbTree(Ieee8021QazConfig dcb) {
        ObjectNode n = JSON.createObjectNode();
        if (dcb.pfcEnabled() != null || dcb.pfcDelay() != null) {
            ObjectNode pfc = n.putObject("pfc");
            if (dcb.pfcEnabled() != null) {
                dcb.pfcEnabled().forEach(pfc.putArray("enabled")::add);
            }
            putIf(pfc, "delay", dcb.pfcDelay());
        }
        if (dcb.trafficClasses() != null) {
            ArrayNode classes = n.putObject("ets").putArray("traffic-class");
            dcb.trafficClasses().forEach(tc -> classes.addObject().put("traffic-class", tc.trafficClass())
                .put("bandwidth", tc.bandwidth()).put("algorithm", tc.algorithm()));
        }
        return n;
    }

    private static ObjectNode ethernetTree(EthernetConfig ethernet) {
        ObjectNode n = JSON.createObjectNode();
        if (ethernet.sriov() != null) {
            ObjectNode sriov = n.putObject("sr-iov");
            putIf(sriov, "drivers-autoprobe", ethernet.sriov().driversAutoprobe());
            putIf(sriov, "total-vfs", ethernet.sriov().totalVfs());
            if (ethernet.sriov().vfs() != null) {
                ArrayNode vfs = sriov.putArray("vfs");
                for (EthernetConfig.Vf vf : ethernet.sriov().vfs()) {
                    ObjectNode v = vfs.addObject().put("id", vf.id());
                    putIf(v, "mac-address", vf.macAddress());
                    putIf(v, "spoof-check", vf.spoofCheck());
                    putIf(v, "trust", vf.trust());
                    putIf(v, "min-tx-rate", vf.minTxRate());
                    putIf(v, "max-tx-rate", vf.maxTxRate());
                    putIf(v, "vlan-id", vf.vlanId());
                    putIf(v, "qos", vf.qos());
                }
            }
        }
        putIf(n, "auto-negotiation", ethernet.autoNegotiation());
        putIf(n, "speed", ethernet.speed());
        putIf(n, "duplex", ethernet.duplex());
        return n;
    }

    private static ObjectNode bondTree(BondConfig bond) {
        ObjectNode n = JSON.createObjectNode();
        putIf(n, "mode", bond.mode());
        if (bond.options() != null) {
            ObjectNode o = n.putObject("options");
            // nmstate's bond options are declared, and printed, in alphabetical order; counts are numbers
            new TreeMap<>(bond.options()).forEach((key, value) -> {
                if (TypeBlockParser.BOND_COUNTERS.contains(key) && value.matches("\\d{1,10}")) {
                    o.put(key, Long.parseLong(value));
                } else {
                    o.put(key, value);
                }
            });
        }
        putStrings(n, "port", bond.ports());
        return n;
    }

    private static ObjectNode bridgeTree(BridgeConfig bridge, boolean ovs) {
        ObjectNode n = JSON.createObjectNode();
        BridgeConfig.Options options = bridge.options();
        if (options != null) {
            ObjectNode o = n.putObject("options");
            if (ovs) {
                putIf(o, "stp", options.stpEnabled());
                putIf(o, "mcast-snooping-enable", options.multicastSnooping());
            } else {
                putIf(o, "mac-ageing-time", options.macAgeingTime());
                putIf(o, "multicast-snooping", options.multicastSnooping());
                options.more().forEach((option, value) -> {
                    if (value instanceof Long number) {
                        o.put(option.nmstateName(), number);
                    } else if (value instanceof Boolean flag) {
                        o.put(option.nmstateName(), flag);
                    } else {
                        o.put(option.nmstateName(), String.valueOf(value));
                    }
                });
                if (options.stpEnabled() != null || options.stpForwardDelay() != null || options.stpHelloTime() != null
                    || options.stpMaxAge() != null || options.stpPriority() != null) {
                    ObjectNode stp = o.putObject("stp");
                    putIf(stp, "enabled", options.stpEnabled());
                    putIf(stp, "forward-delay", options.stpForwardDelay());
                    putIf(stp, "hello-time", options.stpHelloTime());
                    putIf(stp, "max-age", options.stpMaxAge());
                    putIf(stp, "priority", options.stpPriority());
                }
            }
        }
        if (bridge.ports() != null) {
            ArrayNode ports = n.putArray("port");
            for (BridgeConfig.Port port : bridge.ports()) {
                ObjectNode p = ports.addObject().put("name", port.name());
                if (port.vlan() != null) {
                    p.set("vlan", portVlanTree(port.vlan()));
                }
            }
        }
        return n;
    }

    private static ObjectNode portVlanTree(BridgeConfig.PortVlan vlan) {
        ObjectNode n = JSON.createObjectNode();
        putIf(n, "enable-native", vlan.enableNative());
        putIf(n, "mode", vlan.mode());
        putIf(n, "tag", vlan.tag());
        if (vlan.trunkTags() != null) {
            ArrayNode tags = n.putArray("trunk-tags");
            for (BridgeConfig.TrunkTag tag : vlan.trunkTags()) {
                if (tag.id() != null) {
                    tags.addObject().put("id", tag.id());
                } else {
                    tags.addObject().putObject("id-range").put("min", tag.min()).put("max", tag.max());
                }
            }
        }
        return n;
    }

    private static void putStrings(ObjectNode n, String field, List<String> values) {
        if (values != null) {
            values.forEach(n.putArray(field)::add);
        }
    }

    private static void putIf(ObjectNode n, String field, String value) {
        if (value != null) {
            n.put(field, value);
        }
    }

    private static void putIf(ObjectNode n, String field, Boolean value) {
        if (value != null) {
            n.put(field, value);
        }
    }

    private static void putIf(ObjectNode n, String field, Integer value) {
        if (value != null) {
            n.put(field, value);
        }
    }

    private static void putIf(ObjectNode n, String field, Long value) {
        if (value != null) {
            n.put(field, value);
        }
    }
}
