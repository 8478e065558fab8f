package io.nmstream.executor.nm.dbus;

import java.util.List;
import java.util.Map;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.DBusMemberName;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.types.UInt32;

/** The D-Bus methods of {@code org.freedesktop.NetworkManager} that nmstream calls. */
@DBusInterfaceName("org.freedesktop.NetworkManager")
public interface NmManager extends DBusInterface {

    String BUS_NAME = "org.freedesktop.NetworkManager";
    String PATH = "/org/freedesktop/NetworkManager";
    String INTERFACE = "org.freedesktop.NetworkManager";

    @DBusMemberName("GetDevices")
    List<DBusPath> getDevices();

    @DBusMemberName("ActivateConnection")
    DBusPath activateConnection(DBusPath connection, DBusPath device, DBusPath specificObject);

    @DBusMemberName("DeactivateConnection")
    void deactivateConnection(DBusPath activeConnection);

    @DBusMemberName("CheckpointCreate")
    DBusPath checkpointCreate(List<DBusPath> devices, UInt32 rollbackTimeout, UInt32 flags);

    @DBusMemberName("CheckpointDestroy")
    void checkpointDestroy(DBusPath checkpoint);

    @DBusMemberName("CheckpointRollback")
    Map<String, UInt32> checkpointRollback(DBusPath checkpoint);
}
