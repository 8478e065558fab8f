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
 */
public record IpConfig(Boolean enabled, Boolean dhcp, Boolean autoconf, List<IpAddress> addresses, Boolean autoDns,
                       Boolean autoRoutes, Boolean autoGateway) {

    public IpConfig {
        addresses = addresses == null ? null : List.copyOf(addresses);
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
            pick(update.autoGateway, autoGateway));
    }

    public static <T> T pick(T update, T current) {
        return update != null ? update : current;
    }
}
