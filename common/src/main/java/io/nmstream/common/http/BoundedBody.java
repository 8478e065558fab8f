package io.nmstream.common.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Reads a request's body without holding a thread while the client is slow: chunks are taken as they arrive, and the
 * read ends with the complete body, or fails once the body passes the size limit or the body timeout.
 */
final class BoundedBody {

    /** The body is larger than the limit. */
    static final class TooLarge extends Exception {
        TooLarge(long limit) {
            super("request body larger than the limit of " + limit + " bytes", null, false, false);
        }
    }

    /** The client did not send the complete body in time. */
    static final class TooSlow extends TimeoutException {
        TooSlow(Duration timeout) {
            super("request body not complete within " + timeout.toMillis() + " ms");
        }
    }

    private final Request request;
    private final long limit;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile Scheduler.Task timeout;

    private BoundedBody(Request request, long limit) {
        this.request = request;
        this.limit = limit;
    }

    /** The complete body of {@code request}; fails with {@link TooLarge}, {@link TooSlow} or the transport's failure. */
    static CompletableFuture<byte[]> read(Request request, long limit, Duration timeout, Scheduler scheduler) {
        BoundedBody body = new BoundedBody(request, limit);
        body.readAvailable();
        if (!body.result.isDone()) {
            body.timeout = scheduler.schedule(() -> body.fail(new TooSlow(timeout)), timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (body.result.isDone()) {
                body.timeout.cancel();
            }
        }
        return body.result;
    }

    private void readAvailable() {
        while (!finished.get()) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                request.demand(this::readAvailable);
                return;
            }
            if (Content.Chunk.isFailure(chunk)) {
                fail(chunk.getFailure());
                return;
            }
            ByteBuffer buffer = chunk.getByteBuffer();
            int size = buffer.remaining();
            if (bytes.size() + (long) size > limit) {
                chunk.release();
                fail(new TooLarge(limit));
                return;
            }
            byte[] part = new byte[size];
            buffer.get(part);
            bytes.write(part, 0, size);
            boolean last = chunk.isLast();
            chunk.release();
            if (last) {
                if (finished.compareAndSet(false, true)) {
                    cancelTimeout();
                    result.complete(bytes.toByteArray());
                }
                return;
            }
        }
    }

    private void fail(Throwable failure) {
        if (finished.compareAndSet(false, true)) {
            cancelTimeout();
            // stop the transport reading on: the rest of the body is never wanted
            request.fail(failure);
            result.completeExceptionally(failure);
        }
    }

    /** A finished read needs no timeout: cancelling it lets the body go before the timeout would have fired. */
    private void cancelTimeout() {
        Scheduler.Task task = timeout;
        if (task != null) {
            task.cancel();
        }
    }
}
