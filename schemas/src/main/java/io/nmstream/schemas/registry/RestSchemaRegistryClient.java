package io.nmstream.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * Schema Registry client over the public Confluent REST contract, so it works unchanged against Confluent Schema
 * Registry, Karapace, Apicurio's Confluent-compatible API and nmstream's embedded registry.
 *
 * <p>Ids are cached both ways (schema to id per subject, id to schema), since they never change once given. Requests
 * that fail because the registry is briefly unreachable or answers 5xx are retried with exponential backoff; the
 * registry's own refusals (409, 422, 404) are not retried and become {@link SchemaRegistryException}s with readable
 * messages.
 *
 * <p>Requests go through the JDK's {@link HttpURLConnection} (keep-alive connections reused), not {@code java.net.http}'s
 * client: every nmstream process holds a registry client, the node agent on every host too, and that client costs a
 * process about 12 MiB of memory (a selector thread, its classes, and the JVM's default TLS context, set up even for an
 * {@code http} registry), against under 4 MiB for this one.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

    /** The registry's content type. */
    public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * How to reach the registry.
     *
     * @param baseUrl e.g. {@code http://localhost:8081}
     * @param basicAuthUserInfo {@code user:password} for HTTP basic authentication, or null
     * @param sslContext TLS context for {@code https} registries with a private CA, or null for the JVM default
     * @param requestTimeout time allowed to one request
     * @param maxRetries retries of a request when the registry is unreachable or answers 5xx
     * @param initialBackoff first wait between retries, doubled each time up to 5 seconds
     */
    public record Options(String baseUrl, String basicAuthUserInfo, SSLContext sslContext, Duration requestTimeout,
                          int maxRetries, Duration initialBackoff) {

        public static Options of(String baseUrl) {
            return new Options(baseUrl, null, null, Duration.ofSeconds(10), 5, Duration.ofMillis(200));
        }

        public Options withBasicAuth(String userInfo) {
            return new Options(baseUrl, userInfo, sslContext, requestTimeout, maxRetries, initialBackoff);
        }

        public Options withSslContext(SSLContext context) {
            return new Options(baseUrl, basicAuthUserInfo, context, requestTimeout, maxRetries, initialBackoff);
        }

        public Options withRetries(int retries, Duration backoff) {
            return new Options(baseUrl, basicAuthUserInfo, sslContext, requestTimeout, retries, backoff);
        }
    }

    private final Options options;
    private final String baseUrl;
    private final Map<Integer, Schema> schemaById = new ConcurrentHashMap<>();
    private final Map<String, Map<Schema, Integer>> idBySubjectAndSchema = new ConcurrentHashMap<>();

    public RestSchemaRegistryClient(Options options) {
        this.options = options;
        this.baseUrl = options.baseUrl().replaceAll("/+$", "");
    }

    public RestSchemaRegistryClient(String baseUrl) {
        this(Options.of(baseUrl));
    }

    /** The registry's base URL. */
    public String baseUrl() {
        return baseUrl;
    }

    @Override
    public int register(String subject, Schema schema) {
        Integer cached = idBySubjectAndSchema.getOrDefault(subject, Map.of()).get(schema);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = send("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema));
        int id = answer.path("id").asInt();
        remember(subject, schema, id);
        return id;
    }

    @Override
    public Schema getById(int id) {
        Schema cached = schemaById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = send("GET", "/schemas/ids/" + id, null);
        Schema schema = parse(answer.path("schema").asText());
        schemaById.putIfAbsent(id, schema);
        return schema;
    }

    @Override
    public Optional<Integer> lookup(String subject, Schema schema) {
        Integer cached = idBySubjectAndSchema.getOrDefault(subject, Map.of()).get(schema);
        if (cached != null) {
            return Optional.of(cached);
        }
        try {
            JsonNode answer = send("POST", "/subjects/" + encode(subject), schemaBody(schema));
            int id = answer.path("id").asInt();
            remember(subject, schema, id);
            return Optional.of(id);
        } catch (SchemaRegistryException e) {
            if (e.errorCode() == SchemaRegistryException.SUBJECT_NOT_FOUND || e.errorCode() == SchemaRegistryException.SCHEMA_NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public List<String> testCompatibility(String subject, Schema schema) {
        JsonNode answer;
        try {
            answer = send("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest?verbose=true", schemaBody(schema));
        } catch (SchemaRegistryException e) {
            if (e.errorCode() == SchemaRegistryException.SUBJECT_NOT_FOUND || e.errorCode() == SchemaRegistryException.VERSION_NOT_FOUND) {
                return List.of(); // nothing to be compatible with yet
            }
            throw e;
        }
        if (answer.path("is_compatible").asBoolean(false)) {
            return List.of();
        }
        List<String> problems = new ArrayList<>();
        answer.path("messages").forEach(m -> problems.add(m.asText()));
        if (problems.isEmpty()) {
            problems.add("schema is not compatible with the latest version of subject '" + subject + "'");
        }
        return problems;
    }

    private void remember(String subject, Schema schema, int id) {
        idBySubjectAndSchema.computeIfAbsent(subject, s -> new ConcurrentHashMap<>()).put(schema, id);
        schemaById.putIfAbsent(id, schema);
    }

    private static String schemaBody(Schema schema) {
        ObjectNode body = JSON.createObjectNode();
        body.put("schema", schema.toString());
        return body.toString();
    }

    private static Schema parse(String text) {
        try {
            return new Schema.Parser().parse(text);
        } catch (SchemaParseException e) {
            throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_SCHEMA,
                "Registry returned a schema that is not valid Avro: " + e.getMessage());
        }
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode send(String method, String path, String body) {
        URL url = url(path);
        Duration backoff = options.initialBackoff();
        for (int attempt = 0; ; attempt++) {
            Answer response;
            try {
                response = exchange(url, method, body);
            } catch (IOException e) {
                if (attempt >= options.maxRetries()) {
                    throw new SchemaRegistryException("Schema registry at " + baseUrl + " is unreachable after " + (attempt + 1)
                        + " attempts (" + method + " " + path + "): " + e, e);
                }
                backoff = pause(backoff);
                continue;
            }
            int status = response.status();
            if (status >= 500 && attempt < options.maxRetries()) {
                backoff = pause(backoff);
                continue;
            }
            if (status >= 200 && status < 300) {
                return readJson(response.body(), status);
            }
            throw refusal(method, path, status, response.body());
        }
    }

    /** A registry's answer: its status and body. */
    private record Answer(int status, String body) {
    }

    /**
     * One request and its answer. {@code requestTimeout} bounds the connection and each wait for the registry's bytes;
     * the answer is read to its end, so that the connection goes back to the keep-alive pool.
     */
    private Answer exchange(URL url, String method, String body) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) url.openConnection();
        if (connection instanceof HttpsURLConnection https && options.sslContext() != null) {
            https.setSSLSocketFactory(options.sslContext().getSocketFactory());
        }
        int timeout = (int) Math.min(Integer.MAX_VALUE, options.requestTimeout().toMillis());
        connection.setConnectTimeout(timeout);
        connection.setReadTimeout(timeout);
        connection.setUseCaches(false);
        connection.setRequestMethod(method);
        connection.setRequestProperty("Accept", CONTENT_TYPE + ", application/json");
        if (options.basicAuthUserInfo() != null) {
            connection.setRequestProperty("Authorization", "Basic "
                + Base64.getEncoder().encodeToString(options.basicAuthUserInfo().getBytes(StandardCharsets.UTF_8)));
        }
        if (body != null) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            connection.setRequestProperty("Content-Type", CONTENT_TYPE);
            connection.setDoOutput(true);
            connection.setFixedLengthStreamingMode(bytes.length);
            try (OutputStream out = connection.getOutputStream()) {
                out.write(bytes);
            }
        }
        int status = connection.getResponseCode();
        try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
            return new Answer(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private URL url(String path) {
        try {
            return URI.create(baseUrl + path).toURL();
        } catch (IllegalArgumentException | MalformedURLException e) {
            throw new SchemaRegistryException("Schema registry URL " + baseUrl + " is not a valid http(s) URL: " + e.getMessage(), e);
        }
    }

    private static Duration pause(Duration backoff) {
        try {
            Thread.sleep(backoff.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("Interrupted while waiting to retry the schema registry", e);
        }
        Duration next = backoff.multipliedBy(2);
        return next.compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5) : next;
    }

    private static JsonNode readJson(String body, int status) {
        try {
            return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            throw new SchemaRegistryException(status, -1, "Schema registry answered " + status + " with a body that is not JSON: "
                + abbreviate(body));
        }
    }

    /** Turns the registry's error answer into a message a user can act on. */
    private SchemaRegistryException refusal(String method, String path, int status, String body) {
        int code = status;
        String message = abbreviate(body);
        try {
            JsonNode error = JSON.readTree(body);
            code = error.path("error_code").asInt(status);
            message = error.path("message").asText(message);
        } catch (IOException | RuntimeException ignored) {
            // not a JSON error body: keep the raw text
        }
        String meaning = switch (code) {
            case SchemaRegistryException.SUBJECT_NOT_FOUND -> "subject not found";
            case SchemaRegistryException.VERSION_NOT_FOUND -> "version not found";
            case SchemaRegistryException.SCHEMA_NOT_FOUND -> "schema not found";
            case SchemaRegistryException.INCOMPATIBLE_SCHEMA -> "schema is incompatible with an earlier version";
            case SchemaRegistryException.INVALID_SCHEMA, 422 -> "schema is invalid";
            case SchemaRegistryException.INVALID_COMPATIBILITY_LEVEL -> "invalid compatibility level";
            case SchemaRegistryException.OPERATION_NOT_PERMITTED -> "operation not permitted (the registry or subject is in READONLY "
                + "or IMPORT mode)";
            case 401, 40101 -> "unauthorized: check the registry credentials";
            case 403, 40301 -> "forbidden: the registry credentials lack permission";
            default -> "registry error";
        };
        return new SchemaRegistryException(status, code, "Schema registry " + baseUrl + " refused " + method + " " + path + ": "
            + meaning + " (HTTP " + status + ", error code " + code + "): " + message);
    }

    private static String abbreviate(String body) {
        if (body == null) {
            return "";
        }
        return body.length() > 500 ? body.substring(0, 500) + "..." : body;
    }
}
