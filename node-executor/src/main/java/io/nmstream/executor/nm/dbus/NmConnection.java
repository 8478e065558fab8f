package io.nmstream.executor.nm.dbus;

import java.util.Map;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.DBusMemberName;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;

/** {@code org.freedesktop.NetworkManager.Settings.Connection}: one profile. */
@DBusInterfaceName("org.freedesktop.NetworkManager.Settings.Connection")
public interface NmConnection extends DBusInterface {

    @DBusMemberName("GetSettings")
    Map<String, Map<String, Variant<?>>> getSettings();

    @DBusMemberName("Update2")
    Map<String, Variant<?>> update2(Map<String, Map<String, Variant<?>>> settings, UInt32 flags, Map<String, Variant<?>> args);

    @DBusMemberName("Delete")
    void delete();
}
