package io.nmstream.executor.nm.dbus;

import java.util.Map;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.DBusMemberName;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.UInt64;
import org.freedesktop.dbus.types.Variant;

/** {@code org.freedesktop.NetworkManager.Device}: the one device method nmstream calls. */
@DBusInterfaceName("org.freedesktop.NetworkManager.Device")
public interface NmDevice extends DBusInterface {

    /**
     * Applies changed settings to the active device without deactivating it; fails when a changed setting cannot be
     * applied that way. An empty {@code connection} means the settings its profile holds now.
     */
    @DBusMemberName("Reapply")
    void reapply(Map<String, Map<String, Variant<?>>> connection, UInt64 versionId, UInt32 flags);
}
