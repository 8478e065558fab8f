package io.nmstream.common.http;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The errors Jetty finds itself (a malformed request, headers too large, a failure outside the service) answered in the
 * service's own error format, so that every answer of nmstream's APIs is JSON, never an HTML error page.
 */
final class JsonErrorHandler extends ErrorHandler {

    private final HttpService service;

    JsonErrorHandler(HttpService service) {
        this.service = service;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        String message = (String) request.getAttribute(ERROR_MESSAGE);
        Throwable cause = (Throwable) request.getAttribute(ERROR_EXCEPTION);
        if (cause instanceof HttpException http) {
            status = http.getCode();
            response.setStatus(status);
            if (message == null) {
                message = http.getReason();
            }
        }
        if (message == null) {
            message = HttpStatus.getMessage(status);
        }
        HttpAnswer answer = service.error(status, message);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, answer.contentType());
        response.getHeaders().put(ERROR_CACHE_CONTROL);
        if (HttpStatus.hasNoBody(status) || "HEAD".equals(request.getMethod())) {
            callback.succeeded();
        } else {
            response.write(true, ByteBuffer.wrap(answer.body()), callback);
        }
        return true;
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        HttpAnswer answer = service.error(status, reason == null ? HttpStatus.getMessage(status) : reason);
        fields.put(new HttpField(HttpHeader.CONTENT_TYPE, answer.contentType()));
        return ByteBuffer.wrap(answer.body());
    }
}
