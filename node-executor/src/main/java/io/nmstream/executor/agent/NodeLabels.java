package io.nmstream.executor.agent;

import io.nmstream.common.labels.LabelSyntax;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The labels a node registers with: the well-known ones kubelet puts on every Kubernetes node
 * ({@code kubernetes.io/hostname}, {@code kubernetes.io/os}, {@code kubernetes.io/arch}), so that a policy selecting one
 * node by {@code kubernetes.io/hostname}, as kubernetes-nmstate's guides do, matches an nmstream node too; then the
 * node's own labels, which win.
 */
public final class NodeLabels {

    public static final String HOSTNAME = "kubernetes.io/hostname";
    public static final String OS = "kubernetes.io/os";
    public static final String ARCH = "kubernetes.io/arch";

    private NodeLabels() {
    }

    /**
     * The well-known labels of node {@code name} on this machine, overlaid with {@code own}. The hostname label is the
     * name in lower case, as kubelet writes it, and is left out when that is no valid label value (longer than 63
     * characters): such a node is selected by its own labels only.
     */
    public static Map<String, String> of(String name, Map<String, String> own) {
        Map<String, String> labels = new LinkedHashMap<>();
        String hostname = name.toLowerCase(Locale.ROOT);
        if (!hostname.isEmpty() && LabelSyntax.isLabelValue(hostname)) {
            labels.put(HOSTNAME, hostname);
        }
        labels.put(OS, "linux");
        labels.put(ARCH, goArch(System.getProperty("os.arch", "")));
        labels.putAll(own);
        return labels;
    }

    /** The JVM's architecture name as Go (and so kubelet) spells it: amd64, arm64, ppc64le, s390x. */
    static String goArch(String jvmArch) {
        return switch (jvmArch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i686" -> "386";
            default -> jvmArch;
        };
    }
}
