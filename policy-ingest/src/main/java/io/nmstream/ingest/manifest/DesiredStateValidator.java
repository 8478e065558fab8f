package io.nmstream.ingest.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates an NNCP's {@code spec.desiredState} against nmstate's schema before anything is published: the known
 * top-level sections, every interface (through {@link InterfaceValidator}), the document-wide rules (unique names, ports
 * that are not removed nor claimed twice), routes, route rules, the DNS resolver, hostname and OVN bridge mappings.
 */
public final class DesiredStateValidator {

    static final List<String> TOP_LEVEL = List.of("interfaces", "routes", "route-rules", "dns-resolver", "hostname", "ovs-db", "ovn",
        "description");
    static final List<String> ROUTE_FIELDS = List.of("destination", "next-hop-address", "next-hop-interface", "metric", "table-id",
        "state", "weight", "route-type", "source", "cwnd", "initcwnd", "initrwnd", "mtu", "quickack", "advmss", "vrf-name");
    static final List<String> ROUTE_TYPES = List.of("blackhole", "prohibit", "unreachable");
    static final long MAX_U32 = 4_294_967_295L;
    private static final Pattern DOMAIN = Pattern.compile(
        "(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");

    private final Checks checks;
    private final Problems problems;
    private final InterfaceValidator interfaces;

    /**
     * @param problems where problems are recorded
     * @param captureNames names defined in {@code spec.capture}, which templates in the state may read
     */
    public DesiredStateValidator(Problems problems, Set<String> captureNames) {
        this.checks = new Checks(problems, captureNames);
        this.problems = problems;
        this.interfaces = new InterfaceValidator(checks);
    }

    /** Validates {@code state}, found at {@code path} ({@code spec.desiredState}). */
    public void validate(JsonNode state, String path) {
        if (!state.isObject()) {
            problems.add(path, state, "must be a mapping of nmstate sections (" + String.join(", ", TOP_LEVEL) + ")");
            return;
        }
        checks.knownFields(state, path, TOP_LEVEL, "an nmstate desired state");
        List<InterfaceValidator.Interface> known = new ArrayList<>();
        if (state.has("interfaces")) {
            String interfacesPath = Problems.field(path, "interfaces");
            JsonNode list = state.get("interfaces");
            if (checks.list(list, interfacesPath)) {
                for (int i = 0; i < list.size(); i++) {
                    interfaces.validate(list.get(i), Problems.index(interfacesPath, i), i).ifPresent(known::add);
                }
                checkDuplicates(known, interfacesPath, list);
                checkPorts(known);
                checkStackedInterfaces(known, list, interfacesPath);
            }
        }
        if (state.has("routes")) {
            validateRoutes(state.get("routes"), Problems.field(path, "routes"), known);
        }
        if (state.has("route-rules")) {
            validateRouteRules(state.get("route-rules"), Problems.field(path, "route-rules"));
        }
        if (state.has("dns-resolver")) {
            validateDnsResolver(state.get("dns-resolver"), Problems.field(path, "dns-resolver"));
        }
        if (state.has("hostname") && checks.object(state.get("hostname"), Problems.field(path, "hostname"))) {
            validateHostname(state.get("hostname"), Problems.field(path, "hostname"));
        }
        if (state.has("ovn") && checks.object(state.get("ovn"), Problems.field(path, "ovn"))) {
            validateOvn(state.get("ovn"), Problems.field(path, "ovn"));
        }
        if (state.has("ovs-db")) {
            checks.object(state.get("ovs-db"), Problems.field(path, "ovs-db"));
        }
    }

