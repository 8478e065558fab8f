package io.nmstream.status.kubernetes;

import io.nmstream.common.config.Setting;
import java.time.Duration;
import java.util.List;

/** Settings of the Kubernetes write-back. The API server itself is found as kubectl finds it (kubeconfig or in-cluster). */
public final class KubernetesSettings {

    public static final Setting<Boolean> ENABLED = Setting.bool("status.kubernetes.enabled", false,
        "Write NNCP status and NNCE/NNS objects to the Kubernetes API server.");
    public static final Setting<Duration> WINDOW = Setting.duration("status.kubernetes.window", Duration.ofSeconds(1),
        "Coalescing window: within it, only the latest status of each object is written, at most once.");
    public static final Setting<Integer> QPS = Setting.integer("status.kubernetes.qps", 20, 1, 100_000,
        "Sustained API requests per second the writer allows itself.");
    public static final Setting<Integer> BURST = Setting.integer("status.kubernetes.burst", 40, 1, 100_000,
        "API requests the writer may send at once above its sustained rate.");
    public static final Setting<Duration> MAX_BACKOFF = Setting.duration("status.kubernetes.backoff.max", Duration.ofSeconds(30),
        "Longest wait between retries while the API server fails (5xx, 409, 429, timeouts).");

    /** Every setting declared here. */
    public static final List<Setting<?>> ALL = List.of(ENABLED, WINDOW, QPS, BURST, MAX_BACKOFF);

    /**
     * The name the writer's own client identifies itself with (its user agent), which the API server records as the
     * manager of the status fields it writes.
     */
    public static final String FIELD_MANAGER = "nmstream-status-projector";

    private KubernetesSettings() {
    }
}
