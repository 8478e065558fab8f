package io.nmstream.status.projector;

import io.nmstream.common.config.Setting;
import io.nmstream.common.http.HttpServerSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The status projector's own settings, besides the cluster settings every service shares. */
public final class ProjectorSettings {

    public static final Setting<String> CLIENT_ID = Setting.string("status.client.id", "nmstream-status-projector",
        "Kafka client id of the status projector's consumer and producer.");
    public static final Setting<Duration> CATCH_UP_TIMEOUT = Setting.duration("status.catchup.timeout", Duration.ofMinutes(30),
        "Longest time the projector may take to fold the history of the topics at start-up before it gives up.");
    public static final Setting<Duration> POLL_TIMEOUT = Setting.duration("status.poll.timeout", Duration.ofMillis(500),
        "How long one poll of the input topics waits for new records.");

    /** Where the HTTP status view listens ({@code status.http.host}, {@code status.http.port}; -1, the default, serves none). */
    public static final HttpServerSettings.Declaration HTTP = HttpServerSettings.declare("status.http", "status-view",
        "the HTTP status view (GET /status/<nncp|nnce|nns>[/<name>])", -1, true);
    public static final Setting<Integer> HTTP_PORT = HTTP.port();

    /** Every setting declared here. */
    public static final List<Setting<?>> ALL = all();

    private static List<Setting<?>> all() {
        List<Setting<?>> all = new ArrayList<>(List.of(CLIENT_ID, CATCH_UP_TIMEOUT, POLL_TIMEOUT));
        all.addAll(HTTP.settings());
        return List.copyOf(all);
    }

    private ProjectorSettings() {
    }
}
