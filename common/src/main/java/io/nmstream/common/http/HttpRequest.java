package io.nmstream.common.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Request;

/**
 * A request as an {@link HttpService} sees it: its method, path, query, headers and the client's address. The body
 * comes separately, read in full and within the server's limits.
 */
public final class HttpRequest {

    private final String method;
    private final String path;
    private final String rawPath;
    private final String query;
    private final HttpFields headers;
    private final String remoteAddress;
    private final boolean secure;

    private HttpRequest(String method, String path, String rawPath, String query, HttpFields headers, String remoteAddress,
        boolean secure) {
        this.method = method;
        this.path = path;
        this.rawPath = rawPath;
        this.query = query;
        this.headers = headers;
        this.remoteAddress = remoteAddress;
        this.secure = secure;
    }

    static HttpRequest of(Request request) {
        String decoded = request.getHttpURI().getDecodedPath();
        return new HttpRequest(request.getMethod(), decoded == null ? "/" : decoded, request.getHttpURI().getPath(),
            request.getHttpURI().getQuery(), request.getHeaders().asImmutable(), Request.getRemoteAddr(request), request.isSecure());
    }

    /** The method, in upper case as sent ({@code GET}). */
    public String method() {
        return method;
    }

    /** The path, percent-decoded ({@code /v1/policies/a}). */
    public String path() {
        return path;
    }

    /** The path as sent, not decoded, for APIs whose segments may hold an encoded {@code /}. */
    public String rawPath() {
        return rawPath;
    }

    /** The query as sent, without the {@code ?}; null when there is none. */
    public String query() {
        return query;
    }

    /**
     * The query's parameters in the order sent, percent-decoded, each with every value it was given ({@code a&b=1&b=2}:
     * {@code a=[""], b=["1", "2"]}); empty when there is no query.
     */
    public Map<String, List<String>> queryParameters() {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return parameters;
        }
        for (String parameter : query.split("&")) {
            if (parameter.isEmpty()) {
                continue;
            }
            int equals = parameter.indexOf('=');
            String name = decode(equals < 0 ? parameter : parameter.substring(0, equals));
            String value = equals < 0 ? "" : decode(parameter.substring(equals + 1));
            parameters.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return parameters;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            // a malformed escape is kept as sent, so that the service names what the client wrote
            return text;
        }
    }

    /** The first value of header {@code name} (any case); null when absent. */
    public String header(String name) {
        return headers.get(name);
    }

    /** Every value of header {@code name}. */
    public List<String> headers(String name) {
        return headers.getValuesList(name);
    }

    /** The client's IP address. */
    public String remoteAddress() {
        return remoteAddress;
    }

    /** True when the request came over TLS. */
    public boolean secure() {
        return secure;
    }

    @Override
    public String toString() {
        return method + " " + rawPath + (query == null ? "" : "?" + query);
    }
}
