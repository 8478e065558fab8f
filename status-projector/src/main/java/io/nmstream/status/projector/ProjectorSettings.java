package io.nmstream.status.projector;

import io.nmstream.common.config.Setting;
import java.time.Duration;
import java.util.List;

/** The status projector's own settings, besides the cluster settings every service shares. */
public final class ProjectorSettings {

    public static final Setting<String> CLIENT_ID = Setting.string("status.client.id", "nmstream-status-projector",
        "Kafka client id of the status projector's consumer and producer.");
    public static final Setting<Duration> CATCH_UP_TIMEOUT = Setting.duration("status.catchup.timeout", Duration.ofMinutes(30),
        "Longest time the projector may take to fold the history of the topics at start-up before it gives up.");
    public static final Setting<Duration> POLL_TIMEOUT = Setting.duration("status.poll.timeout", Duration.ofMillis(500),
        "How long one poll of the input topics waits for new records.");

    public static final Setting<Integer> HTTP_PORT = Setting.integer("status.http.port", -1, -1, 65_535,
        "Port of the HTTP status view (GET /status/<nncp|nnce|nns>[/<name>]); -1 serves none, 0 any free port.");

    /** Every setting declared here. */
    public static final List<Setting<?>> ALL = List.of(CLIENT_ID, CATCH_UP_TIMEOUT, POLL_TIMEOUT, HTTP_PORT);

    private ProjectorSettings() {
    }
}
