package io.nmstream.common.http;

import java.util.List;
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

    /** True when the query has {@code name=true} or a bare {@code name}. */
    public boolean queryFlag(String name) {
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
