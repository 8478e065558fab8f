package io.nmstream.nmstate;

import java.util.Objects;

/**
 * One entry of nmstate's {@code routes.config} (or {@code routes.running}).
 *
 * @param destination network in CIDR form, canonical ("0.0.0.0/0", "2001:db8::/64")
 * @param nextHopInterface interface the route leaves through
 * @param nextHopAddress gateway; null for an on-link route
 * @param metric route metric; null for the interface's default
 * @param tableId routing table; null for the main table
 * @param absent true for {@code state: absent}: remove every route matching the fields given
 */
public record Route(String destination, String nextHopInterface, String nextHopAddress, Long metric, Long tableId, boolean absent) {

    /** A route to add, on the main table with the default metric. */
    public static Route via(String destination, String nextHopInterface, String nextHopAddress) {
        return new Route(destination, nextHopInterface, nextHopAddress, null, null, false);
    }

    public boolean isIpv6() {
        return destination != null ? destination.contains(":") : nextHopAddress != null && nextHopAddress.contains(":");
    }

    /**
     * Whether this route, read as an {@code absent} pattern, matches {@code other}: every field this one gives must be
     * equal, the others are wildcards (nmstate's rule).
     */
    public boolean matches(Route other) {
        return (destination == null || destination.equals(other.destination))
            && (nextHopInterface == null || nextHopInterface.equals(other.nextHopInterface))
            && (nextHopAddress == null || nextHopAddress.equals(other.nextHopAddress))
            && (metric == null || metric.equals(other.metric))
            && (tableId == null || tableId.equals(other.tableId));
    }

    /** Whether {@code running} is what this configured route produces (a null metric or table matches any). */
    public boolean isSatisfiedBy(Route running) {
        return destination.equals(running.destination)
            && nextHopInterface.equals(running.nextHopInterface)
            && Objects.equals(nextHopAddress, running.nextHopAddress)
            && (metric == null || metric.equals(running.metric))
            && (tableId == null || tableId.equals(running.tableId) || tableId == 254 && running.tableId == null);
    }

    /** This route as its {@code state: absent} pattern. */
    public Route asAbsent() {
        return new Route(destination, nextHopInterface, nextHopAddress, metric, tableId, true);
    }

    @Override
    public String toString() {
        return destination + (nextHopAddress == null ? "" : " via " + nextHopAddress) + " dev " + nextHopInterface
            + (metric == null ? "" : " metric " + metric) + (tableId == null ? "" : " table " + tableId);
    }
}
