package io.nmstream.ingest.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nmstream.common.config.ByteSizes;
import io.nmstream.common.http.HttpAnswer;
import io.nmstream.common.http.HttpRequest;
import io.nmstream.common.http.HttpServer;
import io.nmstream.common.http.HttpServerSettings;
import io.nmstream.common.http.HttpService;
import io.nmstream.common.policy.PolicyManifests;
import io.nmstream.common.status.NmstateKind;
import io.nmstream.ingest.IngestSettings;
import io.nmstream.common.labels.LabelSyntax;
import io.nmstream.ingest.manifest.ManifestParser;
import io.nmstream.ingest.manifest.ManifestProblem;
import io.nmstream.ingest.manifest.ManifestText;
import io.nmstream.ingest.publish.ClusterUnavailableException;
import io.nmstream.ingest.publish.PolicyChange;
import io.nmstream.ingest.publish.PolicyPublisher;
import io.nmstream.ingest.publish.PolicySources;
import io.nmstream.schemas.avro.PolicyEvent;
import io.nmstream.schemas.avro.PolicySource;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy HTTP API: {@code POST /v1/policies} (YAML or JSON, one or many documents), {@code DELETE /v1/policies/{name}},
 * {@code GET /v1/policies[/{name}]} ({@code ?dryRun=true} on a POST or DELETE answers what it would change and publishes
 * nothing; see {@link PolicyQuery}), every request authenticated with a bearer token that stands for a user; that user,
 * and no header the client sends, is the author the audit records.
 *
 * <p>Errors are JSON objects ({@code {"error": ..., "problems": [...]}}) whose problems carry the same file, document,
 * path, value and allowed fields the CLI prints. Status codes: 200; 400 for a body that is not UTF-8, an invalid name, a
 * query parameter the API does not take or an {@code X-Nmstream-User} header; 401 without a known token; 404; 405; 408
 * for a body sent too slowly; 413 for a body over {@code ingest.manifest.max.bytes}; 415 for a content type other than
 * YAML or JSON; 422 for an invalid manifest; 431 for headers too large; 503 when Kafka or the registry cannot be reached.
 */
public final class PolicyHttpServer implements AutoCloseable {

    static final String PREFIX = "/v1/policies";
    /**
     * The header through which clients once named the audit's user. It is refused rather than ignored: a client that still
     * sends it believes the audit records that name, and would otherwise find another one recorded without being told.
     */
    static final String USER_HEADER = "X-Nmstream-User";
    /** The media types of YAML and JSON bodies; YAML's parser reads both. */
    static final Set<String> MEDIA_TYPES = Set.of("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml",
        "application/json", "text/json");
    private static final Logger LOG = LoggerFactory.getLogger(PolicyHttpServer.class);

    private final PolicyPublisher publisher;
    private final HttpServerSettings settings;
    private final ApiTokens tokens;
    private HttpServer server;

