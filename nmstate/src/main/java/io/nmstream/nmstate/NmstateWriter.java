package io.nmstream.nmstate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
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

    /** The document as a tree in nmstate's field names (for embedding in an NNCP manifest). */
    public static ObjectNode toTree(NetworkState state) {
        ObjectNode root = JSON.createObjectNode();
        if (state.dns() != null) {
            ObjectNode config = root.putObject("dns-resolver").putObject("config");
            if (state.dns().searches() != null) {
                state.dns().searches().forEach(config.putArray("search")::add);
            }
            if (state.dns().servers() != null) {
                state.dns().servers().forEach(config.putArray("server")::add);
            }
        }
        if (!state.routes().isEmpty() || !state.runningRoutes().isEmpty()) {
            ObjectNode routes = root.putObject("routes");
            ArrayNode config = routes.putArray("config");
            state.routes().forEach(r -> config.add(routeTree(r)));
            if (!state.runningRoutes().isEmpty()) {
                ArrayNode running = routes.putArray("running");
                state.runningRoutes().forEach(r -> running.add(routeTree(r)));
            }
        }
        ArrayNode interfaces = root.putArray("interfaces");
        state.interfaces().forEach(i -> interfaces.add(interfaceTree(i)));
        return root;
    }

    private static ObjectNode routeTree(Route r) {
        ObjectNode n = JSON.createObjectNode();
        putIf(n, "destination", r.destination());
        putIf(n, "next-hop-interface", r.nextHopInterface());
        putIf(n, "next-hop-address", r.nextHopAddress());
        if (r.metric() != null) {
            n.put("metric", r.metric());
        }
        if (r.tableId() != null) {
            n.put("table-id", r.tableId());
        }
        if (r.absent()) {
            n.put("state", "absent");
        }
        return n;
    }

    private static ObjectNode interfaceTree(InterfaceSpec i) {
        ObjectNode n = JSON.createObjectNode();
        n.put("name", i.name());
        if (i.type() != null) {
            n.put("type", i.type().nmstateName());
        }
        if (i.state() != null) {
            n.put("state", i.state().nmstateName());
        }
        if (i.mtu() != null) {
            n.put("mtu", i.mtu());
        }
        putIf(n, "mac-address", i.macAddress());
        putIf(n, "controller", i.controller());
        if (i.ipv4() != null) {
            n.set("ipv4", ipTree(i.ipv4(), false));
        }
        if (i.ipv6() != null) {
            n.set("ipv6", ipTree(i.ipv6(), true));
        }
        if (i.bond() != null) {
            ObjectNode b = n.putObject("link-aggregation");
            putIf(b, "mode", i.bond().mode());
            if (i.bond().options() != null) {
                ObjectNode o = b.putObject("options");
                new TreeMap<>(i.bond().options()).forEach(o::put);
            }
            if (i.bond().ports() != null) {
                i.bond().ports().forEach(b.putArray("port")::add);
            }
        }
        if (i.vlan() != null) {
            ObjectNode v = n.putObject("vlan");
            putIf(v, "base-iface", i.vlan().baseIface());
            if (i.vlan().id() != null) {
                v.put("id", i.vlan().id());
            }
        }
        if (i.bridge() != null) {
            ObjectNode b = n.putObject("bridge");
            if (i.bridge().stpEnabled() != null) {
                b.putObject("options").putObject("stp").put("enabled", i.bridge().stpEnabled());
            }
            if (i.bridge().ports() != null) {
                ArrayNode ports = b.putArray("port");
                i.bridge().portNames().forEach(p -> ports.addObject().put("name", p));
            }
        }
        if (i.lldp() != null) {
            n.putObject("lldp").put("enabled", i.lldp());
        }
        if (i.vethPeer() != null) {
            n.putObject("veth").put("peer", i.vethPeer());
        }
        return n;
    }

    private static ObjectNode ipTree(IpConfig ip, boolean ipv6) {
        ObjectNode n = JSON.createObjectNode();
        if (ip.enabled() != null) {
            n.put("enabled", ip.enabled());
        }
        if (ip.dhcp() != null) {
            n.put("dhcp", ip.dhcp());
        }
        if (ipv6 && ip.autoconf() != null) {
            n.put("autoconf", ip.autoconf());
        }
        if (ip.addresses() != null) {
            ArrayNode a = n.putArray("address");
            ip.addresses().forEach(addr -> a.addObject().put("ip", addr.ip()).put("prefix-length", addr.prefixLength()));
        }
        if (ip.autoDns() != null) {
            n.put("auto-dns", ip.autoDns());
        }
        if (ip.autoRoutes() != null) {
            n.put("auto-routes", ip.autoRoutes());
        }
        if (ip.autoGateway() != null) {
            n.put("auto-gateway", ip.autoGateway());
        }
        return n;
    }

    private static void putIf(ObjectNode n, String field, String value) {
        if (value != null) {
            n.put(field, value);
        }
    }

}
