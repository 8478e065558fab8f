package io.nmstream.ingest.manifest;

import java.util.regex.Pattern;

/** Kubernetes' syntax rules for object names, label keys (qualified names) and label values. */
public final class LabelSyntax {

    /** What a label value may look like, for error messages. */
    public static final String VALUE_RULE = "at most 63 characters of [A-Za-z0-9_.-], starting and ending with a letter or digit, or empty";
    /** What a label key may look like, for error messages. */
    public static final String KEY_RULE = "a qualified name: an optional DNS-subdomain prefix and '/', then at most 63 characters of "
        + "[A-Za-z0-9_.-] starting and ending with a letter or digit";

    private static final Pattern NAME_PART = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private LabelSyntax() {
    }

    /** True for a valid label value (which may be empty). */
    public static boolean isLabelValue(String text) {
        return text.isEmpty() || NAME_PART.matcher(text).matches();
    }

    /** True for a valid label key: {@code [prefix/]name}. */
    public static boolean isQualifiedName(String text) {
        int slash = text.indexOf('/');
        String name = slash < 0 ? text : text.substring(slash + 1);
        if (slash >= 0) {
            String prefix = text.substring(0, slash);
            if (prefix.isEmpty() || prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
                return false;
            }
        }
        return NAME_PART.matcher(name).matches();
    }
}
