package io.nmstream.status.projector;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nmstream.common.config.Config;
import io.nmstream.common.http.HttpAnswer;
import io.nmstream.common.http.HttpRequest;
import io.nmstream.common.http.HttpServer;
import io.nmstream.common.http.HttpServerSettings;
import io.nmstream.common.http.HttpService;
import io.nmstream.schemas.avro.ResourceStatus;
import io.nmstream.status.resources.NmstateDocuments;
import io.nmstream.common.status.NmstateKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Serves the live {@link StatusView} over HTTP as kubectl-shaped JSON: {@code GET /status/<nncp|nnce|nns>} lists one kind,
 * {@code GET /status/<kind>/<name>} returns one object (404 when it does not exist). Read only and without
 * authentication: it binds to the loopback address unless {@code status.http.host} says otherwise.
 */
public final class StatusHttpServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "/status/";
    /** Requests are GETs: no body. */
    private static final long MAX_BODY_BYTES = 0;

    private final HttpServer server;

    private StatusHttpServer(HttpServer server) {
        this.server = server;
    }

    /** Serves {@code view} as the {@code status.http.*} settings of {@code config} say. */
    public static StatusHttpServer start(StatusView view, Config config) {
        return new StatusHttpServer(HttpServer.start(ProjectorSettings.HTTP.from(config, MAX_BODY_BYTES), new View(view)));
    }

    /** Serves {@code view} on {@code port} of the loopback address (0 for a free port). */
    public static StatusHttpServer start(StatusView view, int port) {
        return new StatusHttpServer(HttpServer.start(HttpServerSettings.defaults("status-view", "127.0.0.1", port, MAX_BODY_BYTES),
            new View(view)));
    }

    /** The port served, useful when started on port 0. */
    public int port() {
        return server.port();
    }

    /** The base URL. */
    public String url() {
        return server.url();
    }

    @Override
    public void close() {
        server.close();
    }

    /** The routing of {@code /status/...}. */
    private record View(StatusView view) implements HttpService {

        @Override
        public HttpAnswer answer(HttpRequest request, byte[] body) {
            if (!request.path().startsWith(PREFIX)) {
                return HttpAnswer.error(404, "no such resource: " + request.path() + "; status is at " + PREFIX + "<nncp|nnce|nns>");
            }
            if (!request.method().equals("GET")) {
                return HttpAnswer.error(405, "only GET is served").withHeader("Allow", "GET");
            }
            String[] parts = request.path().substring(PREFIX.length()).split("/", 2);
            NmstateKind kind;
            try {
                kind = NmstateKind.parse(parts[0]);
            } catch (IllegalArgumentException e) {
                return HttpAnswer.error(404, e.getMessage());
            }
            if (parts.length == 1 || parts[1].isEmpty()) {
                List<ResourceStatus> statuses = view.list(kind.resourceKind());
                Map<String, Object> list = new LinkedHashMap<>();
                list.put("apiVersion", "v1");
                list.put("kind", "List");
                list.put("items", statuses.stream().map(NmstateDocuments::object).toList());
                return HttpAnswer.json(200, JSON.valueToTree(list));
            }
            Optional<ResourceStatus> status = view.get(kind.resourceKind(), parts[1]);
            return status.map(s -> HttpAnswer.json(200, JSON.valueToTree(NmstateDocuments.object(s))))
                .orElseGet(() -> HttpAnswer.error(404, kind.shortName() + " \"" + parts[1] + "\" not found"));
        }
    }
}
