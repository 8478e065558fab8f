package io.nmstream.nmstate;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An IP address with its prefix length, as nmstate's {@code ip} and {@code prefix-length} give it; also the one parser of
 * IP literals and CIDR networks, which never touches DNS and writes addresses canonically (IPv4 dotted quad; IPv6 lower
 * case and compressed as RFC 5952 says), so that {@code 2001:DB8:0:0::1} and {@code 2001:db8::1} are the same address.
 *
 * @param ip the address in canonical text form (IPv6 compressed, lower case)
 * @param prefixLength bits of the network part
 */
public record IpAddress(String ip, int prefixLength) {

    private static final Pattern IPV4 = Pattern.compile(
        "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_GROUP = Pattern.compile("[0-9a-fA-F]{1,4}");
    private static final Pattern PREFIX = Pattern.compile("\\d{1,3}");

    public IpAddress {
        ip = canonical(ip);
        int max = maxPrefix(ip);
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

    /** 32 for an IPv4 address, 128 for an IPv6 one. */
    public static int maxPrefix(String ip) {
        return isIpv6(ip) ? 128 : 32;
    }

    /** IPv6 link-local addresses (fe80::/10), which the kernel adds by itself and nmstate leaves out of comparisons. */
    public boolean isLinkLocal() {
        return isIpv6() && (ip.startsWith("fe8") || ip.startsWith("fe9") || ip.startsWith("fea") || ip.startsWith("feb"));
    }

    /** The canonical text of an IPv4 or IPv6 literal; empty for anything else (names are never resolved). */
    public static Optional<String> parseLiteral(String text) {
        if (IPV4.matcher(text).matches()) {
            return Optional.of(text);
        }
        int[] groups = parseIpv6(text);
        return groups == null ? Optional.empty() : Optional.of(formatIpv6(groups));
    }

    /**
     * The canonical text of an IPv6 interface identifier written as an address whose first 64 bits are zero
     * ({@code ::1234}, {@code ::0.0.250.193}), as IPv6 tokens are written; empty for anything else.
     */
    public static Optional<String> parseInterfaceIdentifier(String text) {
        int[] groups = parseIpv6(text);
        if (groups == null || groups[0] != 0 || groups[1] != 0 || groups[2] != 0 || groups[3] != 0) {
            return Optional.empty();
        }
        return Optional.of(formatIpv6(groups));
    }

    /** The address in canonical text; rejects anything that is not an IPv4 or IPv6 literal (never resolves names). */
    public static String canonical(String text) {
        return parseLiteral(text.trim()).orElseThrow(() -> new IllegalArgumentException("'" + text + "' is not an IP address"));
    }

    /**
     * The canonical text of a network written {@code address/prefix-length}; empty when it is not a literal address with a
     * prefix that fits its family. The address part is kept as written (host bits are not cleared), as nmstate keeps it.
     */
    public static Optional<String> parseCidrLiteral(String text) {
        int slash = text.indexOf('/');
        if (slash < 0 || !PREFIX.matcher(text.substring(slash + 1)).matches()) {
            return Optional.empty();
        }
        Optional<String> address = parseLiteral(text.substring(0, slash));
        int prefix = Integer.parseInt(text.substring(slash + 1));
        if (address.isEmpty() || prefix > maxPrefix(address.get())) {
            return Optional.empty();
        }
        return Optional.of(address.get() + "/" + prefix);
    }

    /** "10.0.0.0/8" into an address and prefix; a bare address gets the full prefix. */
    public static IpAddress parseCidr(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            String ip = canonical(text);
            return new IpAddress(ip, maxPrefix(ip));
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

    private static int[] parseIpv6(String text) {
        if (text.isEmpty() || !text.contains(":")) {
            return null;
        }
        String body = text;
        int[] embeddedIpv4 = null;
        int lastColon = body.lastIndexOf(':');
        String tail = body.substring(lastColon + 1);
        if (tail.contains(".")) {
            if (!IPV4.matcher(tail).matches()) {
                return null;
            }
            String[] octets = tail.split("\\.");
            embeddedIpv4 = new int[] {Integer.parseInt(octets[0]) << 8 | Integer.parseInt(octets[1]),
                Integer.parseInt(octets[2]) << 8 | Integer.parseInt(octets[3])};
            body = body.substring(0, lastColon + 1) + "0:0";
        }
        int doubleColon = body.indexOf("::");
        if (doubleColon >= 0 && body.indexOf("::", doubleColon + 1) >= 0) {
            return null;
        }
        String[] head;
        String[] rest;
        if (doubleColon >= 0) {
            String left = body.substring(0, doubleColon);
            String right = body.substring(doubleColon + 2);
            head = left.isEmpty() ? new String[0] : left.split(":", -1);
            rest = right.isEmpty() ? new String[0] : right.split(":", -1);
            if (head.length + rest.length > 7) {
                return null;
            }
        } else {
            head = body.split(":", -1);
            rest = new String[0];
            if (head.length != 8) {
                return null;
            }
        }
        int[] groups = new int[8];
        for (int i = 0; i < head.length; i++) {
            if (!IPV6_GROUP.matcher(head[i]).matches()) {
                return null;
            }
            groups[i] = Integer.parseInt(head[i], 16);
        }
        for (int i = 0; i < rest.length; i++) {
            if (!IPV6_GROUP.matcher(rest[i]).matches()) {
                return null;
            }
            groups[8 - rest.length + i] = Integer.parseInt(rest[i], 16);
        }
        if (embeddedIpv4 != null) {
            groups[6] = embeddedIpv4[0];
            groups[7] = embeddedIpv4[1];
        }
        return groups;
    }

    /** RFC 5952: lower case, no leading zeros, the longest run (first on ties) of two or more zero groups as {@code ::}. */
    private static String formatIpv6(int[] groups) {
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = Math.max(i, j);
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]).toLowerCase(Locale.ROOT));
        }
        return out.toString();
    }
}
