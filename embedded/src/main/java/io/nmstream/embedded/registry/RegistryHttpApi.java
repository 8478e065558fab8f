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
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Confluent Schema Registry REST contract over a {@link SchemaStore}: routes each request, reads its JSON body,
 * answers in {@code application/vnd.schemaregistry.v1+json}, and turns refusals into Confluent's
 * {@code {"error_code", "message"}} bodies with Confluent's codes.
 *
 * <p>When given a {@code user:password}, every request must carry it as HTTP basic authentication.
 */
final class RegistryHttpApi implements HttpService {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private static final Logger LOG = LoggerFactory.getLogger(RegistryHttpApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LATEST = "latest";

    private final SchemaStore store;
    private final byte[] expectedAuthorization;

    /** @param basicAuthUserInfo {@code user:password} every request must present, or null for none */
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
        if (expectedAuthorization == null) {
            return;
        }
        String given = request.header("Authorization");
        // constant-time comparison, so that response times do not reveal the password
        if (given == null || !MessageDigest.isEqual(expectedAuthorization, given.getBytes(StandardCharsets.UTF_8))) {
            throw new RegistryException(401, 401, "Unauthorized: this registry requires HTTP basic authentication with valid credentials");
        }
    }

    private String route(String method, List<String> path, String query, InputStream requestBody) throws IOException {
        int size = path.size();
        String first = size == 0 ? "" : path.get(0);
        switch (first) {
            case "" -> {
                requireMethod(method, "GET");
                return "{}";
            }
            case "schemas" -> {
                return schemas(method, path);
            }
            case "subjects" -> {
                return subjects(method, path, query, requestBody);
            }
            case "compatibility" -> {
                requireMethod(method, "POST");
                if (size < 4 || size > 5 || !"subjects".equals(path.get(1)) || !"versions".equals(path.get(3))) {
                    throw notFound();
                }
                return compatibility(path.get(2), size == 5 ? path.get(4) : null, readSchema(requestBody), query);
            }
            case "config" -> {
                return config(method, size == 1 ? null : path.get(1), size, query, requestBody);
            }
            default -> throw notFound();
        }
    }

    /** {@code /subjects}, {@code /subjects/{s}} and {@code /subjects/{s}/versions[/{v}[/schema]]}. */
    private String subjects(String method, List<String> path, String query, InputStream requestBody) throws IOException {
        int size = path.size();
        if (size == 1) {
            requireMethod(method, "GET");
            return JSON.valueToTree(store.subjects()).toString();
        }
        String subject = path.get(1);
        if (size == 2) {
            if ("DELETE".equals(method)) {
                refusePermanentDelete(query);
                List<Integer> deleted = store.deleteSubject(subject);
                if (deleted.isEmpty()) {
                    throw RegistryException.subjectNotFound(subject);
                }
                return JSON.valueToTree(deleted).toString();
            }
            requireMethod(method, "POST");
            return lookup(subject, readSchema(requestBody));
        }
        if (!"versions".equals(path.get(2)) || size > 5) {
            throw notFound();
        }
        if (size == 3) {
            if ("POST".equals(method)) {
                SchemaEntry entry = store.register(subject, readSchema(requestBody));
                return JSON.createObjectNode().put("id", entry.id()).toString();
            }
            requireMethod(method, "GET");
            List<Integer> versions = store.versions(subject);
            if (versions.isEmpty()) {
                throw RegistryException.subjectNotFound(subject);
            }
            return JSON.valueToTree(versions).toString();
        }
        if ("DELETE".equals(method) && size == 4) {
            refusePermanentDelete(query);
            SchemaEntry deleted = existingVersion(subject, path.get(3));
            store.deleteVersion(deleted);
            return Integer.toString(deleted.version());
        }
        requireMethod(method, "GET");
        SchemaEntry entry = existingVersion(subject, path.get(3));
        if (size == 5) {
            if (!"schema".equals(path.get(4))) {
                throw notFound();
            }
            return entry.schema();
        }
        return describe(entry).toString();
    }

