package io.nmstream.nmstate;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The interfaces a desired state leaves without the interface they are stacked on, removed with it as nmstate removes
 * them: a VLAN, MAC-VLAN or VXLAN whose base is a virtual interface the state removes. The kernel deletes such a link with
 * its base; its NetworkManager profile would stay behind and bring it back whenever the base returned.
 */
public final class OrphanedInterfaces {

    private OrphanedInterfaces() {
    }

    /**
     * {@code desired} with {@code state: absent} added for each interface of {@code current} stacked on a virtual interface
     * it removes, and not named in it. A removed ethernet or veth keeps what is stacked on it (nmstate: a VLAN may stay on
     * an ethernet that is taken down; whether removing a veth deletes it cannot be told).
     */
    public static NetworkState removedWithTheirBase(NetworkState desired, NetworkState current) {
        Set<String> gone = desired.interfaces().stream().filter(i -> i.effectiveState() == InterfaceState.ABSENT)
            .filter(i -> current.find(i.name()).map(have -> have.type().isVirtual() && have.type() != InterfaceType.VETH).orElse(false))
            .map(InterfaceSpec::name).collect(Collectors.toSet());
        if (gone.isEmpty()) {
            return desired;
        }
        List<InterfaceSpec> interfaces = new ArrayList<>(desired.interfaces());
        for (InterfaceSpec have : current.interfaces()) {
            String base = baseOf(have);
            if (base != null && gone.contains(base) && desired.find(have.name()).isEmpty()) {
                interfaces.add(InterfaceSpec.named(have.name(), have.type(), InterfaceState.ABSENT));
            }
        }
        return desired.withInterfaces(interfaces);
    }

    /** The interface {@code i} is stacked on; null for one that is not stacked. */
    static String baseOf(InterfaceSpec i) {
        if (i.vlan() != null) {
            return i.vlan().baseIface();
        }
        if (i.macVlan() != null) {
            return i.macVlan().baseIface();
        }
        return i.vxlan() == null ? null : i.vxlan().baseIface();
    }
}
