package io.nmstream.ingest;

import io.nmstream.common.config.Setting;
import java.time.Duration;
import java.util.List;

/** The settings of policy-ingest's service and commands, besides the cluster's ({@code ClusterSettings}). */
public final class IngestSettings {

    public static final Setting<Duration> KAFKA_TIMEOUT = Setting.duration("ingest.kafka.timeout", Duration.ofSeconds(15),
        "How long policy-ingest waits for Kafka or the registry before it reports them unreachable.");
    public static final Setting<Boolean> HTTP_ENABLED = Setting.bool("ingest.http.enabled", true,
        "Whether the service serves the policy HTTP API.");
    public static final Setting<String> HTTP_HOST = Setting.string("ingest.http.host", "0.0.0.0",
        "Address the policy HTTP API listens on.");
    public static final Setting<Integer> HTTP_PORT = Setting.integer("ingest.http.port", 8088, 0, 65535,
        "Port of the policy HTTP API (0 picks a free port).");
    public static final Setting<String> HTTP_TOKEN = Setting.string("ingest.http.token", "",
        "Bearer token every HTTP API request must present; the API refuses to start without one.");
    public static final Setting<Boolean> KUBERNETES_ENABLED = Setting.bool("ingest.kubernetes.enabled", false,
        "Whether the service watches NodeNetworkConfigurationPolicy and Node objects of the current Kubernetes context.");

    public static final List<Setting<?>> ALL = List.of(KAFKA_TIMEOUT, HTTP_ENABLED, HTTP_HOST, HTTP_PORT, HTTP_TOKEN, KUBERNETES_ENABLED);

    private IngestSettings() {
    }
}
