package io.nmstream.ingest.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.nmstream.ingest.manifest.LabelSyntax;
import io.nmstream.ingest.manifest.ManifestParser;
import io.nmstream.ingest.manifest.ManifestProblem;
import io.nmstream.ingest.publish.ClusterUnavailableException;
import io.nmstream.ingest.publish.PolicyChange;
import io.nmstream.ingest.publish.PolicyDocuments;
import io.nmstream.ingest.publish.PolicyPublisher;
import io.nmstream.ingest.publish.PolicySources;
import io.nmstream.schemas.avro.PolicyEvent;
import io.nmstream.schemas.avro.PolicySource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy HTTP API: {@code POST /v1/policies} (YAML or JSON, one or many documents), {@code DELETE /v1/policies/{name}},
 * {@code GET /v1/policies[/{name}]}, every request authenticated with a bearer token.
 *
 * <p>Errors are JSON objects ({@code {"error": ..., "problems": [...]}}) whose problems carry the same file, document,
 * path, value and allowed fields the CLI prints. Status codes: 200, 400/422 invalid input, 401 unauthenticated, 404,
 * 405, 413, 503 when Kafka or the registry cannot be reached.
 */
public final class PolicyHttpServer implements AutoCloseable {

    /** Largest accepted request body; a fleet's policies are kilobytes. */
    static final int MAX_BODY_BYTES = 1 << 20;
    static final String PREFIX = "/v1/policies";
    private static final Logger LOG = LoggerFactory.getLogger(PolicyHttpServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PolicyPublisher publisher;
    private final byte[] token;
    private final HttpServer server;
    private final ExecutorService executor;

    /** Binds {@code host:port} (port 0 for a free one); requests must present {@code token}, which must not be empty. */
    public PolicyHttpServer(PolicyPublisher publisher, String host, int port, String token) throws IOException {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("The policy HTTP API needs a bearer token (setting ingest.http.token); refusing to serve "
                + "it unauthenticated");
        }
        this.publisher = publisher;
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.server = HttpServer.create(new InetSocketAddress(host, port), 0);
        this.executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "policy-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext(PREFIX, this::handle);
    }

    public void start() {
        server.start();
        LOG.info("Policy HTTP API listening on {}", server.getAddress());
    }

