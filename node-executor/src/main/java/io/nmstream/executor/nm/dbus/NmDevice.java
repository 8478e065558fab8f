package io.nmstream.executor.nm.dbus;

import java.util.Map;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.DBusMemberName;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.UInt64;
import org.freedesktop.dbus.types.Variant;

/** {@code org.freedesktop.NetworkManager.Device}: the device methods nmstream calls, and the device state signal. */
@DBusInterfaceName("org.freedesktop.NetworkManager.Device")
public interface NmDevice extends DBusInterface {

    /** NM_DEVICE_STATE_FAILED. */
    long STATE_FAILED = 120;

    /** Emitted on every state change of a device: the new state, the old one and why (an NM_DEVICE_STATE_REASON). */
    class StateChanged extends DBusSignal {
        private final UInt32 newState;
        private final UInt32 reason;

        public StateChanged(String path, UInt32 newState, UInt32 oldState, UInt32 reason) throws DBusException {
            super(path, newState, oldState, reason);
            this.newState = newState;
            this.reason = reason;
        }

        public long newState() {
            return newState.longValue();
        }

        public long reason() {
            return reason.longValue();
        }
    }

    /**
     * Applies changed settings to the active device without deactivating it; fails when a changed setting cannot be
     * applied that way. An empty {@code connection} means the settings its profile holds now.
     */
    @DBusMemberName("Reapply")
    void reapply(Map<String, Map<String, Variant<?>>> connection, UInt64 versionId, UInt32 flags);

    /** Removes a software device and its link from the system; fails for hardware. */
    @DBusMemberName("Delete")
    void delete();
}
