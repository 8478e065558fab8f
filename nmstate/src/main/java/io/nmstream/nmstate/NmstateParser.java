package io.nmstream.nmstate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Reads nmstate documents (JSON or YAML) into {@link NetworkState} and writes them back, in nmstate's field names.
 *
 * <p>Parsing is strict: an unknown field or a value of the wrong kind fails with an {@link InvalidStateException} that
 * names its path ({@code interfaces[1].ipv4.address[0].prefix-length}) and the value, so that a typo never turns into a
 * silently ignored setting.
 */
public final class NmstateParser {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
        .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private NmstateParser() {
    }

    /** Parses a JSON or YAML nmstate document. */
    public static NetworkState parse(String text) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidStateException("The desired state is neither JSON nor YAML: " + e.getOriginalMessage());
        }
        if (root == null || root.isNull() || root.isMissingNode()) {
            return NetworkState.empty();
        }
        return parse(root);
    }

    /** Parses an nmstate document already read as a tree (the {@code desiredState} of an NNCP). */
    public static NetworkState parse(JsonNode root) {
        Node doc = new Node(root, "");
        doc.onlyFields("interfaces", "routes", "dns-resolver");
        List<InterfaceSpec> interfaces = doc.list("interfaces", NmstateParser::parseInterface);
        List<Route> routes = List.of();
        List<Route> running = List.of();
        Node routesNode = doc.child("routes");
        if (routesNode != null) {
            routesNode.onlyFields("config", "running");
            routes = routesNode.list("config", NmstateParser::parseRoute);
            running = routesNode.list("running", NmstateParser::parseRoute);
        }
        DnsConfig dns = null;
        Node dnsNode = doc.child("dns-resolver");
        if (dnsNode != null) {
            dnsNode.onlyFields("config", "running");
            Node config = dnsNode.child("config");
            if (config != null) {
                config.onlyFields("server", "search");
                dns = new DnsConfig(config.nullableList("server", n -> IpAddress.canonical(n.text())),
                    config.nullableList("search", Node::text));
            }
        }
        checkUniqueNames(interfaces);
        return new NetworkState(interfaces, routes, running, dns);
    }

    private static void checkUniqueNames(List<InterfaceSpec> interfaces) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < interfaces.size(); i++) {
            if (!seen.add(interfaces.get(i).name())) {
                throw new InvalidStateException("interfaces[" + i + "].name: interface '" + interfaces.get(i).name()
                    + "' is listed more than once");
            }
        }
    }

    private static InterfaceSpec parseInterface(Node n) {
        n.onlyFields("name", "type", "state", "mtu", "mac-address", "ipv4", "ipv6", "link-aggregation", "vlan", "bridge", "lldp",
            "veth", "controller", "description");
        String name = n.required("name").text();
        if (name.isEmpty() || name.length() > 15 || name.contains("/") || name.chars().anyMatch(Character::isWhitespace)) {
            throw n.child("name").invalid("is not a valid interface name (1 to 15 characters, no '/' or spaces)");
        }
        InterfaceType type = n.optional("type", t -> InterfaceType.fromNmstate(t.text()));
        InterfaceState state = n.optional("state", t -> InterfaceState.fromNmstate(t.text()));
        Integer mtu = n.optional("mtu", t -> t.integer(68, Integer.MAX_VALUE));
        String mac = n.optional("mac-address", NmstateParser::mac);
        IpConfig ipv4 = n.optional("ipv4", t -> parseIp(t, false));
        IpConfig ipv6 = n.optional("ipv6", t -> parseIp(t, true));
        BondConfig bond = n.optional("link-aggregation", NmstateParser::parseBond);
        VlanConfig vlan = n.optional("vlan", NmstateParser::parseVlan);
        BridgeConfig bridge = n.optional("bridge", NmstateParser::parseBridge);
        Boolean lldp = n.optional("lldp", t -> {
            t.onlyFields("enabled", "neighbors");
            return t.optional("enabled", Node::bool);
        });
        String peer = n.optional("veth", t -> {
            t.onlyFields("peer");
            return t.required("peer").text();
        });
        String controller = n.optional("controller", Node::text);
        return InterfaceSpec.builder(name).type(type).state(state).mtu(mtu).macAddress(mac).ipv4(ipv4).ipv6(ipv6).bond(bond)
            .vlan(vlan).bridge(bridge).lldp(lldp).vethPeer(peer).controller(controller).build();
    }

    private static String mac(Node n) {
        String text = n.text().toUpperCase(Locale.ROOT);
        if (!text.matches("[0-9A-F]{2}(:[0-9A-F]{2}){5}")) {
            throw n.invalid("is not a MAC address (six colon-separated hex bytes)");
        }
        return text;
    }

    private static IpConfig parseIp(Node n, boolean ipv6) {
        if (ipv6) {
            n.onlyFields("enabled", "dhcp", "autoconf", "address", "auto-dns", "auto-routes", "auto-gateway", "auto-route-table-id",
                "auto-route-metric");
        } else {
            n.onlyFields("enabled", "dhcp", "address", "auto-dns", "auto-routes", "auto-gateway", "auto-route-table-id",
                "auto-route-metric");
        }
        List<IpAddress> addresses = n.nullableList("address", a -> {
            a.onlyFields("ip", "prefix-length");
            Node ip = a.required("ip");
            int max = ipv6 ? 128 : 32;
            int prefix = a.required("prefix-length").integer(0, max);
            String text = ip.text();
            if (IpAddress.isIpv6(text) != ipv6) {
                throw ip.invalid("is not an " + (ipv6 ? "IPv6" : "IPv4") + " address");
            }
            try {
                return new IpAddress(text, prefix);
            } catch (IllegalArgumentException e) {
                throw ip.invalid("is not an IP address");
            }
        });
        return new IpConfig(n.optional("enabled", Node::bool), n.optional("dhcp", Node::bool),
            ipv6 ? n.optional("autoconf", Node::bool) : null, addresses, n.optional("auto-dns", Node::bool),
            n.optional("auto-routes", Node::bool), n.optional("auto-gateway", Node::bool));
    }

    private static BondConfig parseBond(Node n) {
        n.onlyFields("mode", "options", "port", "ports");
        Map<String, String> options = n.optional("options", o -> {
            Map<String, String> out = new LinkedHashMap<>();
            o.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText()
                : e.getValue().toString()));
            return out;
        });
        List<String> ports = n.nullableList(n.child("port") != null ? "port" : "ports", Node::text);
        return new BondConfig(n.optional("mode", Node::text), options, ports);
    }

    private static VlanConfig parseVlan(Node n) {
        n.onlyFields("base-iface", "id", "protocol");
        return new VlanConfig(n.optional("base-iface", Node::text), n.optional("id", t -> t.integer(0, 4094)));
    }

    private static BridgeConfig parseBridge(Node n) {
        n.onlyFields("options", "port");
        Boolean stp = n.optional("options", o -> {
            Node stpNode = o.child("stp");
            return stpNode == null ? null : stpNode.optional("enabled", Node::bool);
        });
        List<String> ports = n.nullableList("port", p -> p.node.isTextual() ? p.text() : p.required("name").text());
        return BridgeConfig.of(stp, ports);
    }

    private static Route parseRoute(Node n) {
        n.onlyFields("destination", "next-hop-interface", "next-hop-address", "metric", "table-id", "state");
        boolean absent = false;
        Node stateNode = n.child("state");
        if (stateNode != null) {
            if (!stateNode.text().equals("absent")) {
                throw stateNode.invalid("is not a route state (only 'absent' is accepted)");
            }
            absent = true;
        }
        String destination = n.optional("destination", t -> {
            try {
                return IpAddress.parseCidr(t.text()).toString();
            } catch (IllegalArgumentException e) {
                throw t.invalid("is not a network in CIDR form (" + e.getMessage() + ")");
            }
        });
        String gateway = n.optional("next-hop-address", t -> {
            try {
                return IpAddress.canonical(t.text());
            } catch (IllegalArgumentException e) {
                throw t.invalid("is not an IP address");
            }
        });
        String iface = n.optional("next-hop-interface", Node::text);
        if (!absent && destination == null) {
            throw n.missing("destination");
        }
        if (!absent && iface == null) {
            throw n.missing("next-hop-interface");
        }
        if (destination != null && gateway != null && IpAddress.isIpv6(destination) != IpAddress.isIpv6(gateway)) {
            throw n.child("next-hop-address").invalid("is not of the same IP family as destination " + destination);
        }
        Long metric = n.optional("metric", t -> (long) t.integer(0, Integer.MAX_VALUE));
        Long table = n.optional("table-id", t -> (long) t.integer(0, Integer.MAX_VALUE));
        return new Route(destination, iface, gateway, metric, table, absent);
    }

    /** A position in the document being parsed: knows its path, so every error can name it. */
    private static final class Node {
        private final JsonNode node;
        private final String path;

        Node(JsonNode node, String path) {
            this.node = node;
            this.path = path;
            if (!node.isObject() && !node.isValueNode() && !node.isArray()) {
                throw invalid("is not a value");
            }
        }

        InvalidStateException invalid(String why) {
            String shown = node.isValueNode() ? "'" + node.asText() + "'" : node.isArray() ? "a list" : "an object";
            return new InvalidStateException((path.isEmpty() ? "document" : path) + ": " + shown + " " + why);
        }

        InvalidStateException missing(String field) {
            return new InvalidStateException(sub(field) + ": is required");
        }

        private String sub(String field) {
            return path.isEmpty() ? field : path + "." + field;
        }

        void onlyFields(String... allowed) {
            if (!node.isObject()) {
                throw invalid("must be an object");
            }
            List<String> known = List.of(allowed);
            Iterator<String> names = node.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (!known.contains(name)) {
                    throw new InvalidStateException(sub(name) + ": unknown field (known here: " + String.join(", ", known) + ")");
                }
            }
        }

        Iterator<Map.Entry<String, JsonNode>> fields() {
            if (!node.isObject()) {
                throw invalid("must be an object");
            }
            return node.fields();
        }

        Node child(String field) {
            JsonNode c = node.get(field);
            return c == null || c.isNull() ? null : new Node(c, sub(field));
        }

        Node required(String field) {
            Node c = child(field);
            if (c == null) {
                throw missing(field);
            }
            return c;
        }

        <T> T optional(String field, Function<Node, T> parser) {
            Node c = child(field);
            return c == null ? null : wrap(c, parser);
        }

        <T> List<T> list(String field, Function<Node, T> parser) {
            List<T> out = nullableList(field, parser);
            return out == null ? List.of() : out;
        }

        <T> List<T> nullableList(String field, Function<Node, T> parser) {
            Node c = child(field);
            if (c == null) {
                return null;
            }
            if (!c.node.isArray()) {
                throw c.invalid("must be a list");
            }
            List<T> out = new ArrayList<>();
            for (int i = 0; i < c.node.size(); i++) {
                out.add(wrap(new Node(c.node.get(i), c.path + "[" + i + "]"), parser));
            }
            return out;
        }

        private static <T> T wrap(Node n, Function<Node, T> parser) {
            try {
                return parser.apply(n);
            } catch (InvalidStateException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw new InvalidStateException(n.path + ": " + e.getMessage());
            }
        }

        String text() {
            if (!node.isValueNode()) {
                throw invalid("must be a single value");
            }
            return node.asText();
        }

        boolean bool() {
            if (node.isBoolean()) {
                return node.booleanValue();
            }
            String t = text().toLowerCase(Locale.ROOT);
            if (t.equals("true") || t.equals("false")) {
                return Boolean.parseBoolean(t);
            }
            throw invalid("must be true or false");
        }

        int integer(int min, int max) {
            long value;
            if (node.isIntegralNumber()) {
                value = node.longValue();
            } else {
                try {
                    value = Long.parseLong(text().trim());
                } catch (NumberFormatException e) {
                    throw invalid("is not a whole number");
                }
            }
            if (value < min || value > max) {
                throw invalid("must be between " + min + " and " + max);
            }
            return (int) value;
        }
    }
}
