package io.nmstream.nmstate;

import java.util.ArrayList;
import java.util.List;

/**
 * The addresses DHCP or autoconf gave an interface, kept as static addresses when a desired state turns DHCP and autoconf
 * off without giving addresses, as nmstate keeps them ("when DHCP switches from on to off, dynamic addresses go static"):
 * the interface keeps the address it is reached at rather than losing IPv4 or IPv6.
 */
public final class DynamicAddresses {

    private DynamicAddresses() {
    }

    /** {@code desired} with the dynamic addresses of {@code current} given to each family it turns from dynamic to static. */
    public static NetworkState keptAsStatic(NetworkState desired, NetworkState current) {
        List<InterfaceSpec> interfaces = new ArrayList<>(desired.interfaces().size());
        boolean changed = false;
        for (InterfaceSpec want : desired.interfaces()) {
            InterfaceSpec have = current.find(want.name()).orElse(null);
            InterfaceSpec kept = want;
            if (have != null && want.effectiveState() == InterfaceState.UP) {
                kept = want.withIp(kept(want.ipv4(), have.ipv4()), kept(want.ipv6(), have.ipv6()));
                changed |= !kept.equals(want);
            }
            interfaces.add(kept);
        }
        return changed ? desired.withInterfaces(interfaces) : desired;
    }

    private static IpConfig kept(IpConfig want, IpConfig have) {
        if (want == null || have == null || !have.isEnabled() || !have.isDynamic()) {
            return want;
        }
        List<IpAddress> leased = have.addresses() == null ? List.of() : have.addresses().stream().filter(a -> !a.isLinkLocal()).toList();
        IpConfig after = have.overlay(want);
        boolean givesNone = want.addresses() == null || want.addresses().isEmpty();
        if (leased.isEmpty() || !givesNone || !after.isEnabled() || after.isDynamic()) {
            return want;
        }
        return want.overlay(new IpConfig(null, null, null, leased, null, null, null));
    }
}
