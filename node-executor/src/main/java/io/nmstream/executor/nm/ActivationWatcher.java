package io.nmstream.executor.nm;

import io.nmstream.executor.nm.dbus.NmActiveConnection;
import io.nmstream.executor.nm.dbus.NmDevice;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.freedesktop.dbus.connections.AbstractConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusSigHandler;

/**
 * Follows NetworkManager's {@code Connection.Active.StateChanged} signals so that an apply waits for an activation to
 * finish (or fail) instead of sleeping, and {@code Device.StateChanged} signals so that a failed activation can say why
 * its device failed (an activation's own reason is often just "unknown"). Subscribed once, before any activation starts,
 * so that no signal is missed.
 */
final class ActivationWatcher implements AutoCloseable {

    /**
     * What an activation ended in.
     *
     * @param activated whether the connection came up
     * @param reason the NM_ACTIVE_CONNECTION_STATE_REASON it went down with
     * @param deviceReason the NM_DEVICE_STATE_REASON its device failed with; 0 when unknown
     */
    record Outcome(boolean activated, long reason, long deviceReason) {
    }

    /** How long a failed activation waits for its device's failure signal, which NetworkManager sends just before. */
    private static final long DEVICE_SIGNAL_GRACE_MILLIS = 500;

    private final AbstractConnection connection;
    private final Map<String, Long> states = new HashMap<>();
    private final Map<String, Long> reasons = new HashMap<>();
    private final Map<String, Long> deviceFailures = new HashMap<>();
    private final DBusSigHandler<NmActiveConnection.StateChanged> handler = this::onStateChanged;
    private final DBusSigHandler<NmDevice.StateChanged> deviceHandler = this::onDeviceStateChanged;

    ActivationWatcher(AbstractConnection connection) throws DBusException {
        this.connection = connection;
        connection.addSigHandler(NmActiveConnection.StateChanged.class, handler);
        connection.addSigHandler(NmDevice.StateChanged.class, deviceHandler);
    }

    private synchronized void onDeviceStateChanged(NmDevice.StateChanged signal) {
        if (signal.newState() == NmDevice.STATE_FAILED) {
            deviceFailures.put(signal.getPath(), signal.reason());
            notifyAll();
        }
    }

    /** Forgets earlier failures of the device at {@code devicePath}, before a new activation on it. */
    synchronized void forgetDevice(String devicePath) {
        deviceFailures.remove(devicePath);
    }

    private synchronized void onStateChanged(NmActiveConnection.StateChanged signal) {
        states.put(signal.getPath(), signal.state());
        reasons.put(signal.getPath(), signal.reason());
        notifyAll();
    }

    /**
     * Waits until the active connection at {@code path} is activated or deactivated.
     *
     * @param device finds the device the activation was on, whose failure reason a failed outcome carries (asked only when
     *     the activation failed; null if unknown)
     * @param currentState reads the state property, for an activation that settled before its first signal arrived
     * @return the outcome, or null when {@code timeout} passed first
     */
    synchronized Outcome await(String path, Supplier<String> device, LongSupplier currentState, Duration timeout)
        throws InterruptedException {
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
        boolean activated = state == NmActiveConnection.STATE_ACTIVATED;
        String devicePath = activated ? null : device.get();
        if (!activated && devicePath != null && !deviceFailures.containsKey(devicePath)) {
            // the device's signal is sent first, but signals are dispatched on several threads
            long graceEnd = System.nanoTime() + DEVICE_SIGNAL_GRACE_MILLIS * 1_000_000;
            while (!deviceFailures.containsKey(devicePath) && System.nanoTime() < graceEnd) {
                wait(Math.max(1, (graceEnd - System.nanoTime()) / 1_000_000));
            }
        }
        // a failure is told once: the next activation on the device starts with a clean slate
        Long deviceReason = devicePath == null ? null : deviceFailures.remove(devicePath);
        Outcome outcome = new Outcome(activated, reasons.getOrDefault(path, 0L), deviceReason == null ? 0 : deviceReason);
        // active-connection paths are never reused: forget this one so that a long-running agent does not accumulate them
        states.remove(path);
        reasons.remove(path);
        return outcome;
    }

    /**
     * The outcome of an activation that is taken as done before NetworkManager says so (its link is up and it waits for
     * DHCP), forgetting its signals.
     */
    synchronized Outcome settled(String path) {
        states.remove(path);
        reasons.remove(path);
        return new Outcome(true, 0, 0);
    }

    @Override
    public void close() {
        try {
            connection.removeSigHandler(NmActiveConnection.StateChanged.class, handler);
            connection.removeSigHandler(NmDevice.StateChanged.class, deviceHandler);
        } catch (DBusException e) {
            // the connection is closing anyway
        }
    }
}