    /** Manages duplicate names: nmstate allows one name twice only for two different types (ovs-bridge and ovs-interface). */
    private void checkDuplicates(List<InterfaceValidator.Interface> known, String interfacesPath, JsonNode list) {
        Map<String, List<InterfaceValidator.Interface>> byName = new HashMap<>();
        for (InterfaceValidator.Interface current : known) {
            List<InterfaceValidator.Interface> earlier = byName.computeIfAbsent(current.name(), n -> new ArrayList<>());
            for (InterfaceValidator.Interface previous : earlier) {
                if (current.type() == null || previous.type() == null || current.type().equals(previous.type())) {
                    problems.add(Problems.field(Problems.index(interfacesPath, current.index()), "name"),
                        list.get(current.index()).get("name"),
                        "interface names must be unique; already defined at " + Problems.index(interfacesPath, previous.index()));
                    break;
                }
            }
            earlier.add(current);
        }
    }

    /** Manages ports: a port cannot be removed in the same state nor belong to two controllers. */
    private void checkPorts(List<InterfaceValidator.Interface> known) {
        Map<String, InterfaceValidator.Interface> byName = new HashMap<>();
        known.forEach(i -> byName.putIfAbsent(i.name(), i));
        Map<String, String> owner = new HashMap<>();
        for (InterfaceValidator.Interface controller : known) {
            for (InterfaceValidator.Port port : controller.ports()) {
                InterfaceValidator.Interface target = byName.get(port.name());
                if (target != null && target.absent()) {
                    problems.addText(port.path(), "\"" + port.name() + "\"",
                        "this port is removed (state: absent) in the same desired state");
                }
                String previous = owner.putIfAbsent(port.name(), controller.name());
                if (previous != null) {
                    problems.addText(port.path(), "\"" + port.name() + "\"", "already a port of " + previous
                        + "; an interface can have one controller");
                }
            }
        }
    }

    /** Manages stacked interfaces (VLAN, MAC-VLAN): their base interface cannot be removed in the same state. */
    private void checkStackedInterfaces(List<InterfaceValidator.Interface> known, JsonNode list, String interfacesPath) {
        Map<String, InterfaceValidator.Interface> byName = new HashMap<>();
        known.forEach(i -> byName.putIfAbsent(i.name(), i));
        for (InterfaceValidator.Interface stacked : known) {
            if (stacked.absent() || stacked.type() == null) {
                continue;
            }
            JsonNode block = list.get(stacked.index()).path(stacked.type());
            String base = block.path("base-iface").asText("");
            InterfaceValidator.Interface target = byName.get(base);
            if (target != null && target.absent()) {
                problems.add(Problems.field(Problems.field(Problems.index(interfacesPath, stacked.index()), stacked.type()), "base-iface"),
                    block.get("base-iface"), "the base interface is removed (state: absent) in the same desired state");
            }
        }
    }

    /** Manages routes: CIDR destinations, next hops of the same address family, metrics and tables, and removals. */
    private void validateRoutes(JsonNode routes, String path, List<InterfaceValidator.Interface> known) {
        if (!checks.object(routes, path)) {
            return;
        }
        checks.knownFields(routes, path, List.of("config", "running"), "routes");
        if (!routes.has("config")) {
            return;
        }
        String configPath = Problems.field(path, "config");
        if (!checks.list(routes.get("config"), configPath)) {
            return;
        }
        Map<String, InterfaceValidator.Interface> byName = new HashMap<>();
        known.forEach(i -> byName.putIfAbsent(i.name(), i));
        for (int i = 0; i < routes.get("config").size(); i++) {
            validateRoute(routes.get("config").get(i), Problems.index(configPath, i), byName);
        }
    }

