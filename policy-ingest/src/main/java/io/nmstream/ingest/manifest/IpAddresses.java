package io.nmstream.ingest.manifest;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Parses and normalises IPv4 and IPv6 addresses and CIDR prefixes without ever touching DNS, so that
 * {@code 2001:DB8:0:0::1} and {@code 2001:db8::1} canonicalise to the same text.
 */
public final class IpAddresses {

    private static final Pattern IPV4 = Pattern.compile(
        "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_GROUP = Pattern.compile("[0-9a-fA-F]{1,4}");

    /** Address family of a parsed address. */
    public enum Family {
        IPV4(32), IPV6(128);

        private final int maxPrefix;

        Family(int maxPrefix) {
            this.maxPrefix = maxPrefix;
        }

        public int maxPrefix() {
            return maxPrefix;
        }
    }

    /** A parsed address: its family and canonical text (dotted quad, or RFC 5952 compressed lower-case IPv6). */
    public record Address(Family family, String canonical) {
    }

    private IpAddresses() {
    }

    /** The address, or empty when {@code text} is neither a literal IPv4 nor IPv6 address. */
    public static Optional<Address> parse(String text) {
        if (IPV4.matcher(text).matches()) {
            return Optional.of(new Address(Family.IPV4, text));
        }
        int[] groups = parseIpv6(text);
        return groups == null ? Optional.empty() : Optional.of(new Address(Family.IPV6, formatIpv6(groups)));
    }

    /** The canonical text of {@code address/prefix}, or empty when it is not a CIDR of a literal address and a fitting prefix. */
    public static Optional<String> canonicalCidr(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            return Optional.empty();
        }
        Optional<Address> address = parse(text.substring(0, slash));
        String prefixText = text.substring(slash + 1);
        if (address.isEmpty() || !prefixText.matches("\\d{1,3}")) {
            return Optional.empty();
        }
        int prefix = Integer.parseInt(prefixText);
        if (prefix > address.get().family().maxPrefix()) {
            return Optional.empty();
        }
        return Optional.of(address.get().canonical() + "/" + prefix);
    }

    /** The family of a CIDR's address part; call only on text {@link #canonicalCidr} accepted. */
    public static Family cidrFamily(String cidr) {
        return parse(cidr.substring(0, cidr.indexOf('/'))).orElseThrow().family();
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
