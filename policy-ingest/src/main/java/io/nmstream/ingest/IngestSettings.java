package io.nmstream.ingest;

import io.nmstream.common.config.Setting;
import io.nmstream.common.http.HttpServerSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The settings of policy-ingest's service and commands, besides the cluster's ({@code ClusterSettings}). */
public final class IngestSettings {

    public static final Setting<Duration> KAFKA_TIMEOUT = Setting.duration("ingest.kafka.timeout", Duration.ofSeconds(15),
        "How long policy-ingest waits for Kafka or the registry before it reports them unreachable.");
    public static final Setting<Long> MANIFEST_MAX_BYTES = Setting.bytes("ingest.manifest.max.bytes", 1L << 20, 1L << 10, 1L << 30,
        "Largest manifest file the policy commands read, and largest request body the policy HTTP API takes (1MiB, 512KiB, ...); "
            + "larger ones are refused.");
    public static final Setting<Boolean> HTTP_ENABLED = Setting.bool("ingest.http.enabled", true,
        "Whether the service serves the policy HTTP API.");
    /** Where the policy HTTP API listens ({@code ingest.http.host}, {@code ingest.http.port}) and its TLS keystore. */
    public static final HttpServerSettings.Declaration HTTP = HttpServerSettings.declare("ingest.http", "policy-api",
        "the policy HTTP API", 8088, false);
    public static final Setting<String> HTTP_HOST = HTTP.host();
    public static final Setting<Integer> HTTP_PORT = HTTP.port();
    public static final Setting<String> HTTP_TOKEN = Setting.string("ingest.http.token", "",
        "A bearer token of the policy HTTP API, standing for the user ingest.http.token.user; prefer ingest.http.tokens.file, "
            + "which names a user per token. The API refuses to start without any token.");
    public static final Setting<String> HTTP_TOKEN_USER = Setting.string("ingest.http.token.user", "nmstream-api",
        "The user the audit records for requests that present ingest.http.token.");
    public static final Setting<String> HTTP_TOKENS_FILE = Setting.string("ingest.http.tokens.file", "",
        "File of user:token lines: each token the policy HTTP API accepts and the user the audit records for it.");
    public static final Setting<Boolean> KUBERNETES_ENABLED = Setting.bool("ingest.kubernetes.enabled", false,
        "Whether the service watches NodeNetworkConfigurationPolicy and Node objects of the current Kubernetes context.");

    public static final List<Setting<?>> ALL = all();

    private IngestSettings() {
    }

    private static List<Setting<?>> all() {
        List<Setting<?>> all = new ArrayList<>(List.of(KAFKA_TIMEOUT, MANIFEST_MAX_BYTES, HTTP_ENABLED));
        all.addAll(HTTP.settings());
        all.addAll(List.of(HTTP_TOKEN, HTTP_TOKEN_USER, HTTP_TOKENS_FILE, KUBERNETES_ENABLED));
        return List.copyOf(all);
    }
}
