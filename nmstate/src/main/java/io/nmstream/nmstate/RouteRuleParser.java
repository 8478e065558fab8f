package io.nmstream.nmstate;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Reads nmstate's {@code route-rules.config} entries, reporting each problem at its path, as nmstate validates them. */
final class RouteRuleParser {

    static final List<String> KEYS = List.of("family", "state", "ip-from", "ip-to", "priority", "route-table", "fwmark", "fwmask",
        "iif", "action", "suppress-prefix-length");
    private static final Pattern HEX = Pattern.compile("0[xX][0-9A-Fa-f]{1,8}");

    private RouteRuleParser() {
    }

    /** The rules of {@code route-rules}; empty when it lists none or is not a mapping. */
    static List<RouteRule> parse(Located section) {
        List<RouteRule> out = new ArrayList<>();
        if (!section.block("route-rules", List.of("config"), Map.of())) {
            return out;
        }
        Located config = section.field("config");
        List<Located> entries = config == null ? null : config.list();
        if (entries != null) {
            for (Located entry : entries) {
                RouteRule rule = rule(entry);
                if (rule != null) {
                    out.add(rule);
                }
            }
        }
        return out;
    }

    private static RouteRule rule(Located n) {
        if (!n.block("a route rule", KEYS, Map.of("suppress_prefixlength", "write it suppress-prefix-length"))) {
            return null;
        }
        int problemsBefore = n.problemCount();
        Located stateNode = n.field("state");
        boolean absent = stateNode != null && "absent".equals(stateNode.oneOf(List.of("absent")));
        Located familyNode = n.field("family");
        String family = familyNode == null ? null : familyNode.oneOf(List.of("ipv4", "ipv6"));
        String ipFrom = network(n.field("ip-from"));
        String ipTo = network(n.field("ip-to"));
        for (String ip : new String[] {ipFrom, ipTo}) {
            if (ip != null && family != null && IpAddress.isIpv6(ip) != family.equals("ipv6")) {
                familyNode.problem("the family of ip-from and ip-to (" + ip + ")");
            }
        }
        if (ipFrom != null && ipTo != null && IpAddress.isIpv6(ipFrom) != IpAddress.isIpv6(ipTo)) {
            n.field("ip-to").problem("a network of ip-from's family (" + ipFrom + ")");
        }
        if (family == null && (ipFrom != null || ipTo != null)) {
            family = IpAddress.isIpv6(ipFrom != null ? ipFrom : ipTo) ? "ipv6" : "ipv4";
        }
        Long priority = integer(n.field("priority"), -1);
        priority = priority != null && priority == -1 ? null : priority;
        Long table = integer(n.field("route-table"), 0);
        table = table != null && table == 0 ? null : table;
        Long fwmark = mark(n.field("fwmark"));
        Long fwmask = mark(n.field("fwmask"));
        Located iifNode = n.field("iif");
        String iif = iifNode == null ? null : iifNode.interfaceName();
        Located actionNode = n.field("action");
        String action = actionNode == null ? null : actionNode.oneOf(RouteRule.ACTIONS);
        Long suppress = integer(n.field("suppress-prefix-length"), 0);
        if (!absent) {
            if (family == null && n.field("family") == null && n.field("ip-from") == null && n.field("ip-to") == null) {
                n.missing("ip-from", "ip-from, ip-to or family: the rule needs a family (nmstate refuses it without)");
            }
            if (fwmask != null && fwmask != 0 && (fwmark == null || fwmark == 0)) {
                n.field("fwmask").problem("only with a fwmark that is not zero (the mask applies to it)");
            }
            if (action != null && table != null) {
                n.field("route-table").problem("either a route table to look up or an action, not both");
            }
            if (action == null && table == null) {
                // as nmstate does: a rule that names neither looks up the main table
                table = RouteRule.MAIN_TABLE;
            }
        }
        if (n.problemCount() > problemsBefore) {
            return null;
        }
        return new RouteRule(family, ipFrom, ipTo, priority, table, fwmark, fwmask, iif, action, suppress, absent);
    }

    /** An address or network as the network it names: {@code 192.0.2.7/24} is {@code 192.0.2.0/24}, an address a host route. */
    private static String network(Located n) {
        if (n == null || n.isTemplate()) {
            return null;
        }
        String text = n.node().isTextual() ? n.node().asText() : "";
        int slash = text.indexOf('/');
        String address = IpAddress.parseLiteral(slash < 0 ? text : text.substring(0, slash)).orElse(null);
        Integer prefix = null;
        if (address != null) {
            String prefixText = slash < 0 ? String.valueOf(IpAddress.maxPrefix(address)) : text.substring(slash + 1);
            prefix = prefixText.matches("[0-9]{1,3}") && Integer.parseInt(prefixText) <= IpAddress.maxPrefix(address)
                ? Integer.parseInt(prefixText) : null;
        }
        if (address == null || prefix == null) {
            n.problem("an IPv4 or IPv6 address or network (198.51.100.0/24, 2001:db8::/64)");
            return null;
        }
        try {
            byte[] bytes = InetAddress.getByName(address).getAddress();
            for (int bit = prefix; bit < bytes.length * 8; bit++) {
                bytes[bit / 8] &= (byte) ~(0x80 >> (bit % 8));
            }
            return IpAddress.canonical(InetAddress.getByAddress(bytes).getHostAddress()) + "/" + prefix;
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a literal address is never looked up", e);
        }
    }

    private static Long integer(Located n, long min) {
        return n == null ? null : n.integer(min, TypeBlockParser.MAX_U32);
    }

    /** A firewall mark or mask: a number, or text in decimal or {@code 0x} hexadecimal, as nmstate reads them. */
    private static Long mark(Located n) {
        if (n == null || n.isTemplate()) {
            return null;
        }
        if (n.node().isTextual() && HEX.matcher(n.node().asText()).matches()) {
            return Long.parseLong(n.node().asText().substring(2), 16);
        }
        return n.integer(0, TypeBlockParser.MAX_U32);
    }
}
