package io.nmstream.nmstate;

import com.fasterxml.jackson.databind.JsonNode;
import io.nmstream.nmstate.yaml.YamlDocuments;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The one strict parser of an nmstate desired state, used by policy-ingest to validate a policy and by the node agent to
 * read what it applies: if it accepts a state, a node can apply it.
 *
 * <p>It reports every problem at once, each as a {@link StateProblem} naming its path
 * ({@code interfaces[1].ipv4.address[0].prefix-length}), the value and what is allowed: unknown fields (with the nearest
 * known one), values of the wrong kind or range, interface types and fields nmstate knows that nmstream cannot apply (with
 * the reason), and the rules between interfaces ({@link DocumentChecks}). Interfaces are read by {@link InterfaceParser}.
 */
public final class NmstateParser {

    /** The sections of a desired state, in nmstate's order. */
    static final List<String> SECTIONS = List.of("dns-resolver", "route-rules", "routes", "interfaces");
    static final List<String> ROUTE_KEYS = List.of("state", "destination", "next-hop-interface", "next-hop-address", "metric",
        "table-id");
    private static final String NOT_APPLIED = " is known to nmstate, but nmstream does not apply it";
    private static final Map<String, String> SECTIONS_REFUSED = Map.of(
        "hostname", "hostname" + NOT_APPLIED + " (the node's host name is the cluster's to set)",
        "ovs-db", "ovs-db" + NOT_APPLIED,
        "ovn", "ovn" + NOT_APPLIED + " (OVN bridge mappings)",
        "description", "description" + NOT_APPLIED + " (describe the state in the policy's metadata instead)");
    private static final Map<String, String> ROUTE_REFUSED = routeRefused();
    private static final Pattern DOMAIN = Pattern.compile(
        "(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");

    private NmstateParser() {
    }

    /** Parses a JSON or YAML nmstate document whose templates have been resolved; throws listing every problem. */
    public static NetworkState parse(String text) {
        List<JsonNode> documents;
        try {
            documents = YamlDocuments.read(text);
        } catch (YamlDocuments.YamlException e) {
            String where = !e.path().isEmpty() ? " at " + e.path() : e.value() == null ? "" : " (" + e.value() + ")";
            throw new InvalidStateException("The desired state is neither JSON nor YAML" + where + ": " + e.reason());
        }
        return parse(documents.isEmpty() ? null : documents.get(0));
    }

    /** Parses an nmstate document already read as a tree, whose templates have been resolved; throws listing every problem. */
    public static NetworkState parse(JsonNode root) {
        return parse(root, ParseOptions.resolved()).orThrow();
    }

    /** Parses {@code root}, returning the typed state and every problem found in it. */
    public static ParsedState parse(JsonNode root, ParseOptions options) {
        List<StateProblem> problems = new ArrayList<>();
        if (root == null || root.isNull() || root.isMissingNode()) {
            return new ParsedState(NetworkState.empty(), problems);
        }
        Located doc = Located.root(root, options, problems);
        if (!doc.block("an nmstate desired state", SECTIONS, SECTIONS_REFUSED)) {
            return new ParsedState(NetworkState.empty(), problems);
        }
        List<InterfaceParser.Entry> entries = new ArrayList<>();
        Located interfaces = doc.field("interfaces");
        List<Located> items = interfaces == null ? null : interfaces.list();
        if (items != null) {
            for (int i = 0; i < items.size(); i++) {
                InterfaceParser.Entry entry = InterfaceParser.parse(items.get(i), i);
                if (entry != null) {
                    entries.add(entry);
                }
            }
        }
        DocumentChecks checks = new DocumentChecks(entries);
        checks.checkInterfaces();
        List<Route> routes = new ArrayList<>();
        List<Route> running = new ArrayList<>();
        Located routesNode = doc.field("routes");
        if (routesNode != null && routesNode.block("routes", List.of("running", "config"), Map.of())) {
            routes(routesNode.field("config"), routes, checks);
            routes(routesNode.field("running"), running, checks);
        }
        Located dns = doc.field("dns-resolver");
        DnsConfig dnsConfig = dns == null ? null : dns(dns);
        Located rulesNode = doc.field("route-rules");
        List<RouteRule> rules = rulesNode == null ? List.of() : RouteRuleParser.parse(rulesNode);
        return new ParsedState(new NetworkState(entries.stream().map(InterfaceParser.Entry::spec).toList(), routes, running, dnsConfig,
            rules), problems);
    }

    private static void routes(Located list, List<Route> out, DocumentChecks checks) {
        List<Located> entries = list == null ? null : list.list();
        if (entries == null) {
            return;
        }
        for (Located entry : entries) {
            Route route = route(entry);
            if (route != null) {
                checks.checkRoute(route, entry.field("next-hop-interface"));
                out.add(route);
            }
        }
    }