    /** {@code /schemas/types} and {@code /schemas/ids/{id}[/schema|/versions]}. */
    private String schemas(String method, List<String> path) {
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
        String schema = store.schemaById(id).orElseThrow(() -> RegistryException.schemaNotFound("Schema " + id + " not found."));
        if (path.size() == 3) {
            return JSON.createObjectNode().put("schema", schema).toString();
        }
        if ("schema".equals(path.get(3))) {
            return schema;
        }
        if ("versions".equals(path.get(3))) {
            ArrayNode uses = JSON.createArrayNode();
            store.usesOf(id).forEach(use -> uses.addObject().put("subject", use.subject()).put("version", use.version()));
            return uses.toString();
        }
        throw notFound();
    }

    private String lookup(String subject, Schema schema) {
        if (store.versions(subject).isEmpty()) {
            throw RegistryException.subjectNotFound(subject);
        }
        SchemaEntry entry = store.lookup(subject, schema)
            .orElseThrow(() -> RegistryException.schemaNotFound("Schema not found under subject '" + subject + "'."));
        return describe(entry).toString();
    }

    private String compatibility(String subject, String version, Schema schema, String query) {
        List<String> problems;
        if (version == null || LATEST.equals(version) || "-1".equals(version)) {
            // against the versions the subject's level names; a subject with no versions accepts anything, as Confluent's does
            problems = store.check(subject, schema, null);
        } else {
            existingVersion(subject, version);
            problems = store.check(subject, schema, parseVersion(version));
        }
        ObjectNode answer = JSON.createObjectNode().put("is_compatible", problems.isEmpty());
        if (query != null && query.contains("verbose=true")) {
            answer.set("messages", JSON.valueToTree(problems));
        }
        return answer.toString();
    }

    private String config(String method, String subject, int size, String query, InputStream requestBody) throws IOException {
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
                    if (own.isEmpty() && (query == null || !query.contains("defaultToGlobal=true"))) {
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
                if (subject == null) {
                    throw methodNotAllowed(method);
                }
                CompatibilityLevel previous = store.clearLevel(subject).orElseThrow(() -> new RegistryException(404,
                    RegistryException.SUBJECT_LEVEL_NOT_CONFIGURED, "Subject '" + subject + "' does not have subject-level "
                    + "compatibility configured"));
                return JSON.createObjectNode().put("compatibilityLevel", previous.name()).toString();
            }
            default -> throw methodNotAllowed(method);
        }
    }

    private SchemaEntry existingVersion(String subject, String version) {
        Integer number = LATEST.equals(version) || "-1".equals(version) ? null : parseVersion(version);
        if (store.versions(subject).isEmpty()) {
            throw RegistryException.subjectNotFound(subject);
        }
        return store.version(subject, number).orElseThrow(() -> RegistryException.versionNotFound(subject, version));
    }

    private static int parseVersion(String text) {
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

    /** The Avro schema of a register, lookup or compatibility request, refused with 42201 unless it is valid Avro. */
    private static Schema readSchema(InputStream requestBody) throws IOException {
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
            throw RegistryException.invalidSchema("Request body needs the field 'schema' holding the schema as a string, got " + body);
        }
        try {
            return new Schema.Parser().parse(schema.asText());
        } catch (RuntimeException e) {
            throw RegistryException.invalidSchema("Invalid schema " + abbreviate(schema.asText()) + ": field 'schema' is not a valid "
                + "Avro schema: " + e.getMessage());
        }
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

    /** Only soft deletes: a permanently deleted id could be handed out again after a restart, to another schema. */
    private static void refusePermanentDelete(String query) {
        if (query != null && query.contains("permanent=true")) {
            throw new RegistryException(405, 405, "Permanent deletion is not supported: the embedded registry keeps every schema "
                + "id so that records written with it stay readable; delete without permanent=true");
        }
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

    private static String errorJson(int code, String message) {
        return JSON.createObjectNode().put("error_code", code).put("message", message).toString();
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
