package io.nmstream.nmstate;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One entry of nmstate's {@code route-rules.config}: a policy routing rule that sends the packets it selects (by source,
 * destination, firewall mark or incoming interface) to a route table, or drops them ({@code action}). A desired rule
 * with {@code state: absent} is a pattern: it removes every current rule it matches.
 *
 * @param family {@code ipv4} or {@code ipv6}; derived from {@code ipFrom} or {@code ipTo} when they are given
 * @param ipFrom source network, canonical {@code address/prefix-length}
 * @param ipTo destination network, canonical {@code address/prefix-length}
 * @param priority the rule's place in the kernel's list, lower first; null to let the node choose one after the others
 * @param routeTable the route table to look up; null with an {@code action}, 254 (main) when neither is given
 * @param fwmark firewall mark the packet must carry (with {@code fwmask}, under that mask)
 * @param fwmask mask applied to the packet's mark before comparing it with {@code fwmark}
 * @param iif incoming interface
 * @param action {@code blackhole}, {@code unreachable} or {@code prohibit}; null to look the table up
 * @param suppressPrefixLength reject routes of the table with a prefix this long or shorter
 * @param absent whether this is a pattern of rules to remove
 */
public record RouteRule(String family, String ipFrom, String ipTo, Long priority, Long routeTable, Long fwmark, Long fwmask, String iif,
                        String action, Long suppressPrefixLength, boolean absent) {

    /** The kernel's main route table, which a rule looks up when it names neither a table nor an action. */
    public static final long MAIN_TABLE = 254;
    /** The actions nmstate knows besides looking a table up. */
    public static final List<String> ACTIONS = List.of("blackhole", "unreachable", "prohibit");

    public boolean isIpv6() {
        return "ipv6".equals(family);
    }

    /** The pattern that removes exactly this rule. */
    public RouteRule asAbsent() {
        return new RouteRule(family, ipFrom, ipTo, priority, routeTable, fwmark, fwmask, iif, action, suppressPrefixLength, true);
    }

    /** This rule with the priority the node gave it. */
    public RouteRule withPriority(long newPriority) {
        return new RouteRule(family, ipFrom, ipTo, newPriority, routeTable, fwmark, fwmask, iif, action, suppressPrefixLength, absent);
    }

    /**
     * Whether {@code other}, a rule a host has, is one this rule describes, as nmstate matches them: every field this rule
     * gives is equal in {@code other} (a rule without a priority matches any priority).
     */
    public boolean matches(RouteRule other) {
        return (family == null || other.family == null || family.equals(other.family))
            && (ipFrom == null || ipFrom.equals(other.ipFrom))
            && (ipTo == null || ipTo.equals(other.ipTo))
            && (priority == null || priority.equals(other.priority))
            && (routeTable == null || routeTable.equals(other.routeTable))
            && (fwmark == null || fwmark.equals(Objects.requireNonNullElse(other.fwmark, 0L)))
            && (fwmask == null || fwmask.equals(Objects.requireNonNullElse(other.fwmask, 0L)))
            && (iif == null || iif.equals(other.iif))
            && (action == null || action.equals(other.action))
            && (suppressPrefixLength == null || suppressPrefixLength.equals(other.suppressPrefixLength));
    }

    /** nmstate's way to show a rule in a message: its fields as {@code key: value}. */
    @Override
    public String toString() {
        List<String> props = new ArrayList<>();
        if (absent) {
            props.add("state: absent");
        }
        add(props, "family", family);
        add(props, "ip-from", ipFrom);
        add(props, "ip-to", ipTo);
        add(props, "priority", priority);
        add(props, "route-table", routeTable);
        add(props, "fwmark", fwmark == null ? null : "0x" + Long.toHexString(fwmark));
        add(props, "fwmask", fwmask == null ? null : "0x" + Long.toHexString(fwmask));
        add(props, "iif", iif);
        add(props, "action", action);
        add(props, "suppress-prefix-length", suppressPrefixLength);
        return String.join(" ", props);
    }

    private static void add(List<String> props, String key, Object value) {
        if (value != null) {
            props.add(key + ": " + value);
        }
    }
}
