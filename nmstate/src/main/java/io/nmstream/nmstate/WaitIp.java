package io.nmstream.nmstate;

import java.util.Arrays;
import java.util.List;

/**
 * nmstate's {@code wait-ip}: which IP families must be configured before NetworkManager counts the interface as
 * activated (its {@code ipv4.may-fail} and {@code ipv6.may-fail}). It decides when the host is "online" at boot and
 * whether an interface whose waited family fails to configure fails with it.
 */
public enum WaitIp {
    /** Either family is enough (NetworkManager's default). */
    ANY("any", false, false),
    /** IPv4 must be configured. */
    IPV4("ipv4", true, false),
    /** IPv6 must be configured. */
    IPV6("ipv6", false, true),
    /** Both families must be configured. */
    IPV4_AND_IPV6("ipv4+ipv6", true, true);

    private final String nmstateName;
    private final boolean waitsForIpv4;
    private final boolean waitsForIpv6;

    WaitIp(String nmstateName, boolean waitsForIpv4, boolean waitsForIpv6) {
        this.nmstateName = nmstateName;
        this.waitsForIpv4 = waitsForIpv4;
        this.waitsForIpv6 = waitsForIpv6;
    }

    public String nmstateName() {
        return nmstateName;
    }

    /** Whether the family must be configured before the interface counts as activated. */
    public boolean waitsFor(boolean ipv6) {
        return ipv6 ? waitsForIpv6 : waitsForIpv4;
    }

    /** The value whose waited families are these (as nmstate reads it back from {@code may-fail}). */
    public static WaitIp of(boolean waitsForIpv4, boolean waitsForIpv6) {
        return waitsForIpv4 ? (waitsForIpv6 ? IPV4_AND_IPV6 : IPV4) : (waitsForIpv6 ? IPV6 : ANY);
    }

    /** nmstate's names, in its order. */
    public static List<String> names() {
        return Arrays.stream(values()).map(WaitIp::nmstateName).toList();
    }

    /** The value nmstate writes as {@code text}; throws when there is none. */
    public static WaitIp fromNmstate(String text) {
        for (WaitIp value : values()) {
            if (value.nmstateName.equals(text)) {
                return value;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a wait-ip value (" + String.join(", ", names()) + ")");
    }
}
