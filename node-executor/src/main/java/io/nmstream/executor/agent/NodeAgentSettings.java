package io.nmstream.executor.agent;

import io.nmstream.common.config.Config;
import io.nmstream.common.config.ConfigException;
import io.nmstream.common.config.Setting;
import io.nmstream.common.labels.LabelSyntax;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The node agent's own settings (the cluster's are in {@code ClusterSettings}), declared once and validated at start-up. */
public final class NodeAgentSettings {

    public static final Setting<String> NODE_NAME = Setting.string("node.name", "",
        "Name of this node, as policies and the inventory know it: an RFC 1123 subdomain, as Kubernetes names nodes; empty for "
            + "the host name in lower case, as kubelet takes it.");
    public static final Setting<String> NODE_LABELS = Setting.string("node.labels", "",
        "Labels of this node, k=v[,k=v...], matched by policies' nodeSelector; added to kubernetes.io/hostname, "
            + "kubernetes.io/os and kubernetes.io/arch, which every node carries as kubelet sets them.");
    public static final Setting<String> BUS_ADDRESS = Setting.string("networkmanager.bus.address", "",
        "D-Bus address of NetworkManager's bus (unix:path=...); empty for the system bus.");
    public static final Setting<Integer> APPLY_ATTEMPTS = Setting.integer("agent.apply.attempts", 5, 1, 100,
        "Attempts at applying one command before it is reported FAILING.");
    public static final Setting<Duration> BACKOFF_INITIAL = Setting.duration("agent.retry.backoff.initial", Duration.ofSeconds(1),
        "Pause after the first failed attempt; it doubles after each further one.");
    public static final Setting<Duration> BACKOFF_MAX = Setting.duration("agent.retry.backoff.max", Duration.ofSeconds(30),
        "Longest pause between two attempts.");
    public static final Setting<Integer> VERIFY_ATTEMPTS = Setting.integer("agent.verify.attempts", 5, 1, 100,
        "Times verification is tried before an apply counts as failed.");
    public static final Setting<Duration> VERIFY_INTERVAL = Setting.duration("agent.verify.interval", Duration.ofSeconds(1),
        "Pause between verification attempts.");
    public static final Setting<Duration> STATE_INTERVAL = Setting.duration("agent.state.interval", Duration.ofSeconds(60),
        "How often the node's state is checked for changes to publish (with +/-10% jitter).");
    public static final Setting<String> STATE_DIR = Setting.string("agent.state.dir", "/var/lib/nmstream",
        "Directory where the agent remembers which policy generations it applied; empty to remember nothing across restarts.");
    public static final Setting<String> PAUSE_BEFORE_COMMIT = Setting.string("agent.fault.pause-before-commit", "",
        "Fault injection for crash tests only: when set to a file path, every apply creates that file once verified and waits "
            + "before committing until the file is deleted. Empty in production.");

    public static final List<Setting<?>> ALL = List.of(NODE_NAME, NODE_LABELS, BUS_ADDRESS, APPLY_ATTEMPTS, BACKOFF_INITIAL, BACKOFF_MAX,
        VERIFY_ATTEMPTS, VERIFY_INTERVAL, STATE_INTERVAL, STATE_DIR, PAUSE_BEFORE_COMMIT);

    private final Config config;

    public NodeAgentSettings(Config config) {
        config.validate(ALL);
        this.config = config;
        if (!config.get(NODE_NAME).isEmpty()) {
            nodeName();
        }
        parseLabels(config.get(NODE_LABELS));
    }

    public Config config() {
        return config;
    }

    /**
     * The node name: the setting, or this host's name in lower case (host names are case-insensitive; kubelet lower-cases
     * it too). Either must be a name Kubernetes accepts for a node: the status of the node's enactments and network
     * state is written back under it.
     */
    public String nodeName() {
        String name = config.get(NODE_NAME);
        if (!name.isEmpty()) {
            return requireNodeName(name, "Setting 'node.name' has value '" + name + "'");
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
        } catch (UnknownHostException e) {
            throw new ConfigException("Setting 'node.name' (environment variable " + NODE_NAME.envVar()
                + ") is empty and the host name cannot be read: " + e.getMessage());
        }
        return requireNodeName(host, "Setting 'node.name' (environment variable " + NODE_NAME.envVar() + ") is empty and the host name '"
            + host + "' cannot name a node");
    }

    private static String requireNodeName(String name, String problem) {
        if (!LabelSyntax.isNodeName(name)) {
            throw new ConfigException(problem + ": a node name must be " + LabelSyntax.NAME_RULE);
        }
        return name;
    }

    /** The labels this node registers with: kubelet's well-known ones ({@link NodeLabels}), then {@code node.labels}. */
    public Map<String, String> labels() {
        return NodeLabels.of(nodeName(), parseLabels(config.get(NODE_LABELS)));
    }

    /**
     * "k=v,k2=v2" into a map; fails naming the entry that has no '=', or whose key or value Kubernetes would refuse (a
     * nodeSelector could never match it).
     */
    public static Map<String, String> parseLabels(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String entry : text.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("Setting 'node.labels' has entry '" + entry.trim()
                    + "': labels are written key=value");
            }
            String key = entry.substring(0, eq).trim();
            String value = entry.substring(eq + 1).trim();
            if (!LabelSyntax.isQualifiedName(key)) {
                throw new ConfigException("Setting 'node.labels' has key '" + key + "': a label key must be " + LabelSyntax.KEY_RULE);
            }
            if (!LabelSyntax.isLabelValue(value)) {
                throw new ConfigException("Setting 'node.labels' has value '" + value + "' for '" + key + "': a label value must be "
                    + LabelSyntax.VALUE_RULE);
            }
            out.put(key, value);
        }
        return out;
    }

    public <T> T get(Setting<T> setting) {
        return config.get(setting);
    }
}
