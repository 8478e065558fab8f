package io.nmstream.common.http;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's side of an {@link HttpService}: screens each request on its headers, reads the body within the limits
 * (without a thread while the client is slow), runs the service on a worker thread and writes its answer.
 */
final class ServiceHandler extends Handler.Abstract {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceHandler.class);

    private final HttpService service;
    private final HttpServerSettings settings;
    private final HeaderTimeout headerTimeout;

    ServiceHandler(HttpService service, HttpServerSettings settings, HeaderTimeout headerTimeout) {
        this.service = service;
        this.settings = settings;
        this.headerTimeout = headerTimeout;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Request.addCompletionListener(request, failure -> headerTimeout.answered(request.getConnectionMetaData().getConnection()));
        HttpRequest incoming = HttpRequest.of(request);
        Optional<HttpAnswer> refused;
        try {
            refused = service.screen(incoming);
        } catch (RuntimeException e) {
            write(response, callback, failed(incoming, e), false);
            return true;
        }
        if (refused.isPresent()) {
            // the body (if any) is never read: the connection is closed after the answer rather than drained
            write(response, callback, refused.get(), request.getLength() != 0);
            return true;
        }
        if (request.getLength() > settings.maxBodyBytes()) {
            write(response, callback, service.error(413, "request body of " + request.getLength() + " bytes is larger than the limit of "
                + settings.maxBodyBytes() + " bytes"), true);
            return true;
        }
        CompletableFuture<byte[]> body = BoundedBody.read(request, settings.maxBodyBytes(), settings.bodyTimeout(),
            request.getComponents().getScheduler());
        if (body.isDone()) {
            // read at once (no body, or all of it had arrived): this is a worker thread already
            respond(incoming, body, response, callback);
        } else {
            body.whenComplete((bytes, failure) -> request.getContext().execute(() -> respond(incoming, body, response, callback)));
        }
        return true;
    }

    private void respond(HttpRequest incoming, CompletableFuture<byte[]> body, Response response, Callback callback) {
        byte[] bytes;
        try {
            bytes = body.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof BoundedBody.TooLarge) {
                write(response, callback, service.error(413, cause.getMessage()), true);
            } else if (cause instanceof BoundedBody.TooSlow) {
                write(response, callback, service.error(408, cause.getMessage()), true);
            } else {
                LOG.debug("{} {}: reading the request body failed", settings.name(), incoming, cause);
                write(response, callback, service.error(400, "the request body could not be read: " + cause), true);
            }
            return;
        }
        HttpAnswer answer;
        try {
            answer = service.answer(incoming, bytes);
        } catch (Exception e) {
            answer = failed(incoming, e);
        }
        write(response, callback, answer, false);
    }

    private HttpAnswer failed(HttpRequest incoming, Exception e) {
        LOG.error("{} failed to answer {}", settings.name(), incoming, e);
        return service.error(500, "internal error: " + e);
    }

    private static void write(Response response, Callback callback, HttpAnswer answer, boolean close) {
        response.setStatus(answer.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, answer.contentType());
        answer.headers().forEach((name, value) -> response.getHeaders().put(name, value));
        if (close) {
            response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        }
        response.write(true, ByteBuffer.wrap(answer.body()), callback);
    }
}