    /**
     * A server of {@code publisher}'s policies as {@code settings} say (its body limit is the manifest size limit), for the
     * users of {@code tokens}.
     */
    public PolicyHttpServer(PolicyPublisher publisher, HttpServerSettings settings, ApiTokens tokens) {
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("The policy HTTP API needs at least one bearer token (settings "
                + IngestSettings.HTTP_TOKENS_FILE.name() + " or " + IngestSettings.HTTP_TOKEN.name() + "); refusing to serve it "
                + "unauthenticated");
        }
        this.publisher = publisher;
        this.settings = settings;
        this.tokens = tokens;
    }

    /** Starts listening. */
    public PolicyHttpServer start() {
        server = HttpServer.start(settings, new Api());
        return this;
    }

    /** The port actually bound. */
    public int port() {
        return server.port();
    }

    /** The API's base URL ({@code http://127.0.0.1:8088}, {@code https://...} with TLS). */
    public String url() {
        return server.url();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }

    /** Where a request goes: the list (name null) or one policy; or the answer refusing it (404, 405, 400 for an invalid name). */
    private record Route(String name, HttpAnswer refusal) {

        static Route to(String name) {
            return new Route(name, null);
        }

        static Route refused(HttpAnswer answer) {
            return new Route(null, answer);
        }
    }

    /** The API's routing and answers. */
    private final class Api implements HttpService {

        @Override
        public Optional<HttpAnswer> screen(HttpRequest request) {
            if (user(request).isEmpty()) {
                return Optional.of(HttpAnswer.error(401, "missing or wrong bearer token")
                    .withHeader("WWW-Authenticate", "Bearer realm=\"nmstream\""));
            }
            if (request.header(USER_HEADER) != null) {
                return Optional.of(HttpAnswer.error(400, USER_HEADER + " is not accepted: the audit records the user the bearer "
                    + "token stands for (" + user(request).get() + "); remove the header"));
            }
            Route route = route(request);
            if (route.refusal() != null) {
                return Optional.of(route.refusal());
            }
            PolicyQuery query = query(request);
            if (query.problem() != null) {
                return Optional.of(HttpAnswer.error(400, query.problem()));
            }
            if (request.method().equals("POST")) {
                return contentTypeProblem(request.header("Content-Type"));
            }
            return Optional.empty();
        }

        @Override
        public HttpAnswer answer(HttpRequest request, byte[] body) {
            String user = user(request).orElseThrow();
            String name = route(request).name();
            try {
                if (name == null) {
                    return request.method().equals("POST") ? post(request, body, user) : list();
                }
                return request.method().equals("DELETE") ? delete(request, name, user) : get(name);
            } catch (ClusterUnavailableException e) {
                LOG.warn("Policy HTTP request {} answered 503: {}", request, e.getMessage());
                return HttpAnswer.error(503, e.getMessage());
            }
        }

        @Override
        public HttpAnswer error(int status, String message) {
            if (status == 413) {
                return HttpAnswer.error(413, message + "; manifests may be at most " + ByteSizes.format(settings.maxBodyBytes())
                    + " (setting " + IngestSettings.MANIFEST_MAX_BYTES.name() + ")");
            }
            return HttpAnswer.error(status, message);
        }

        private Optional<String> user(HttpRequest request) {
            String header = request.header("Authorization");
            if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return Optional.empty();
            }
            return tokens.user(header.substring(7).trim());
        }

        private PolicyQuery query(HttpRequest request) {
            return PolicyQuery.of(request.method(), request.queryParameters());
        }

        private Route route(HttpRequest request) {
            String path = request.path();
            String method = request.method();
            if (!path.equals(PREFIX) && !path.startsWith(PREFIX + "/")) {
                return Route.refused(HttpAnswer.error(404, "no such resource: " + path + "; policies are at " + PREFIX));
            }
            String rest = path.length() <= PREFIX.length() + 1 ? "" : path.substring(PREFIX.length() + 1);
            if (rest.indexOf('/') >= 0) {
                return Route.refused(HttpAnswer.error(404, "no such resource: " + path));
            }
            if (rest.isEmpty()) {
                return method.equals("GET") || method.equals("POST") ? Route.to(null)
                    : Route.refused(methodNotAllowed(method, "GET, POST"));
            }
            if (!LabelSyntax.isPolicyReference(rest)) {
                ObjectNode body = HttpAnswer.errorBody("invalid policy name");
                body.set("problems", problems(List.of(new ManifestProblem("request", 0, "metadata.name", "\"" + rest + "\"",
                    LabelSyntax.NAME_RULE))));
                return Route.refused(HttpAnswer.json(400, body));
            }
            return method.equals("GET") || method.equals("DELETE") ? Route.to(rest)
                : Route.refused(methodNotAllowed(method, "GET, DELETE"));
        }

        /** Manages POST: validates every document, then publishes all of them or, on any problem, nothing. */
        private HttpAnswer post(HttpRequest request, byte[] body, String user) {
            String text;
            try {
                text = ManifestText.decode(body);
            } catch (ManifestText.NotUtf8 e) {
                return HttpAnswer.error(400, "the request body " + e.getMessage() + "; manifests are UTF-8; nothing was published");
            }
            ManifestParser.Result result = new ManifestParser().parse("request", text);
            if (!result.valid()) {
                ObjectNode response = HttpAnswer.errorBody("invalid manifest; nothing was published");
                response.set("problems", problems(result.problems()));
                return HttpAnswer.json(422, response);
            }
            boolean dryRun = query(request).dryRun();
            PolicySource source = source(request, user);
            List<PolicyChange> changes = dryRun ? publisher.plan(result.policies(), source, false)
                : publisher.apply(result.policies(), source, false);
            if (!dryRun) {
                // a GitOps tool posts every policy on every sync: what changed is news, what did not is not
                changes.stream().filter(change -> change.kind() != PolicyChange.Kind.UNCHANGED)
                    .forEach(change -> LOG.info("Policy HTTP API, user {}: {}", user, change.describe()));
                changes.stream().filter(change -> change.kind() == PolicyChange.Kind.UNCHANGED)
                    .forEach(change -> LOG.debug("Policy HTTP API, user {}: {}", user, change.describe()));
            }
            ObjectNode response = JsonNodeFactory.instance.objectNode();
            response.put("dryRun", dryRun);
            ArrayNode list = response.putArray("changes");
            changes.forEach(change -> list.add(describe(change)));
            return HttpAnswer.json(200, response);
        }

        private HttpAnswer delete(HttpRequest request, String name, String user) {
            boolean dryRun = query(request).dryRun();
            Optional<PolicyChange> change = dryRun ? publisher.planDelete(name, source(request, user))
                : publisher.delete(name, source(request, user));
            if (!dryRun) {
                change.ifPresent(c -> LOG.info("Policy HTTP API, user {}: {}", user, c.describe()));
            }
            return change.map(c -> HttpAnswer.json(200, describe(c).put("dryRun", dryRun)))
                .orElseGet(() -> HttpAnswer.error(404, NmstateKind.NNCP.missing(name)));
        }

        private HttpAnswer get(String name) {
            Optional<PolicyEvent> policy = publisher.published().live(name);
            return policy.map(p -> HttpAnswer.json(200, PolicyManifests.of(p)))
                .orElseGet(() -> HttpAnswer.error(404, NmstateKind.NNCP.missing(name)));
        }

        private HttpAnswer list() {
            ObjectNode response = JsonNodeFactory.instance.objectNode();
            response.put("apiVersion", "v1");
            response.put("kind", "List");
            ArrayNode items = response.putArray("items");
            publisher.published().live().forEach(policy -> items.add(PolicyManifests.of(policy)));
            return HttpAnswer.json(200, response);
        }
    }

    /** 415 unless {@code contentType} is YAML or JSON in UTF-8. */
    static Optional<HttpAnswer> contentTypeProblem(String contentType) {
        String accepted = "send the manifests as application/yaml or application/json (UTF-8)";
        if (contentType == null) {
            return Optional.of(HttpAnswer.error(415, "the request has no Content-Type; " + accepted));
        }
        String[] parts = contentType.split(";");
        String mediaType = parts[0].strip().toLowerCase(Locale.ROOT);
        if (!MEDIA_TYPES.contains(mediaType)) {
            return Optional.of(HttpAnswer.error(415, "Content-Type " + mediaType + " is not accepted; " + accepted));
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].strip().toLowerCase(Locale.ROOT);
            if (parameter.startsWith("charset=")) {
                String charset = parameter.substring("charset=".length()).replace("\"", "");
                if (!charset.equals("utf-8") && !charset.equals("utf8")) {
                    return Optional.of(HttpAnswer.error(415, "charset " + charset + " is not accepted; " + accepted));
                }
            }
        }
        return Optional.empty();
    }

    private static HttpAnswer methodNotAllowed(String method, String allowed) {
        return HttpAnswer.error(405, "method " + method + " not allowed; allowed: " + allowed).withHeader("Allow", allowed);
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

    private static PolicySource source(HttpRequest request, String user) {
        return PolicySources.http(request.remoteAddress(), user, request.header("User-Agent"));
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
}
