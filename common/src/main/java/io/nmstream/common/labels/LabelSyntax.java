package io.nmstream.common.labels;

import java.util.regex.Pattern;

/**
 * Kubernetes' syntax rules for object names (RFC 1123 subdomains, as the API server requires of an NNCP's
 * {@code metadata.name}), label keys (qualified names) and label values.
 */
public final class LabelSyntax {

    /** The longest DNS subdomain: an object name, or the prefix of a label key. */
    public static final int MAX_SUBDOMAIN = 253;
    /** What a policy name may look like, for error messages. */
    public static final String NAME_RULE = "an RFC 1123 subdomain: at most " + MAX_SUBDOMAIN + " characters of lower-case letters, "
        + "digits, '-' and '.', starting and ending with a letter or digit";
    /** What a label value may look like, for error messages. */
    public static final String VALUE_RULE = "at most 63 characters of [A-Za-z0-9_.-], starting and ending with a letter or digit, or empty";
    /** What a label key may look like, for error messages. */
    public static final String KEY_RULE = "a qualified name: an optional DNS-subdomain prefix of at most " + MAX_SUBDOMAIN
        + " characters and '/', then at most 63 characters of [A-Za-z0-9_.-] starting and ending with a letter or digit";

    private static final Pattern NAME_PART = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private LabelSyntax() {
    }

    /** True for an RFC 1123 subdomain, as Kubernetes validates object names. */
    public static boolean isPolicyName(String text) {
        return isDnsSubdomain(text);
    }

    /** True for a name Kubernetes accepts for a node: an RFC 1123 subdomain, as for a policy ({@link #NAME_RULE}). */
    public static boolean isNodeName(String text) {
        return isDnsSubdomain(text);
    }

    /**
     * True for a name that may refer to a published policy: a policy name, or a non-empty label value, as policy names
     * were validated before they had to be subdomains (so that such policies can still be read and deleted).
     */
    public static boolean isPolicyReference(String text) {
        return isPolicyName(text) || !text.isEmpty() && isLabelValue(text);
    }

    /** True for a valid label value (which may be empty). */
    public static boolean isLabelValue(String text) {
        return text.isEmpty() || NAME_PART.matcher(text).matches();
    }

    /** True for a valid label key: {@code [prefix/]name}. */
    public static boolean isQualifiedName(String text) {
        int slash = text.indexOf('/');
        String name = slash < 0 ? text : text.substring(slash + 1);
        if (slash >= 0 && !isDnsSubdomain(text.substring(0, slash))) {
            return false;
        }
        return NAME_PART.matcher(name).matches();
    }

    private static boolean isDnsSubdomain(String text) {
        return !text.isEmpty() && text.length() <= MAX_SUBDOMAIN && DNS_SUBDOMAIN.matcher(text).matches();
    }
}
