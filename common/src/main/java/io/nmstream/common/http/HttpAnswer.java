package io.nmstream.common.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What an {@link HttpService} answers: the status, the body with its content type, and any further headers.
 *
 * @param headers further response headers ({@code WWW-Authenticate}, {@code Allow}), in order
 */
public record HttpAnswer(int status, String contentType, byte[] body, Map<String, String> headers) {

    public static final String JSON = "application/json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public HttpAnswer {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
        headers = Map.copyOf(headers);
    }

    /** A JSON answer. */
    public static HttpAnswer json(int status, JsonNode body) {
        return json(status, body.toString(), JSON);
    }

    /** A JSON answer whose body is already serialised, with its media type ({@code application/vnd.schemaregistry.v1+json}). */
    public static HttpAnswer json(int status, String body, String contentType) {
        return new HttpAnswer(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** A text answer ({@code text/plain; version=0.0.4} for Prometheus). */
    public static HttpAnswer text(int status, String body, String contentType) {
        return new HttpAnswer(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** nmstream's error body, {@code {"error": message}}. */
    public static HttpAnswer error(int status, String message) {
        return json(status, errorBody(message));
    }

    /** A fresh {@code {"error": message}} object, to add further fields to (a policy's problems). */
    public static ObjectNode errorBody(String message) {
        return MAPPER.createObjectNode().put("error", message);
    }

    /** This answer with one more header. */
    public HttpAnswer withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new HttpAnswer(status, contentType, body, more);
    }

    /** The body as text, for logs and tests. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
