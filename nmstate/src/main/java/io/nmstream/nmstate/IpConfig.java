package io.nmstream.nmstate;

import java.util.List;

/**
 * The {@code ipv4} or {@code ipv6} block of an interface. Every field is optional: null means the document did not
 * mention it, and an apply leaves it as it is (nmstate's merge semantics).
 *
 * @param enabled false turns the family off
 * @param dhcp address from DHCP
 * @param autoconf IPv6 router advertisements (SLAAC); always null for IPv4
 * @param addresses static addresses; an empty list removes every static address
 * @param autoDns use name servers learnt from DHCP or RA
 * @param autoRoutes use routes learnt from DHCP or RA
 * @param autoGateway use the default gateway learnt from DHCP or RA
 * @param autoRouteMetric the metric of the routes learnt from DHCP or RA
 * @param autoRouteTableId the route table the routes learnt from DHCP or RA go to (a route rule sends traffic there)
 * @param dhcpClientId IPv4 only: the DHCP client identifier, {@code ll} (from the MAC address), {@code iaid+duid}, or
 *     hexadecimal bytes
 * @param dhcpDuid IPv6 only: the DHCPv6 DUID, {@code ll}, {@code llt}, or hexadecimal bytes
 * @param addrGenMode IPv6 only: how the link-local and autoconf addresses are made, {@code eui64} (from the MAC address)
 *     or {@code stable-privacy}
 * @param dhcpSendHostname whether the DHCP client sends a host name (NetworkManager's default: yes)
 * @param dhcpCustomHostname the host name the DHCP client sends instead of the host's (for IPv4 one with a dot goes as an FQDN,
 *     RFC 4702's option 81); an empty one goes back to the host's name
 * @param allowExtraAddress how verification treats addresses the host has beyond the desired ones: unless false (nmstate's
 *     default), it accepts them (a VIP that keepalived adds, say); false requires exactly the desired addresses. A desired
 *     state only: a host never reports it
 * @param token IPv6 only: the interface identifier of the autoconf address (RFC 7136's last 64 bits, written as an IPv6
 *     address whose first 64 bits are zero, {@code ::1234}); {@code ::} removes it
 */
public record IpConfig(Boolean enabled, Boolean dhcp, Boolean autoconf, List<IpAddress> addresses, Boolean autoDns,
                       Boolean autoRoutes, Boolean autoGateway, Long autoRouteMetric, Long autoRouteTableId, String dhcpClientId,
                       String dhcpDuid, String addrGenMode, Boolean dhcpSendHostname, String dhcpCustomHostname,
                       Boolean allowExtraAddress, String token) {

    public IpConfig {
        addresses = addresses == null ? null : List.copyOf(addresses);
    }

    /** A block that does not mention the DHCP client's identity or host name, route metric or address generation. */
    public IpConfig(Boolean enabled, Boolean dhcp, Boolean autoconf, List<IpAddress> addresses, Boolean autoDns, Boolean autoRoutes,
                    Boolean autoGateway) {
        this(enabled, dhcp, autoconf, addresses, autoDns, autoRoutes, autoGateway, null, null, null, null, null, null, null, null, null);
    }

    /** A family turned off. */
    public static IpConfig disabled() {
        return new IpConfig(false, null, null, null, null, null, null);
    }

    /** Static addresses only, no DHCP or autoconf. */
    public static IpConfig staticAddresses(boolean ipv6, List<IpAddress> addresses) {
        return new IpConfig(true, false, ipv6 ? false : null, addresses, null, null, null);
    }

    /** True when the family is on (an absent {@code enabled} with addresses or DHCP counts as on). */
    public boolean isEnabled() {
        if (enabled != null) {
            return enabled;
        }
        return Boolean.TRUE.equals(dhcp) || Boolean.TRUE.equals(autoconf) || addresses != null && !addresses.isEmpty();
    }

    /**
     * True when the family is on but has neither an address nor DHCP or autoconf. An IPv4 stack like that is off on the
     * host (NetworkManager's {@code ipv4.method} is {@code disabled}, as nmstate sets it); IPv6 still has its link-local
     * address.
     */
    public boolean hasNothingToConfigure() {
        return isEnabled() && !isDynamic() && (addresses == null || addresses.isEmpty());
    }

    public boolean isDynamic() {
        return Boolean.TRUE.equals(dhcp) || Boolean.TRUE.equals(autoconf);
    }

    /** This block with the fields {@code update} sets replacing this block's. */
    public IpConfig overlay(IpConfig update) {
        if (update == null) {
            return this;
        }
        return new IpConfig(pick(update.enabled, enabled), pick(update.dhcp, dhcp), pick(update.autoconf, autoconf),
            pick(update.addresses, addresses), pick(update.autoDns, autoDns), pick(update.autoRoutes, autoRoutes),
            pick(update.autoGateway, autoGateway), pick(update.autoRouteMetric, autoRouteMetric),
            pick(update.autoRouteTableId, autoRouteTableId), pick(update.dhcpClientId, dhcpClientId),
            pick(update.dhcpDuid, dhcpDuid), pick(update.addrGenMode, addrGenMode), pick(update.dhcpSendHostname, dhcpSendHostname),
            pick(update.dhcpCustomHostname, dhcpCustomHostname), pick(update.allowExtraAddress, allowExtraAddress),
            pick(update.token, token));
    }

    /** This block with {@code dhcpSendHostname} instead of its own. */
    public IpConfig withDhcpSendHostname(Boolean send) {
        return new IpConfig(enabled, dhcp, autoconf, addresses, autoDns, autoRoutes, autoGateway, autoRouteMetric, autoRouteTableId,
            dhcpClientId, dhcpDuid, addrGenMode, send, dhcpCustomHostname, allowExtraAddress, token);
    }

    public static <T> T pick(T update, T current) {
        return update != null ? update : current;
    }
}
