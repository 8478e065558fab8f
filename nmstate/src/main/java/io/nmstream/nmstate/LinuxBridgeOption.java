package io.nmstream.nmstate;

import java.util.List;

/**
 * The linux-bridge {@code options} beyond STP, ageing and snooping: the group address and its forwarding mask, and multicast
 * (IGMP/MLD snooping) tuning. Each has the kernel's default, which is what a bridge has when no
 * profile says otherwise; intervals are in hundredths of a second, as the kernel and nmstate count them.
 */
public enum LinuxBridgeOption {
    GROUP_ADDR("group-addr", Kind.GROUP_ADDRESS, "01:80:C2:00:00:00", null),
    GROUP_FORWARD_MASK("group-forward-mask", Kind.NUMBER, 0L, 65535L),
    HASH_MAX("hash-max", Kind.NUMBER, 4096L, 4294967295L),
    MULTICAST_LAST_MEMBER_COUNT("multicast-last-member-count", Kind.NUMBER, 2L, 4294967295L),
    MULTICAST_LAST_MEMBER_INTERVAL("multicast-last-member-interval", Kind.NUMBER, 100L, Long.MAX_VALUE),
    MULTICAST_MEMBERSHIP_INTERVAL("multicast-membership-interval", Kind.NUMBER, 26000L, Long.MAX_VALUE),
    MULTICAST_QUERIER("multicast-querier", Kind.FLAG, false, null),
    MULTICAST_QUERIER_INTERVAL("multicast-querier-interval", Kind.NUMBER, 25500L, Long.MAX_VALUE),
    MULTICAST_QUERY_INTERVAL("multicast-query-interval", Kind.NUMBER, 12500L, Long.MAX_VALUE),
    MULTICAST_QUERY_RESPONSE_INTERVAL("multicast-query-response-interval", Kind.NUMBER, 1000L, Long.MAX_VALUE),
    MULTICAST_QUERY_USE_IFADDR("multicast-query-use-ifaddr", Kind.FLAG, false, null),
    MULTICAST_ROUTER("multicast-router", Kind.CHOICE, "auto", null),
    MULTICAST_STARTUP_QUERY_COUNT("multicast-startup-query-count", Kind.NUMBER, 2L, 4294967295L),
    MULTICAST_STARTUP_QUERY_INTERVAL("multicast-startup-query-interval", Kind.NUMBER, 3125L, Long.MAX_VALUE);

    /** What values an option takes. */
    public enum Kind {
        /** A whole number from 0 up to the option's maximum. */
        NUMBER,
        /** True or false. */
        FLAG,
        /** One of the option's {@link #choices()}. */
        CHOICE,
        /** A link-local group MAC address, 01:80:C2:00:00:00 to 01:80:C2:00:00:0F. */
        GROUP_ADDRESS
    }

    /** nmstate's {@code multicast-router} values, in the order of the numbers it also takes (0, 1, 2). */
    public static final List<String> MULTICAST_ROUTERS = List.of("disabled", "auto", "enabled");

    private final String nmstateName;
    private final Kind kind;
    private final Object kernelDefault;
    private final Long max;

    LinuxBridgeOption(String nmstateName, Kind kind, Object kernelDefault, Long max) {
        this.nmstateName = nmstateName;
        this.kind = kind;
        this.kernelDefault = kernelDefault;
        this.max = max;
    }

    public String nmstateName() {
        return nmstateName;
    }

    public Kind kind() {
        return kind;
    }

    /** The value a bridge has when nothing sets it: a Long, Boolean or String, as the option's kind holds it. */
    public Object kernelDefault() {
        return kernelDefault;
    }

    /** The largest number a {@link Kind#NUMBER} option takes. */
    public long max() {
        return max;
    }

    /** The values a {@link Kind#CHOICE} option takes, as nmstate writes them. */
    public List<String> choices() {
        return this == MULTICAST_ROUTER ? MULTICAST_ROUTERS : List.of();
    }

    /** The names of every option, in nmstate's order. */
    public static List<String> names() {
        return java.util.Arrays.stream(values()).map(LinuxBridgeOption::nmstateName).toList();
    }
}
