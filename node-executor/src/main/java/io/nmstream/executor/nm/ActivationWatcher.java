package io.nmstream.executor.nm;

import io.nmstream.executor.nm.dbus.NmActiveConnection;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.freedesktop.dbus.connections.AbstractConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusSigHandler;

/**
 * Follows NetworkManager's {@code Connection.Active.StateChanged} signals so that an apply waits for an activation to
 * finish (or fail) instead of sleeping. Subscribed once, before any activation starts, so that no signal is missed.
 */
final class ActivationWatcher implements AutoCloseable {

    /** What an activation ended in. */
    record Outcome(boolean activated, long reason) {
    }

    private final AbstractConnection connection;
    private final Map<String, Long> states = new HashMap<>();
    private final Map<String, Long> reasons = new HashMap<>();
    private final DBusSigHandler<NmActiveConnection.StateChanged> handler = this::onStateChanged;

    ActivationWatcher(AbstractConnection connection) throws DBusException {
        this.connection = connection;
        connection.addSigHandler(NmActiveConnection.StateChanged.class, handler);
    }

    private synchronized void onStateChanged(NmActiveConnection.StateChanged signal) {
        states.put(signal.getPath(), signal.state());
        reasons.put(signal.getPath(), signal.reason());
        notifyAll();
    }

    /**
     * Waits until the active connection at {@code path} is activated or deactivated.
     *
     * @param currentState reads the state property, for an activation that settled before its first signal arrived
     * @return the outcome, or null when {@code timeout} passed first
     */
    synchronized Outcome await(String path, LongSupplier currentState, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Long state = states.get(path);
        if (state == null) {
            state = currentState.getAsLong();
        }
        while (state != NmActiveConnection.STATE_ACTIVATED && state != NmActiveConnection.STATE_DEACTIVATED) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            wait(Math.max(1, left / 1_000_000));
            state = states.getOrDefault(path, state);
        }
        Outcome outcome = new Outcome(state == NmActiveConnection.STATE_ACTIVATED, reasons.getOrDefault(path, 0L));
        // active-connection paths are never reused: forget this one so that a long-running agent does not accumulate them
        states.remove(path);
        reasons.remove(path);
        return outcome;
    }

    @Override
    public void close() {
        try {
            connection.removeSigHandler(NmActiveConnection.StateChanged.class, handler);
        } catch (DBusException e) {
            // the connection is closing anyway
        }
    }
}
