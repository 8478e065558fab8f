package io.nmstream.reconciler.errors;

import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what happens when a stream thread dies: it is replaced (its tasks resume from the last committed
 * transaction, so nothing is lost or duplicated), unless the error says the client itself is unusable.
 */
public final class ReconcilerUncaughtExceptionHandler implements StreamsUncaughtExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ReconcilerUncaughtExceptionHandler.class);

    @Override
    public StreamThreadExceptionResponse handle(Throwable exception) {
        if (exception instanceof Error && !(exception instanceof StackOverflowError)) {
            LOG.error("Reconciler stream thread died of a JVM error; shutting the reconciler down", exception);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        LOG.error("Reconciler stream thread died; replacing it, its tasks resume from the last commit", exception);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }
}
