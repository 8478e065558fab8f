package io.nmstream.executor.nm.dbus;

import java.util.List;
import java.util.Map;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.DBusMemberName;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;

/** {@code org.freedesktop.NetworkManager.Settings}: the profile store. */
@DBusInterfaceName("org.freedesktop.NetworkManager.Settings")
public interface NmSettingsService extends DBusInterface {

    String PATH = "/org/freedesktop/NetworkManager/Settings";

    @DBusMemberName("ListConnections")
    List<DBusPath> listConnections();

    @DBusMemberName("AddConnection2")
    PathAndResult addConnection2(Map<String, Map<String, Variant<?>>> settings, UInt32 flags, Map<String, Variant<?>> args);
}
