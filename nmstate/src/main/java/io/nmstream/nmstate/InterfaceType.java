package io.nmstream.nmstate;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The kinds of interface nmstream manages, with their names as nmstate documents spell them. {@link #LOOPBACK} and
 * {@link #UNKNOWN} only describe what a host reports; a desired state cannot ask for them.
 */
public enum InterfaceType {
    ETHERNET("ethernet"),
    BOND("bond"),
    VLAN("vlan"),
    LINUX_BRIDGE("linux-bridge"),
    DUMMY("dummy"),
    VETH("veth"),
    VRF("vrf"),
    MAC_VLAN("mac-vlan"),
    VXLAN("vxlan"),
    OVS_BRIDGE("ovs-bridge"),
    OVS_INTERFACE("ovs-interface"),
    LOOPBACK("loopback"),
    UNKNOWN("unknown");

    /** Types nmstate knows that nmstream refuses at ingest, because no node could apply them. */
    public static final List<String> KNOWN_UNSUPPORTED = List.of("team", "infiniband", "mac-vtap", "ipvlan", "macsec", "hsr", "ipsec",
        "xfrm", "loopback", "unknown", "ovs-port", "other", "tun", "veth-peer");

    private final String nmstateName;

    InterfaceType(String nmstateName) {
        this.nmstateName = nmstateName;
    }

    public String nmstateName() {
        return nmstateName;
    }

    /** True for types a desired state may name. */
    public boolean isConfigurable() {
        return this != LOOPBACK && this != UNKNOWN;
    }

    /** True for interfaces that exist only because a profile creates them (no hardware behind them). */
    public boolean isVirtual() {
        return switch (this) {
            case BOND, VLAN, LINUX_BRIDGE, DUMMY, VETH, VRF, MAC_VLAN, VXLAN, OVS_BRIDGE, OVS_INTERFACE -> true;
            default -> false;
        };
    }

    /** True for interfaces that other interfaces can be ports of. */
    public boolean isController() {
        return this == BOND || this == LINUX_BRIDGE || this == VRF || this == OVS_BRIDGE;
    }

    /** The names a desired state may use, in this enum's order. */
    public static List<String> configurableNames() {
        return Arrays.stream(values()).filter(InterfaceType::isConfigurable).map(InterfaceType::nmstateName).toList();
    }

    /** The configurable type named {@code text}, if any. */
    public static Optional<InterfaceType> find(String text) {
        String wanted = text.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(t -> t.isConfigurable() && t.nmstateName.equals(wanted)).findFirst();
    }

    /** The configurable type named {@code text}; throws naming the accepted names otherwise. */
    public static InterfaceType fromNmstate(String text) {
        return find(text).orElseThrow(() -> new IllegalArgumentException(KNOWN_UNSUPPORTED.contains(text)
            ? "interface type " + text + " is not supported by nmstream (supported: " + String.join(", ", configurableNames()) + ")"
            : "'" + text + "' is not an interface type (supported: " + String.join(", ", configurableNames()) + ")"));
    }
}
