package io.nmstream.executor.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The kinds of interface nmstream manages, with their names as nmstate documents spell them. */
public enum InterfaceType {
    ETHERNET("ethernet"),
    BOND("bond"),
    VLAN("vlan"),
    LINUX_BRIDGE("linux-bridge"),
    DUMMY("dummy"),
    VETH("veth"),
    LOOPBACK("loopback"),
    UNKNOWN("unknown");

    private final String nmstateName;

    InterfaceType(String nmstateName) {
        this.nmstateName = nmstateName;
    }

    public String nmstateName() {
        return nmstateName;
    }

    /** True for interfaces that exist only because a profile creates them (the kernel has no hardware behind them). */
    public boolean isVirtual() {
        return this == BOND || this == VLAN || this == LINUX_BRIDGE || this == DUMMY;
    }

    /** True for interfaces that other interfaces can be ports of. */
    public boolean isController() {
        return this == BOND || this == LINUX_BRIDGE;
    }

    /** The type named {@code text} in an nmstate document; throws naming the accepted names otherwise. */
    public static InterfaceType fromNmstate(String text) {
        String wanted = text.trim().toLowerCase(Locale.ROOT);
        for (InterfaceType type : values()) {
            if (type != UNKNOWN && type.nmstateName.equals(wanted)) {
                return type;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a supported interface type (supported: "
            + Arrays.stream(values()).filter(t -> t != UNKNOWN && t != LOOPBACK).map(InterfaceType::nmstateName)
                .collect(Collectors.joining(", ")) + ")");
    }
}
