package io.nmstream.nmstate;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An IP address with its prefix length, as nmstate's {@code ip} and {@code prefix-length} give it.
 *
 * @param ip the address in canonical text form (IPv6 compressed, lower case)
 * @param prefixLength bits of the network part
 */
public record IpAddress(String ip, int prefixLength) {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    public IpAddress {
        ip = canonical(ip);
        int max = isIpv6(ip) ? 128 : 32;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " of " + ip + " must be between 0 and " + max);
        }
    }

    /** True when {@code ip} is an IPv6 address. */
    public static boolean isIpv6(String ip) {
        return ip.contains(":");
    }

    public boolean isIpv6() {
        return isIpv6(ip);
    }

    /** IPv6 link-local addresses (fe80::/10), which the kernel adds by itself and nmstate leaves out of comparisons. */
    public boolean isLinkLocal() {
        return isIpv6() && (ip.startsWith("fe8") || ip.startsWith("fe9") || ip.startsWith("fea") || ip.startsWith("feb"));
    }

    /** The address in canonical text; rejects anything that is not an IPv4 or IPv6 literal (never resolves names). */
    public static String canonical(String text) {
        String t = text.trim();
        if (!IPV4.matcher(t).matches() && !IPV6.matcher(t).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address");
        }
        try {
            // a literal: InetAddress parses it without any lookup
            String host = InetAddress.getByName(t).getHostAddress().toLowerCase(Locale.ROOT);
            return isIpv6(host) ? compress(host) : host;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address");
        }
    }

    /** "10.0.0.0/8" into an address and prefix; a bare address gets the full prefix. */
    public static IpAddress parseCidr(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            String ip = canonical(text);
            return new IpAddress(ip, isIpv6(ip) ? 128 : 32);
        }
        int prefix;
        try {
            prefix = Integer.parseInt(text.substring(slash + 1).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' does not end with a prefix length");
        }
        return new IpAddress(text.substring(0, slash), prefix);
    }

    @Override
    public String toString() {
        return ip + "/" + prefixLength;
    }

    private static String compress(String full) {
        // InetAddress prints 0:0:0:0:0:0:0:1; collapse the longest run of zero groups as RFC 5952 does
        String[] groups = full.split(":");
        int bestStart = -1;
        int bestLength = 0;
        for (int i = 0; i < groups.length; i++) {
            groups[i] = groups[i].replaceFirst("^0+(?=.)", "");
        }
        for (int i = 0; i < groups.length; i++) {
            int j = i;
            while (j < groups.length && groups[j].equals("0")) {
                j++;
            }
            if (j - i > bestLength && j - i > 1) {
                bestStart = i;
                bestLength = j - i;
            }
        }
        if (bestStart < 0) {
            return String.join(":", groups);
        }
        String head = String.join(":", Arrays.copyOfRange(groups, 0, bestStart));
        String tail = String.join(":", Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
        return head + "::" + tail;
    }
}
