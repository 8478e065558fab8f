package io.nmstream.embedded.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nmstream.common.http.HttpAnswer;
import io.nmstream.common.http.HttpRequest;
import io.nmstream.common.http.HttpService;
import io.nmstream.embedded.registry.SchemaLog.SchemaEntry;
import io.nmstream.embedded.registry.SchemaStore.Deleted;
import io.nmstream.schemas.registry.CompatibilityLevel;
import io.nmstream.schemas.registry.SchemaRegistryException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Confluent Schema Registry REST contract over a {@link SchemaStore}: routes each request, reads its JSON body,
 * answers in {@code application/vnd.schemaregistry.v1+json}, and turns refusals into Confluent's
 * {@code {"error_code", "message"}} bodies with Confluent's codes.
 *
 * <p>When given a {@code user:password}, every request that changes something (registering, deleting, compatibility
 * and mode settings) must carry it as HTTP basic authentication; reads (including lookups and compatibility checks, which
 * send a schema but change nothing) are open, so that consumers and producers that only use registered schemas need no
 * secret. A request that carries credentials must carry the right ones, reads included.
 */
final class RegistryHttpApi implements HttpService {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private static final Logger LOG = LoggerFactory.getLogger(RegistryHttpApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LATEST = "latest";

    private final SchemaStore store;
    private final byte[] expectedAuthorization;

    /** @param basicAuthUserInfo {@code user:password} every write must present, or null for none */
    RegistryHttpApi(SchemaStore store, String basicAuthUserInfo) {
        this.store = store;
        this.expectedAuthorization = basicAuthUserInfo == null ? null
            : ("Basic " + Base64.getEncoder().encodeToString(basicAuthUserInfo.getBytes(StandardCharsets.UTF_8)))
                .getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Optional<HttpAnswer> screen(HttpRequest request) {
        try {
            authenticate(request);
            return Optional.empty();
        } catch (RegistryException e) {
            return Optional.of(error(e.httpStatus(), e.errorCode(), e.getMessage())
                .withHeader("WWW-Authenticate", "Basic realm=\"nmstream-schema-registry\""));
        }
    }

    @Override
    public HttpAnswer answer(HttpRequest request, byte[] body) throws IOException {
        try {
            return HttpAnswer.json(200, route(request.method().toUpperCase(Locale.ROOT), segments(request.rawPath()), request.query(),
                new ByteArrayInputStream(body)), CONTENT_TYPE);
        } catch (RegistryException e) {
            if (e.httpStatus() >= 500) {
                LOG.warn("Schema registry failed {}: {}", request, e.getMessage(), e);
            }
            return error(e.httpStatus(), e.errorCode(), e.getMessage());
        } catch (SchemaRegistryException e) {
            // CompatibilityLevel.parse refuses unknown levels with the registry's own code
            return error(e.httpStatus(), e.errorCode(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("Schema registry failed {}", request, e);
            return error(500, 50001, "Internal error of the embedded schema registry: " + e);
        }
    }

    /** Errors of HTTP itself (too large, too slow, malformed) in Confluent's format, the HTTP status as the error code. */
    @Override
    public HttpAnswer error(int status, String message) {
        return error(status, status, message);
    }

    private static HttpAnswer error(int status, int code, String message) {
        return HttpAnswer.json(status, errorJson(code, message), CONTENT_TYPE);
    }

    private void authenticate(HttpRequest request) {
        String refusal = refusal(request.method().toUpperCase(Locale.ROOT), segments(request.rawPath()), request.header("Authorization"));
        if (refusal != null) {
            throw new RegistryException(401, 401, refusal);
        }
    }

    private String route(String method, List<String> path, String query, InputStream requestBody) throws IOException {
        Map<String, String> params = parameters(query);
        int size = path.size();
        String first = size == 0 ? "" : path.get(0);
        switch (first) {
            case "" -> {
                requireMethod(method, "GET");
                return "{}";
            }
            case "schemas" -> {
                return schemas(method, path, params);
            }
            case "subjects" -> {
                return subjects(method, path, params, requestBody);
            }
            case "compatibility" -> {
                requireMethod(method, "POST");
                if (size < 4 || size > 5 || !"subjects".equals(path.get(1)) || !"versions".equals(path.get(3))) {
                    throw notFound();
                }
                return compatibility(path.get(2), size == 5 ? path.get(4) : null, readRequest(requestBody).schema(), params);
            }
            case "config" -> {
                return config(method, size == 1 ? null : path.get(1), size, params, requestBody);
            }
            case "mode" -> {
                return mode(method, size == 1 ? null : path.get(1), size, params, requestBody);
            }
            default -> throw notFound();
        }
    }

    /**
     * Why a request may not go on for lack of the right credentials, or null when it may: writes need them, reads
     * need none, and wrong ones are refused on any request.
     */
    private String refusal(String method, List<String> path, String authorization) {
        if (expectedAuthorization == null) {
            return null;
        }
        if (authorization == null) {
            return changesTheRegistry(method, path) ? "Unauthorized: " + method + " /" + String.join("/", path) + " changes the "
                + "registry and needs HTTP basic authentication with the registry's credentials" : null;
        }
        // constant-time comparison, so that response times do not reveal the password
        if (!MessageDigest.isEqual(expectedAuthorization, authorization.getBytes(StandardCharsets.UTF_8))) {
            return "Unauthorized: the request's HTTP basic authentication credentials are not the registry's";
        }
        return null;
    }

    /** Whether a request changes the registry; lookups and compatibility checks send a schema but change nothing. */
    static boolean changesTheRegistry(String method, List<String> path) {
        if ("GET".equals(method) || "HEAD".equals(method)) {
            return false;
        }
        boolean lookup = path.size() == 2 && "subjects".equals(path.get(0));
        boolean compatibilityCheck = !path.isEmpty() && "compatibility".equals(path.get(0));
        return !("POST".equals(method) && (lookup || compatibilityCheck));
    }

    /**
     * {@code /subjects}, {@code /subjects/{s}} and {@code /subjects/{s}/versions[/{v}[/schema|/referencedby]]}, with
     * Confluent's {@code deleted}, {@code deletedOnly}, {@code deletedAsNegative}, {@code subjectPrefix} and
     * {@code permanent} parameters.
     */
    private String subjects(String method, List<String> path, Map<String, String> params, InputStream requestBody) throws IOException {
        int size = path.size();
        if (size == 1) {
            requireMethod(method, "GET");
            String prefix = params.getOrDefault("subjectPrefix", "");
            return JSON.valueToTree(store.subjects(deleted(params)).stream().filter(s -> s.startsWith(prefix)).toList()).toString();
        }
        String subject = path.get(1);
        if (size == 2) {
            if ("DELETE".equals(method)) {
                return JSON.valueToTree(store.deleteSubject(subject, flag(params, "permanent"))).toString();
            }
            requireMethod(method, "POST");
            return lookup(subject, readRequest(requestBody).schema(), flag(params, "deleted") ? Deleted.INCLUDED : Deleted.EXCLUDED);
        }
        if (!"versions".equals(path.get(2)) || size > 5) {
            throw notFound();
        }
        if (size == 3) {
            if ("POST".equals(method)) {
                return register(subject, readRequest(requestBody));
            }
            requireMethod(method, "GET");
            return versions(subject, params);
        }
        String version = path.get(3);
        if ("DELETE".equals(method) && size == 4) {
            return Integer.toString(store.deleteVersion(subject, versionNumber(version), flag(params, "permanent")));
        }
        requireMethod(method, "GET");
        SchemaEntry entry = existingVersion(subject, version, flag(params, "deleted") ? Deleted.INCLUDED : Deleted.EXCLUDED);
        if (size == 5) {
            return switch (path.get(4)) {
                case "schema" -> entry.schema();
                // this registry refuses schema references, so no version is referenced by another
                case "referencedby" -> "[]";
                default -> throw notFound();
            };
        }
        return describe(entry).toString();
    }

    private String versions(String subject, Map<String, String> params) {
        Deleted deleted = deleted(params);
        if (!store.hasVersions(subject, deleted == Deleted.EXCLUDED ? Deleted.EXCLUDED : Deleted.INCLUDED)) {
            throw RegistryException.subjectNotFound(subject);
        }
        if (flag(params, "deletedAsNegative")) {
            return JSON.valueToTree(store.versions(subject, Deleted.INCLUDED).stream()
                .map(v -> v.deleted() ? -v.version() : v.version()).toList()).toString();
        }
        return JSON.valueToTree(store.versions(subject, deleted).stream().map(SchemaEntry::version).toList()).toString();
    }

    private String register(String subject, RegisterRequest request) {
        SchemaEntry entry = request.id() == null ? store.register(subject, request.schema(), request.version())
            : store.importSchema(subject, request.schema(), request.id(), request.version());
        return JSON.createObjectNode().put("id", entry.id()).toString();
    }

    /** {@code /schemas/types} and {@code /schemas/ids/{id}[/schema|/subjects|/versions]}. */
    private String schemas(String method, List<String> path, Map<String, String> params) {
        requireMethod(method, "GET");
        if (path.size() == 2 && "types".equals(path.get(1))) {
            return "[\"AVRO\"]";
        }
        if (path.size() < 3 || path.size() > 4 || !"ids".equals(path.get(1))) {
            throw notFound();
        }
        int id;
        try {
            id = Integer.parseInt(path.get(2));
        } catch (NumberFormatException e) {
            throw RegistryException.schemaNotFound("Schema id '" + path.get(2) + "' is not a number.");
        }
        String schema = store.schemaById(id).orElseThrow(() -> schemaNotFound(id));
        if (path.size() == 3) {
            return JSON.createObjectNode().put("schema", schema).toString();
        }
        switch (path.get(3)) {
            case "schema" -> {
                return schema;
            }
            case "subjects" -> {
                return JSON.valueToTree(uses(id, params).stream().map(SchemaEntry::subject).distinct().toList()).toString();
            }
            case "versions" -> {
                ArrayNode uses = JSON.createArrayNode();
                uses(id, params).forEach(use -> uses.addObject().put("subject", use.subject()).put("version", use.version()));
                return uses.toString();
            }
            default -> throw notFound();
        }
    }

    /** The subject versions using a schema id: those not deleted, or all with {@code deleted=true}; one subject's with {@code subject}. */
    private List<SchemaEntry> uses(int id, Map<String, String> params) {
        String subject = params.get("subject");
        return store.usesOf(id, flag(params, "deleted") ? Deleted.INCLUDED : Deleted.EXCLUDED).orElseThrow(() -> schemaNotFound(id))
            .stream().filter(use -> subject == null || use.subject().equals(subject)).toList();
    }

    private String lookup(String subject, Schema schema, Deleted deleted) {
        if (!store.hasVersions(subject, deleted)) {
            throw RegistryException.subjectNotFound(subject);
        }
        SchemaEntry entry = store.lookup(subject, schema, deleted)
            .orElseThrow(() -> RegistryException.schemaNotFound("Schema not found under subject '" + subject + "'."));
        return describe(entry).toString();
    }

    private String compatibility(String subject, String version, Schema schema, Map<String, String> params) {
        List<String> problems;
        Integer number = version == null ? null : versionNumber(version);
        if (number == null) {
            // against the versions the subject's level names; a subject with no versions accepts anything, as Confluent's does
            problems = store.check(subject, schema, null);
        } else {
            existingVersion(subject, version, Deleted.EXCLUDED);
            problems = store.check(subject, schema, number);
        }
        ObjectNode answer = JSON.createObjectNode().put("is_compatible", problems.isEmpty());
        if (flag(params, "verbose")) {
            answer.set("messages", JSON.valueToTree(problems));
        }
        return answer.toString();
    }

    /** {@code /config} and {@code /config/{subject}}: compatibility levels. */
    private String config(String method, String subject, int size, Map<String, String> params, InputStream requestBody)
        throws IOException {
        if (size > 2) {
            throw notFound();
        }
        switch (method) {
            case "GET" -> {
                CompatibilityLevel level;
                if (subject == null) {
                    level = store.globalLevel();
                } else {
                    Optional<CompatibilityLevel> own = store.subjectLevel(subject);
                    if (own.isEmpty() && !flag(params, "defaultToGlobal")) {
                        throw new RegistryException(404, RegistryException.SUBJECT_LEVEL_NOT_CONFIGURED,
                            "Subject '" + subject + "' does not have subject-level compatibility configured");
                    }
                    level = own.orElse(store.globalLevel());
                }
                return JSON.createObjectNode().put("compatibilityLevel", level.name()).toString();
            }
            case "PUT" -> {
                JsonNode body = readJson(requestBody);
                JsonNode given = body.path("compatibility");
                if (!given.isTextual()) {
                    throw new RegistryException(422, RegistryException.INVALID_COMPATIBILITY_LEVEL,
                        "Request body needs the field 'compatibility' (one of " + List.of(CompatibilityLevel.values()) + "), got " + body);
                }
                CompatibilityLevel level = CompatibilityLevel.parse(given.asText());
                store.setLevel(subject, level);
                return JSON.createObjectNode().put("compatibility", level.name()).toString();
            }
            case "DELETE" -> {
                CompatibilityLevel previous = store.clearLevel(subject).orElseThrow(() -> new RegistryException(404,
                    RegistryException.SUBJECT_LEVEL_NOT_CONFIGURED, "Subject '" + subject + "' does not have subject-level "
                    + "compatibility configured"));
                return JSON.createObjectNode().put("compatibilityLevel", previous.name()).toString();
            }
            default -> throw methodNotAllowed(method);
        }
    }

    /** {@code /mode} and {@code /mode/{subject}}: READWRITE, READONLY or IMPORT. */
    private String mode(String method, String subject, int size, Map<String, String> params, InputStream requestBody) throws IOException {
        if (size > 2) {
            throw notFound();
        }
        switch (method) {
            case "GET" -> {
                RegistryMode mode;
                if (subject == null) {
                    mode = store.globalMode();
                } else {
                    Optional<RegistryMode> own = store.subjectMode(subject);
                    if (own.isEmpty() && !flag(params, "defaultToGlobal")) {
                        throw new RegistryException(404, RegistryException.SUBJECT_MODE_NOT_CONFIGURED,
                            "Subject '" + subject + "' does not have subject-level mode configured");
                    }
                    mode = own.orElse(store.globalMode());
                }
                return JSON.createObjectNode().put("mode", mode.name()).toString();
            }
            case "PUT" -> {
                JsonNode body = readJson(requestBody);
                JsonNode given = body.path("mode");
                if (!given.isTextual()) {
                    throw new RegistryException(422, RegistryException.INVALID_MODE,
                        "Request body needs the field 'mode' (one of " + List.of(RegistryMode.values()) + "), got " + body);
                }
                RegistryMode mode = RegistryMode.parse(given.asText());
                store.setMode(subject, mode, flag(params, "force"));
                return JSON.createObjectNode().put("mode", mode.name()).toString();
            }
            case "DELETE" -> {
                // Confluent answers a subject without a mode of its own with "subject not found"
                RegistryMode previous = store.clearMode(subject).orElseThrow(() -> new RegistryException(404,
                    RegistryException.SUBJECT_NOT_FOUND, "Subject '" + subject + "' does not have subject-level mode configured"));
                return JSON.createObjectNode().put("mode", previous.name()).toString();
            }
            default -> throw methodNotAllowed(method);
        }
    }

    /** A version that exists as {@code deleted} says; {@code latest} (or -1) is the latest that is not deleted. */
    private SchemaEntry existingVersion(String subject, String version, Deleted deleted) {
        Integer number = versionNumber(version);
        return store.version(subject, number, deleted).orElseThrow(() -> store.hasVersions(subject, deleted)
            ? RegistryException.versionNotFound(subject, version) : RegistryException.subjectNotFound(subject));
    }

    /** A version number from the path; null for {@code latest} or -1; refused with 42202 otherwise unless 1 or more. */
    private static Integer versionNumber(String text) {
        if (LATEST.equals(text) || "-1".equals(text)) {
            return null;
        }
        try {
            int version = Integer.parseInt(text);
            if (version >= 1) {
                return version;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new RegistryException(422, RegistryException.INVALID_VERSION, "The specified version '" + text
            + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }

    private static ObjectNode describe(SchemaEntry entry) {
        return JSON.createObjectNode()
            .put("subject", entry.subject())
            .put("version", entry.version())
            .put("id", entry.id())
            .put("schema", entry.schema());
    }

    /**
     * The body of a register, lookup or compatibility request: its Avro schema (refused with 42201 unless valid Avro),
     * and the id and version an import names.
     */
    private record RegisterRequest(Schema schema, Integer id, Integer version) {
    }

    private static RegisterRequest readRequest(InputStream requestBody) throws IOException {
        JsonNode body = readJson(requestBody);
        String type = body.path("schemaType").asText("AVRO");
        if (!"AVRO".equals(type.toUpperCase(Locale.ROOT))) {
            throw RegistryException.invalidSchema("Field 'schemaType' is '" + type + "': this registry serves only AVRO schemas");
        }
        JsonNode references = body.path("references");
        if (references.isArray() && !references.isEmpty()) {
            throw RegistryException.invalidSchema("Field 'references' is not empty: this registry does not support schema references");
        }
        JsonNode schema = body.path("schema");
        if (!schema.isTextual()) {
            throw RegistryException.invalidSchema("Request body needs the field 'schema' holding the schema as a string, got "
                + abbreviate(body.toString()));
        }
        Schema parsed;
        try {
            parsed = new Schema.Parser().parse(schema.asText());
        } catch (RuntimeException e) {
            throw RegistryException.invalidSchema("Invalid schema " + abbreviate(schema.asText()) + ": field 'schema' is not a valid "
                + "Avro schema: " + e.getMessage());
        }
        // Confluent's clients send -1 or 0 (or nothing) for "no id" and "next version"
        return new RegisterRequest(parsed, positive(body, "id"), positive(body, "version"));
    }

    private static Integer positive(JsonNode body, String field) {
        JsonNode value = body.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber()) {
            throw RegistryException.invalidSchema("Field '" + field + "' must be a whole number, got " + abbreviate(value.toString()));
        }
        return value.asInt() >= 1 ? value.asInt() : null;
    }

    private static JsonNode readJson(InputStream requestBody) throws IOException {
        String text = new String(requestBody.readAllBytes(), StandardCharsets.UTF_8);
        try {
            JsonNode body = JSON.readTree(text);
            if (body == null || !body.isObject()) {
                throw new RegistryException(400, 400, "Request body must be a JSON object, got: " + abbreviate(text));
            }
            return body;
        } catch (JsonProcessingException e) {
            throw new RegistryException(400, 400, "Request body is not JSON: " + e.getOriginalMessage());
        }
    }

    /** The decoded segments of a raw path; "+" stays a plus, as in any URL path. */
    private static List<String> segments(String rawPath) {
        List<String> segments = new ArrayList<>();
        for (String raw : rawPath.split("/")) {
            if (!raw.isEmpty()) {
                segments.add(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return segments;
    }

    /** The decoded parameters of a raw query string; the first of a repeated name counts. */
    private static Map<String, String> parameters(String rawQuery) {
        Map<String, String> params = new HashMap<>();
        if (rawQuery == null) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            if (!pair.isEmpty()) {
                int equals = pair.indexOf('=');
                String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                params.putIfAbsent(name, equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    private static boolean flag(Map<String, String> params, String name) {
        return "true".equalsIgnoreCase(params.get(name));
    }

    /** Which versions a listing includes: {@code deletedOnly=true} wins over {@code deleted=true}, as in Confluent's. */
    private static Deleted deleted(Map<String, String> params) {
        if (flag(params, "deletedOnly")) {
            return Deleted.ONLY;
        }
        return flag(params, "deleted") ? Deleted.INCLUDED : Deleted.EXCLUDED;
    }

    private static void requireMethod(String method, String allowed) {
        if (!allowed.equals(method)) {
            throw methodNotAllowed(method);
        }
    }

    private static RegistryException methodNotAllowed(String method) {
        return new RegistryException(405, 405, "HTTP " + method + " is not allowed on this resource");
    }

    private static RegistryException notFound() {
        return new RegistryException(404, 404, "HTTP 404 Not Found");
    }

    private static RegistryException schemaNotFound(int id) {
        return RegistryException.schemaNotFound("Schema " + id + " not found.");
    }

    private static String errorJson(int code, String message) {
        return JSON.createObjectNode().put("error_code", code).put("message", message).toString();
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
