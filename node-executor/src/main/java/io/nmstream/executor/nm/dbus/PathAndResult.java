package io.nmstream.executor.nm.dbus;

import java.util.Map;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.Tuple;
import org.freedesktop.dbus.annotations.Position;
import org.freedesktop.dbus.types.Variant;

/** The {@code (o, a{sv})} reply of {@code AddConnection2}: the new profile's path and NetworkManager's result map. */
public final class PathAndResult extends Tuple {

    @Position(0)
    private final DBusPath path;
    @Position(1)
    private final Map<String, Variant<?>> result;

    public PathAndResult(DBusPath path, Map<String, Variant<?>> result) {
        this.path = path;
        this.result = result;
    }

    public DBusPath getPath() {
        return path;
    }

    public Map<String, Variant<?>> getResult() {
        return result;
    }
}