    private void validateRoute(JsonNode route, String path, Map<String, InterfaceValidator.Interface> byName) {
        if (!checks.object(route, path)) {
            return;
        }
        checks.knownFields(route, path, ROUTE_FIELDS, "a route");
        boolean absent = false;
        if (route.has("state")) {
            absent = checks.oneOf(route.get("state"), Problems.field(path, "state"), List.of("absent")).isPresent();
        }
        IpAddresses.Family family = null;
        if (route.has("destination")) {
            family = cidrFamily(route.get("destination"), Problems.field(path, "destination"));
        } else if (!absent) {
            problems.missing(Problems.field(path, "destination"), "a destination network such as 198.51.100.0/24 or ::/0");
        }
        if (route.has("next-hop-address") && !checks.isTemplate(route.get("next-hop-address"), Problems.field(path, "next-hop-address"))) {
            JsonNode hop = route.get("next-hop-address");
            Optional<IpAddresses.Address> address = hop.isTextual() ? IpAddresses.parse(hop.asText()) : Optional.empty();
            if (address.isEmpty()) {
                if (!(absent && hop.asText().isEmpty())) {
                    problems.add(Problems.field(path, "next-hop-address"), hop, "must be an IPv4 or IPv6 address");
                }
            } else if (family != null && address.get().family() != family) {
                problems.add(Problems.field(path, "next-hop-address"), hop, "must be an " + (family == IpAddresses.Family.IPV4
                    ? "IPv4" : "IPv6") + " address, as the destination is");
            }
        }
        if (route.has("next-hop-interface")) {
            checks.interfaceName(route.get("next-hop-interface"), Problems.field(path, "next-hop-interface")).ifPresent(name -> {
                InterfaceValidator.Interface target = byName.get(name);
                if (!absentRoute(route) && target != null && target.absent()) {
                    problems.add(Problems.field(path, "next-hop-interface"), route.get("next-hop-interface"),
                        "this interface is removed (state: absent) in the same desired state");
                }
            });
        } else if (!absent && !route.has("next-hop-address") && !route.has("route-type")) {
            problems.missing(Problems.field(path, "next-hop-interface"), "a route needs a next-hop-interface, a next-hop-address or a "
                + "route-type");
        }
        if (route.has("metric")) {
            checks.integer(route.get("metric"), Problems.field(path, "metric"), 0, MAX_U32);
        }
        if (route.has("table-id")) {
            checks.integer(route.get("table-id"), Problems.field(path, "table-id"), 0, MAX_U32);
        }
        if (route.has("weight")) {
            checks.integer(route.get("weight"), Problems.field(path, "weight"), 1, 256);
        }
        if (route.has("route-type")) {
            checks.oneOf(route.get("route-type"), Problems.field(path, "route-type"), ROUTE_TYPES);
        }
    }

    private static boolean absentRoute(JsonNode route) {
        return "absent".equals(route.path("state").asText());
    }

    private IpAddresses.Family cidrFamily(JsonNode node, String path) {
        if (checks.isTemplate(node, path)) {
            return null;
        }
        if (!node.isTextual() || IpAddresses.canonicalCidr(node.asText()).isEmpty()) {
            problems.add(path, node, "must be a network in CIDR notation, address/prefix-length (198.51.100.0/24, 2001:db8::/64)");
            return null;
        }
        return IpAddresses.cidrFamily(node.asText());
    }

    /** Manages policy routing rules: source and destination networks, priority and table. */
    private void validateRouteRules(JsonNode rules, String path) {
        if (!checks.object(rules, path)) {
            return;
        }
        checks.knownFields(rules, path, List.of("config"), "route-rules");
        if (!rules.has("config") || !checks.list(rules.get("config"), Problems.field(path, "config"))) {
            return;
        }
        for (int i = 0; i < rules.get("config").size(); i++) {
            String rulePath = Problems.index(Problems.field(path, "config"), i);
            JsonNode rule = rules.get("config").get(i);
            if (!checks.object(rule, rulePath)) {
                continue;
            }
            for (String key : List.of("ip-from", "ip-to")) {
                if (rule.has(key) && !checks.isTemplate(rule.get(key), Problems.field(rulePath, key))) {
                    String text = rule.get(key).asText();
                    if (!text.isEmpty() && IpAddresses.parse(text).isEmpty() && IpAddresses.canonicalCidr(text).isEmpty()) {
                        problems.add(Problems.field(rulePath, key), rule.get(key), "must be an address or a network in CIDR notation");
                    }
                }
            }
            if (rule.has("priority")) {
                checks.integer(rule.get("priority"), Problems.field(rulePath, "priority"), 0, MAX_U32);
            }
            if (rule.has("route-table")) {
                checks.integer(rule.get("route-table"), Problems.field(rulePath, "route-table"), 0, MAX_U32);
            }
            if (rule.has("state")) {
                checks.oneOf(rule.get("state"), Problems.field(rulePath, "state"), List.of("absent"));
            }
        }
    }