    /** The port actually bound. */
    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!authenticated(exchange)) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"nmstream\"");
                respond(exchange, 401, error("missing or wrong bearer token"));
                return;
            }
            route(exchange);
        } catch (ClusterUnavailableException e) {
            respond(exchange, 503, error(e.getMessage()));
        } catch (RuntimeException e) {
            LOG.error("Policy HTTP request {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            respond(exchange, 500, error("internal error: " + e.getMessage()));
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        String rest = path.equals(PREFIX) || path.equals(PREFIX + "/") ? "" : path.substring(PREFIX.length());
        if (!rest.isEmpty() && (!rest.startsWith("/") || rest.indexOf('/', 1) >= 0)) {
            respond(exchange, 404, error("no such resource: " + path));
            return;
        }
        String name = rest.isEmpty() ? null : rest.substring(1);
        if (name == null) {
            switch (method) {
                case "POST" -> post(exchange);
                case "GET" -> list(exchange);
                default -> methodNotAllowed(exchange, "GET, POST");
            }
            return;
        }
        if (name.isEmpty() || !LabelSyntax.isPolicyReference(name)) {
            ObjectNode body = error("invalid policy name");
            body.set("problems", problems(List.of(new ManifestProblem("request", 0, "metadata.name", "\"" + name + "\"",
                LabelSyntax.NAME_RULE))));
            respond(exchange, 400, body);
            return;
        }
        switch (method) {
            case "GET" -> get(exchange, name);
            case "DELETE" -> delete(exchange, name);
            default -> methodNotAllowed(exchange, "GET, DELETE");
        }
    }

    /** Manages POST: validates every document, then publishes all of them or, on any problem, nothing. */
    private void post(HttpExchange exchange) throws IOException {
        Optional<String> body = readBody(exchange);
        if (body.isEmpty()) {
            respond(exchange, 413, error("request body larger than " + MAX_BODY_BYTES + " bytes"));
            return;
        }
        ManifestParser.Result result = new ManifestParser().parse("request", body.get());
        if (!result.valid()) {
            ObjectNode response = error("invalid manifest; nothing was published");
            response.set("problems", problems(result.problems()));
            respond(exchange, 422, response);
            return;
        }
        boolean dryRun = queryFlag(exchange, "dryRun");
        PolicySource source = source(exchange);
        List<PolicyChange> changes = dryRun ? publisher.plan(result.policies(), source, false)
            : publisher.apply(result.policies(), source, false);
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.put("dryRun", dryRun);
        ArrayNode list = response.putArray("changes");
        changes.forEach(change -> list.add(describe(change)));
        respond(exchange, 200, response);
    }

    private void delete(HttpExchange exchange, String name) throws IOException {
        Optional<PolicyChange> change = publisher.delete(name, source(exchange));
        if (change.isEmpty()) {
            respond(exchange, 404, error("policy/" + name + " not found"));
            return;
        }
        respond(exchange, 200, describe(change.get()));
    }

    private void get(HttpExchange exchange, String name) throws IOException {
        Optional<PolicyEvent> policy = publisher.published().live(name);
        if (policy.isEmpty()) {
            respond(exchange, 404, error("policy/" + name + " not found"));
            return;
        }
        respond(exchange, 200, PolicyDocuments.toManifest(policy.get()));
    }

    private void list(HttpExchange exchange) throws IOException {
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.put("apiVersion", "v1");
        response.put("kind", "List");
        ArrayNode items = response.putArray("items");
        publisher.published().live().forEach(policy -> items.add(PolicyDocuments.toManifest(policy)));
        respond(exchange, 200, response);
    }

    private static ObjectNode describe(PolicyChange change) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("name", change.name());
        node.put("change", change.kind().name());
        PolicyEvent current = change.publishes() ? change.event() : change.previous();
        node.put("generation", current.getGeneration());
        node.put("uid", current.getUid());
        return node;
    }

    /** True when the query has {@code name=true} (or a bare {@code name}). */
    private static boolean queryFlag(HttpExchange exchange, String name) {
        String query = exchange.getRequestURI().getQuery();
        if (query == null) {
            return false;
        }
        for (String parameter : query.split("&")) {
            if (parameter.equals(name) || parameter.equals(name + "=true")) {
                return true;
            }
        }
        return false;
    }

    private PolicySource source(HttpExchange exchange) {
        String agent = exchange.getRequestHeaders().getFirst("User-Agent");
        return PolicySources.http(exchange.getRemoteAddress().getAddress().getHostAddress(),
            exchange.getRequestHeaders().getFirst("X-Nmstream-User"), agent);
    }

    private boolean authenticated(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        // constant-time comparison: the token must not leak through response timing
        return MessageDigest.isEqual(token, header.substring(7).trim().getBytes(StandardCharsets.UTF_8));
    }

    private static Optional<String> readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            return bytes.length > MAX_BODY_BYTES ? Optional.empty() : Optional.of(new String(bytes, StandardCharsets.UTF_8));
        }
    }

    private static void methodNotAllowed(HttpExchange exchange, String allowed) throws IOException {
        exchange.getResponseHeaders().add("Allow", allowed);
        respond(exchange, 405, error("method " + exchange.getRequestMethod() + " not allowed; allowed: " + allowed));
    }

    static ArrayNode problems(List<ManifestProblem> problems) {
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
        for (ManifestProblem problem : problems) {
            ObjectNode node = list.addObject();
            node.put("source", problem.source());
            node.put("document", problem.document());
            node.put("path", problem.path());
            node.put("value", problem.value());
            node.put("allowed", problem.allowed());
            node.put("message", problem.message());
        }
        return list;
    }

    private static ObjectNode error(String message) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("error", message);
        return node;
    }

    private static void respond(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
    }
}