    /** Manages one route: a CIDR destination, a next hop of the same family, metric and table, or a removal pattern. */
    private static Route route(Located n) {
        if (!n.block("a route", ROUTE_KEYS, ROUTE_REFUSED)) {
            return null;
        }
        Located stateNode = n.field("state");
        boolean absent = stateNode != null && "absent".equals(stateNode.oneOf(List.of("absent")));
        boolean complete = true;
        String destination = null;
        Located destinationNode = n.field("destination");
        if (destinationNode == null) {
            if (!absent) {
                n.missing("destination", "a destination network such as 198.51.100.0/24 or ::/0");
                complete = false;
            }
        } else if (!destinationNode.isTemplate()) {
            destination = destinationNode.node().isTextual()
                ? IpAddress.parseCidrLiteral(destinationNode.node().asText()).orElse(null) : null;
            if (destination == null) {
                destinationNode.problem("must be a network in CIDR notation, address/prefix-length (198.51.100.0/24, 2001:db8::/64)");
            }
        }
        complete &= destination != null || absent;
        String gateway = null;
        Located gatewayNode = n.field("next-hop-address");
        if (gatewayNode != null && !(absent && gatewayNode.node().asText().isEmpty())) {
            if (gatewayNode.isTemplate()) {
                complete = false;
            } else if (!gatewayNode.node().isTextual() || IpAddress.parseLiteral(gatewayNode.node().asText()).isEmpty()) {
                gatewayNode.problem("must be an IPv4 or IPv6 address");
            } else {
                gateway = IpAddress.parseLiteral(gatewayNode.node().asText()).orElseThrow();
                if (destination != null && IpAddress.isIpv6(gateway) != IpAddress.isIpv6(destination)) {
                    gatewayNode.problem("must be an " + (IpAddress.isIpv6(destination) ? "IPv6" : "IPv4")
                        + " address, as the destination is");
                    gateway = null;
                }
            }
        }
        String iface = null;
        Located ifaceNode = n.field("next-hop-interface");
        if (ifaceNode == null) {
            if (!absent) {
                n.missing("next-hop-interface", "the interface the route leaves through (nmstream does not derive it from "
                    + "next-hop-address)");
                complete = false;
            }
        } else {
            iface = ifaceNode.interfaceName();
            complete &= iface != null || absent;
        }
        Located metric = n.field("metric");
        Located table = n.field("table-id");
        Route route = new Route(destination, iface, gateway, metric == null ? null : metric.integer(0, TypeBlockParser.MAX_U32),
            table == null ? null : table.integer(0, TypeBlockParser.MAX_U32), absent);
        return complete ? route : null;
    }

    /**
     * Manages the DNS resolver: name server addresses (IPv6 link-local with a scope allowed), search domains and the
     * resolver options nmstate accepts. {@code config: {}} removes them all, as in nmstate. {@code running}, what a
     * host resolves with, is ignored as nmstate ignores it when applying, so that {@code node show}'s output applies.
     */
    private static DnsConfig dns(Located n) {
        if (!n.block("dns-resolver", List.of("config", "running"), Map.of())) {
            return null;
        }
        Located config = n.field("config");
        if (config == null || !config.block("dns-resolver.config", List.of("server", "search", "options"), Map.of())) {
            return null;
        }
        List<String> servers = null;
        Located serverNode = config.field("server");
        List<Located> serverEntries = serverNode == null ? null : serverNode.list();
        if (serverEntries != null) {
            servers = new ArrayList<>();
            for (Located server : serverEntries) {
                String address = nameServer(server);
                if (address != null) {
                    servers.add(address);
                }
            }
            if (interleavesFamilies(servers)) {
                // NetworkManager orders name servers by family (a priority per family of a profile): nmstate refuses too
                serverNode.problem("the IPv4 and IPv6 name servers in two groups, one family after the other: a server of one "
                    + "family between servers of the other cannot be kept in that order");
            }
        }
        List<String> searches = null;
        Located searchNode = config.field("search");
        List<Located> searchEntries = searchNode == null ? null : searchNode.list();
        if (searchEntries != null) {
            searches = new ArrayList<>();
            for (Located domain : searchEntries) {
                if (domain.isTemplate()) {
                    continue;
                }
                if (!domain.node().isTextual() || !DOMAIN.matcher(domain.node().asText()).matches()) {
                    domain.problem("must be a domain name such as example.com");
                } else {
                    searches.add(domain.node().asText());
                }
            }
        }
        List<String> options = null;
        Located optionNode = config.field("options");
        List<Located> optionEntries = optionNode == null ? null : optionNode.list();
        if (optionEntries != null) {
            options = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (Located option : optionEntries) {
                String text = option.isTemplate() ? null : DnsOptions.check(option);
                if (text == null) {
                    continue;
                }
                if (names.contains(DnsOptions.name(text))) {
                    // NetworkManager keeps one option of a name: the second would be dropped and verification would fail
                    option.problem("each option once: '" + DnsOptions.name(text) + "' is already listed");
                } else {
                    names.add(DnsOptions.name(text));
                    options.add(text);
                }
            }
        }
        if (config.node().isEmpty()) {
            // nmstate's way to remove every name server, search domain and option
            return DnsConfig.empty();
        }
        return new DnsConfig(servers, searches, options);
    }

    /** Whether a server of one family stands between two of the other family. */
    private static boolean interleavesFamilies(List<String> servers) {
        int changes = 0;
        for (int i = 1; i < servers.size(); i++) {
            if (IpAddress.isIpv6(servers.get(i)) != IpAddress.isIpv6(servers.get(i - 1))) {
                changes++;
            }
        }
        return changes > 1;
    }

    private static String nameServer(Located server) {
        if (server.isTemplate()) {
            return null;
        }
        String text = server.node().isTextual() ? server.node().asText() : "";
        int percent = text.indexOf('%');
        String scope = percent < 0 ? "" : text.substring(percent);
        String address = IpAddress.parseLiteral(percent < 0 ? text : text.substring(0, percent)).orElse(null);
        if (address == null || !scope.isEmpty() && (!IpAddress.isIpv6(address) || !Located.isInterfaceName(scope.substring(1)))) {
            server.problem("must be an IPv4 or IPv6 address of a name server");
            return null;
        }
        return address + scope;
    }

    private static Map<String, String> routeRefused() {
        Map<String, String> refused = new LinkedHashMap<>();
        for (String key : List.of("weight", "route-type", "source", "cwnd", "initcwnd", "initrwnd", "mtu", "quickack", "advmss",
            "vrf-name")) {
            refused.put(key, key + NOT_APPLIED + " to routes");
        }
        return Map.copyOf(refused);
    }
}
