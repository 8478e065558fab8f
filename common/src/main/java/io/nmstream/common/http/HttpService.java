package io.nmstream.common.http;

import java.util.Optional;

/**
 * One HTTP API (its routing and answers) served by an {@link HttpServer}, which takes care of the transport: threads,
 * timeouts, size limits, TLS and the errors of HTTP itself.
 *
 * <p>A request reaches the service twice: {@link #screen} sees its headers before any body byte is read, so that a
 * request refused there (no credentials, a content type the API does not take) holds no thread while its client sends
 * a body slowly; {@link #answer} gets the complete body and may block (it runs on one of the server's worker threads).
 */
public interface HttpService {

    /** An answer that ends the request before its body is read (401, 405, 415), or empty to read the body and answer. */
    default Optional<HttpAnswer> screen(HttpRequest request) {
        return Optional.empty();
    }

    /** Answers {@code request}, whose complete body is {@code body} (empty when it has none). */
    HttpAnswer answer(HttpRequest request, byte[] body) throws Exception;

    /**
     * The answer for an error found by the server rather than the service (a malformed request, headers or body too
     * large or too slow, an exception of {@link #answer}), in this API's error format; {@code {"error": message}} unless
     * the API has its own.
     */
    default HttpAnswer error(int status, String message) {
        return HttpAnswer.error(status, message);
    }
}
