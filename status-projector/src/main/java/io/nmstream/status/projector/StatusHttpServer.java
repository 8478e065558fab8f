package io.nmstream.status.projector;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.nmstream.schemas.avro.ResourceStatus;
import io.nmstream.status.resources.NmstateDocuments;
import io.nmstream.status.resources.NmstateKind;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Serves the live {@link StatusView} over HTTP as kubectl-shaped JSON: {@code GET /status/<nncp|nnce|nns>} lists one kind,
 * {@code GET /status/<kind>/<name>} returns one object (404 when it does not exist).
 */
public final class StatusHttpServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "/status/";

    private final HttpServer server;
    private final StatusView view;

    private StatusHttpServer(HttpServer server, StatusView view) {
        this.server = server;
        this.view = view;
    }

    /** Serves {@code view} on {@code port} of all interfaces (0 for a free port). */
    public static StatusHttpServer start(StatusView view, int port) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
            StatusHttpServer http = new StatusHttpServer(server, view);
            server.createContext(PREFIX, http::handle);
            server.start();
            return http;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot serve status on port " + port + ": " + e.getMessage(), e);
        }
    }

    /** The port served, useful when started on port 0. */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET")) {
                reply(exchange, 405, Map.of("message", "only GET is served"));
                return;
            }
            String[] parts = exchange.getRequestURI().getPath().substring(PREFIX.length()).split("/", 2);
            NmstateKind kind;
            try {
                kind = NmstateKind.parse(parts[0]);
            } catch (IllegalArgumentException e) {
                reply(exchange, 404, Map.of("message", e.getMessage()));
                return;
            }
            if (parts.length == 1 || parts[1].isEmpty()) {
                List<ResourceStatus> statuses = view.list(kind.resourceKind());
                Map<String, Object> list = new LinkedHashMap<>();
                list.put("apiVersion", "v1");
                list.put("kind", "List");
                list.put("items", statuses.stream().map(NmstateDocuments::object).toList());
                reply(exchange, 200, list);
                return;
            }
            Optional<ResourceStatus> status = view.get(kind.resourceKind(), parts[1]);
            if (status.isPresent()) {
                reply(exchange, 200, NmstateDocuments.object(status.get()));
            } else {
                reply(exchange, 404, Map.of("message", kind.shortName() + " \"" + parts[1] + "\" not found"));
            }
        }
    }

    private static void reply(HttpExchange exchange, int code, Object body) throws IOException {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            bytes = "{}".getBytes(StandardCharsets.UTF_8);
            code = 500;
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