    /** Manages the DNS resolver: server addresses (IPv6 link-local with a scope allowed) and search domains. */
    private void validateDnsResolver(JsonNode resolver, String path) {
        if (!checks.object(resolver, path)) {
            return;
        }
        checks.knownFields(resolver, path, List.of("config", "running"), "dns-resolver");
        if (!resolver.has("config")) {
            return;
        }
        String configPath = Problems.field(path, "config");
        JsonNode config = resolver.get("config");
        if (!checks.object(config, configPath)) {
            return;
        }
        checks.knownFields(config, configPath, List.of("server", "search", "options"), "dns-resolver.config");
        if (config.has("server") && checks.list(config.get("server"), Problems.field(configPath, "server"))) {
            for (int i = 0; i < config.get("server").size(); i++) {
                String serverPath = Problems.index(Problems.field(configPath, "server"), i);
                JsonNode server = config.get("server").get(i);
                if (checks.isTemplate(server, serverPath)) {
                    continue;
                }
                String text = server.asText();
                String address = text.contains("%") ? text.substring(0, text.indexOf('%')) : text;
                if (!server.isTextual() || IpAddresses.parse(address).isEmpty()) {
                    problems.add(serverPath, server, "must be an IPv4 or IPv6 address of a name server");
                }
            }
        }
        if (config.has("search") && checks.list(config.get("search"), Problems.field(configPath, "search"))) {
            for (int i = 0; i < config.get("search").size(); i++) {
                String searchPath = Problems.index(Problems.field(configPath, "search"), i);
                JsonNode domain = config.get("search").get(i);
                if (!checks.isTemplate(domain, searchPath) && (!domain.isTextual() || !DOMAIN.matcher(domain.asText()).matches())) {
                    problems.add(searchPath, domain, "must be a domain name such as example.com");
                }
            }
        }
    }

    private void validateHostname(JsonNode hostname, String path) {
        checks.knownFields(hostname, path, List.of("config", "running"), "hostname");
        for (String key : List.of("config", "running")) {
            if (hostname.has(key) && !checks.isTemplate(hostname.get(key), Problems.field(path, key))
                && (!hostname.get(key).isTextual() || !DOMAIN.matcher(hostname.get(key).asText()).matches())) {
                problems.add(Problems.field(path, key), hostname.get(key), "must be a host name of letters, digits, '-' and '.'");
            }
        }
    }

    private void validateOvn(JsonNode ovn, String path) {
        checks.knownFields(ovn, path, List.of("bridge-mappings"), "ovn");
        if (!ovn.has("bridge-mappings") || !checks.list(ovn.get("bridge-mappings"), Problems.field(path, "bridge-mappings"))) {
            return;
        }
        for (int i = 0; i < ovn.get("bridge-mappings").size(); i++) {
            String mappingPath = Problems.index(Problems.field(path, "bridge-mappings"), i);
            JsonNode mapping = ovn.get("bridge-mappings").get(i);
            if (!checks.object(mapping, mappingPath)) {
                continue;
            }
            checks.knownFields(mapping, mappingPath, List.of("localnet", "bridge", "state"), "a bridge mapping");
            if (!mapping.has("localnet")) {
                problems.missing(Problems.field(mappingPath, "localnet"), "the name of the OVN localnet network");
            }
            if (mapping.has("state")) {
                checks.oneOf(mapping.get("state"), Problems.field(mappingPath, "state"), List.of("present", "absent"));
            }
        }
    }
}
