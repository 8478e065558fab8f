package io.nmstream.common.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection whose client does not send a request's complete headers within the header timeout: counted
 * from the connection's start, then from each answer on it. Jetty's idle timeout alone would let a client that sends one
 * byte every few seconds hold its connection for ever.
 */
final class HeaderTimeout implements Connection.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(HeaderTimeout.class);

    /** One wait of a connection for a request: how many requests it had received when the wait began (compared by identity). */
    private static final class Waiting {
        private final long requestsBefore;
        private volatile Scheduler.Task check;

        Waiting(long requestsBefore) {
            this.requestsBefore = requestsBefore;
        }

        long requestsBefore() {
            return requestsBefore;
        }

        /** Drops the pending check, so that a closed connection or an ended wait is not held until it fires. */
        void cancel() {
            Scheduler.Task task = check;
            if (task != null) {
                task.cancel();
            }
        }
    }

    private final Scheduler scheduler;
    private final long timeoutNanos;
    private final Map<Connection, Waiting> waiting = new ConcurrentHashMap<>();

    HeaderTimeout(Scheduler scheduler, Duration timeout) {
        this.scheduler = scheduler;
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public void onOpened(Connection connection) {
        // only the HTTP connection counts requests; under TLS it sits on a TLS connection, which this listener also sees
        if (connection instanceof ConnectionMetaData) {
            startWaiting(connection);
        }
    }

    @Override
    public void onClosed(Connection connection) {
        Waiting wait = waiting.remove(connection);
        if (wait != null) {
            wait.cancel();
        }
    }

    /** The answer to a request on {@code connection} is complete: the client's next request starts its own wait. */
    void answered(Connection connection) {
        if (connection != null && connection.getEndPoint().isOpen()) {
            startWaiting(connection);
        }
    }

    private void startWaiting(Connection connection) {
        Waiting wait = new Waiting(connection.getMessagesIn());
        Waiting previous = waiting.put(connection, wait);
        if (previous != null) {
            previous.cancel();
        }
        wait.check = scheduler.schedule(() -> check(connection, wait), timeoutNanos, TimeUnit.NANOSECONDS);
    }

    private void check(Connection connection, Waiting wait) {
        // a later answer started another wait, the connection closed, or a request's headers arrived (its answer starts the next wait)
        if (waiting.get(connection) != wait || connection.getMessagesIn() != wait.requestsBefore()) {
            return;
        }
        LOG.debug("Closing {}: no complete request headers within {} ms", connection.getEndPoint().getRemoteSocketAddress(),
            TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
        waiting.remove(connection, wait);
        connection.getEndPoint().close();
    }
}
