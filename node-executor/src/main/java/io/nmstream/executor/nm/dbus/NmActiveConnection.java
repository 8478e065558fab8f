package io.nmstream.executor.nm.dbus;

import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt32;

/** {@code org.freedesktop.NetworkManager.Connection.Active}: an activation in progress or done, and its state signal. */
@DBusInterfaceName("org.freedesktop.NetworkManager.Connection.Active")
public interface NmActiveConnection extends DBusInterface {

    String INTERFACE = "org.freedesktop.NetworkManager.Connection.Active";

    /** NM_ACTIVE_CONNECTION_STATE_ACTIVATED. */
    long STATE_ACTIVATED = 2;
    /** NM_ACTIVE_CONNECTION_STATE_DEACTIVATED. */
    long STATE_DEACTIVATED = 4;

    /** Emitted on every state change of an active connection: the new state and why. */
    class StateChanged extends DBusSignal {
        private final UInt32 state;
        private final UInt32 reason;

        public StateChanged(String path, UInt32 state, UInt32 reason) throws DBusException {
            super(path, state, reason);
            this.state = state;
            this.reason = reason;
        }

        public long state() {
            return state.longValue();
        }

        public long reason() {
            return reason.longValue();
        }
    }
}
