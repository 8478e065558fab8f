package io.nmstream.common.status;

import io.nmstream.schemas.avro.ResourceKind;
import java.util.Locale;

/**
 * The kubernetes-nmstate resource kinds nmstream projects, with their API group, served version, plural and short name
 * (the CRDs shipped in {@code crds/} declare the same).
 */
public enum NmstateKind {
    NNCP(ResourceKind.NNCP, "NodeNetworkConfigurationPolicy", "v1", "nodenetworkconfigurationpolicies"),
    NNCE(ResourceKind.NNCE, "NodeNetworkConfigurationEnactment", "v1beta1", "nodenetworkconfigurationenactments"),
    NNS(ResourceKind.NNS, "NodeNetworkState", "v1beta1", "nodenetworkstates");

    /** API group of every kind. */
    public static final String GROUP = "nmstate.io";

    private final ResourceKind resourceKind;
    private final String kind;
    private final String version;
    private final String plural;

    NmstateKind(ResourceKind resourceKind, String kind, String version, String plural) {
        this.resourceKind = resourceKind;
        this.kind = kind;
        this.version = version;
        this.plural = plural;
    }

    public static NmstateKind of(ResourceKind resourceKind) {
        for (NmstateKind k : values()) {
            if (k.resourceKind == resourceKind) {
                return k;
            }
        }
        throw new IllegalArgumentException("No kubernetes-nmstate kind for " + resourceKind);
    }

    /**
     * The kind a user names on the command line: a short name ({@code nncp}), the singular or plural resource name, or the
     * kind, in any case, each also qualified with the group as kubectl accepts it ({@code nncp.nmstate.io}, and
     * {@code nodenetworkconfigurationpolicy.nmstate.io} as {@code kubectl get -o name} prints it); and {@code policy},
     * as nmstream's own messages name a policy ({@code policy/br1 created}).
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static NmstateKind parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("." + GROUP)) {
            t = t.substring(0, t.length() - GROUP.length() - 1);
        }
        if (t.equals("policy") || t.equals("policies")) {
            return NNCP;
        }
        for (NmstateKind k : values()) {
            if (t.equals(k.shortName()) || t.equals(k.plural) || t.equals(k.kind.toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new IllegalArgumentException("Unknown resource type '" + text + "': expected nncp, nnce or nns");
    }

    /**
     * A resource named {@code TYPE/NAME} on the command line, as kubectl takes it: {@code nncp/br1}, what {@code -o name}
     * prints, or what nmstream's messages print ({@code policy/br1}).
     *
     * @throws IllegalArgumentException naming the value, when it has no slash, an empty name or an unknown type
     */
    public static Reference reference(String text) {
        int slash = text.indexOf('/');
        if (slash < 0 || slash == text.length() - 1) {
            throw new IllegalArgumentException("Invalid resource '" + text + "': expected TYPE/NAME, e.g. nncp/NAME");
        }
        return new Reference(parse(text.substring(0, slash)), text.substring(slash + 1));
    }

    /**
     * The name of the policy a user names: its name, or {@code TYPE/NAME} of a policy as {@link #reference} takes it, so
     * that what {@code get nncp -o name} and {@code policy apply} print can be passed back.
     *
     * @throws IllegalArgumentException naming the value, when it names another kind or has no name
     */
    public static String policyName(String text) {
        return text.indexOf('/') < 0 ? text : policyReferenceName(text, "NAME or nncp/NAME");
    }

    /**
     * The name of the policy {@code TYPE/NAME} names, where a command takes only that form, as {@code kubectl wait}
     * does.
     *
     * @throws IllegalArgumentException naming the value, when it has no type, names another kind or has no name
     */
    public static String policyReference(String text) {
        return policyReferenceName(text, "nncp/NAME");
    }

    private static String policyReferenceName(String text, String expected) {
        Reference reference;
        try {
            reference = reference(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid resource '" + text + "': expected " + expected, e);
        }
        if (reference.kind() != NNCP) {
            throw new IllegalArgumentException("'" + text + "' is a " + reference.kind().kind + ", not a policy: expected " + expected);
        }
        return reference.name();
    }

    /** A resource of a kind, by name. */
    public record Reference(NmstateKind kind, String name) {
    }

    public ResourceKind resourceKind() {
        return resourceKind;
    }

    /** The Kubernetes kind, e.g. {@code NodeNetworkConfigurationPolicy}. */
    public String kind() {
        return kind;
    }

    public String version() {
        return version;
    }

    public String apiVersion() {
        return GROUP + "/" + version;
    }

    public String plural() {
        return plural;
    }

    public String shortName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * A resource of this kind as kubectl names it in {@code -o name} output and in what {@code wait}, {@code apply} and
     * {@code delete} print: {@code nodenetworkconfigurationpolicy.nmstate.io/br1}.
     */
    public String objectName(String name) {
        return kind.toLowerCase(Locale.ROOT) + "." + GROUP + "/" + name;
    }

    /**
     * A resource of this kind as kubectl names it in what {@code delete} prints, before "deleted":
     * {@code nodenetworkconfigurationpolicy.nmstate.io "br1"}.
     */
    public String quotedName(String name) {
        return kind.toLowerCase(Locale.ROOT) + "." + GROUP + " \"" + name + "\"";
    }

    /**
     * What kubectl says of a resource of this kind that does not exist, word for word, so that a script written against
     * kubectl's answer ({@code grep NotFound}) reads nmstream's too.
     */
    public String notFound(String name) {
        return "Error from server (NotFound): " + missing(name);
    }

    /**
     * What the Kubernetes API server answers for a resource of this kind that does not exist (the message of its 404):
     * {@code nodenetworkconfigurationpolicies.nmstate.io "br1" not found}.
     */
    public String missing(String name) {
        return plural + "." + GROUP + " \"" + name + "\" not found";
    }
}
