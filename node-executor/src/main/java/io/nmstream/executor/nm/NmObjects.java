package io.nmstream.executor.nm;

import io.nmstream.nmstate.IpAddress;
import io.nmstream.nmstate.Route;
import io.nmstream.executor.nm.dbus.NmActiveConnection;
import io.nmstream.executor.nm.dbus.NmManager;
import io.nmstream.executor.nm.dbus.NmSettingsService;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.types.Variant;

/**
 * NetworkManager's D-Bus objects with all their properties, as one {@code GetManagedObjects} call returns them: devices,
 * their IP configurations, active connections and the list of profiles, one consistent picture in a single round trip
 * instead of a round trip per object. Profile settings are not properties ({@code GetSettings} is a method), so the
 * device snapshots are built once the settings of the profiles this picture names have been fetched.
 */
public final class NmObjects {

    static final String DEVICE = "org.freedesktop.NetworkManager.Device";
    static final String VETH = "org.freedesktop.NetworkManager.Device.Veth";
    static final String WIRED = "org.freedesktop.NetworkManager.Device.Wired";
    static final String IP4_CONFIG = "org.freedesktop.NetworkManager.IP4Config";
    static final String IP6_CONFIG = "org.freedesktop.NetworkManager.IP6Config";
    static final String SETTINGS = "org.freedesktop.NetworkManager.Settings";
    static final String ACTIVE_CONNECTION = NmActiveConnection.INTERFACE;
    /** NM_DEVICE_TYPE_VETH. */
    private static final long VETH_TYPE = 20;
    /** NM_DEVICE_STATE_PREPARE, the first state of an activation. */
    private static final long STATE_PREPARE = 40;
    /** NM_DEVICE_STATE_DEACTIVATING. */
    private static final long STATE_DEACTIVATING = 110;
    /** NM_DEVICE_STATE_REASON_NEW_ACTIVATION: the device went down to be activated again. */
    private static final long REASON_NEW_ACTIVATION = 60;

    private final Map<String, Map<String, Map<String, Variant<?>>>> objects;

    private NmObjects(Map<String, Map<String, Map<String, Variant<?>>>> objects) {
        this.objects = objects;
    }

    /** The picture {@code GetManagedObjects} returned: object path to interface name to property name to value. */
    public static NmObjects of(Map<DBusPath, Map<String, Map<String, Variant<?>>>> managedObjects) {
        Map<String, Map<String, Map<String, Variant<?>>>> byPath = new LinkedHashMap<>();
        managedObjects.forEach((path, interfaces) -> byPath.put(path.getPath(), interfaces));
        return new NmObjects(byPath);
    }

    /** NetworkManager's {@code Version} property, as this picture reports it. */
    public Optional<String> version() {
        return Optional.ofNullable(string(property(NmManager.PATH, NmManager.INTERFACE, "Version")));
    }

    /** Device paths in NetworkManager's own order (its {@code Devices} property, what {@code GetDevices} returns). */
    public List<String> devicePaths() {
        return paths(property(NmManager.PATH, NmManager.INTERFACE, "Devices"));
    }

    /** Profile paths in NetworkManager's own order (what {@code ListConnections} returns). */
    public List<String> profilePaths() {
        return paths(property(NmSettingsService.PATH, SETTINGS, "Connections"));
    }

    /** The path of the device named {@code iface}; null when there is none. */
    public String devicePath(String iface) {
        for (String path : devicePaths()) {
            if (iface.equals(string(property(path, DEVICE, "Interface")))) {
                return path;
            }
        }
        return null;
    }

    /** The software devices (bridges, veths, VXLANs, ...: every type an nmstate state can create), by interface name. */
    public Map<String, String> virtualDevices() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String path : devicePaths()) {
            Map<String, Variant<?>> p = interfaceOf(path, DEVICE);
            if (NmStateReader.interfaceType(number(p.get("DeviceType"))).isVirtual()) {
                out.put(string(p.get("Interface")), path);
            }
        }
        return out;
    }

    /**
     * The path of any device object named {@code iface}, realized or not (an unrealized software device is missing from
     * {@link #devicePaths()}); null when there is none.
     */
    public String deviceObjectPath(String iface) {
        String realized = devicePath(iface);
        if (realized != null) {
            return realized;
        }
        for (String path : objects.keySet()) {
            if (iface.equals(string(property(path, DEVICE, "Interface")))) {
                return path;
            }
        }
        return null;
    }

    /** The active connection on the device at {@code devicePath}; null when nothing is active on it. */
    public String activeConnection(String devicePath) {
        return objectPath(property(devicePath, DEVICE, "ActiveConnection"));
    }

    /** The NM_DEVICE_STATE of the device at {@code devicePath}. */
    public long deviceState(String devicePath) {
        return number(property(devicePath, DEVICE, "State"));
    }

    /**
     * Whether the device at {@code devicePath} is between states: activating, deactivating, or down only to be activated
     * again. A device that no longer exists is not.
     */
    public boolean isChanging(String devicePath) {
        Map<String, Variant<?>> p = interfaceOf(devicePath, DEVICE);
        if (p.isEmpty()) {
            return false;
        }
        long state = number(p.get("State"));
        boolean reactivating = value(p.get("StateReason")) instanceof Object[] reason && reason.length == 2
            && reason[1] instanceof Number n && n.longValue() == REASON_NEW_ACTIVATION;
        return state >= STATE_PREPARE && state < DeviceSnapshot.STATE_ACTIVATED || state == STATE_DEACTIVATING || reactivating;
    }

    /**
     * The profiles active on the devices a current state reports (managed and not loopback): the only profiles whose
     * settings a current state needs.
     */
    public Set<String> reportedActiveProfiles() {
        Set<String> out = new LinkedHashSet<>();
        for (String device : devicePaths()) {
            Map<String, Variant<?>> p = interfaceOf(device, DEVICE);
            if (NmStateReader.isReported(number(p.get("DeviceType")), number(p.get("State")), managed(p))) {
                String profile = activeProfile(device);
                if (profile != null) {
                    out.add(profile);
                }
            }
        }
        return out;
    }

    /**
     * Every device as a snapshot.
     *
     * @param settings settings by profile path; a device whose active profile is not in it is given no profile
     */
    public List<DeviceSnapshot> devices(Map<String, NmSettings> settings) {
        List<DeviceSnapshot> out = new ArrayList<>();
        for (String path : devicePaths()) {
            Map<String, Variant<?>> p = interfaceOf(path, DEVICE);
            String name = string(p.get("Interface"));
            long type = number(p.get("DeviceType"));
            String peer = null;
            if (type == VETH_TYPE) {
                String peerPath = objectPath(property(path, VETH, "Peer"));
                peer = peerPath == null ? null : string(property(peerPath, DEVICE, "Interface"));
            }
            List<IpAddress> v4 = new ArrayList<>();
            List<IpAddress> v6 = new ArrayList<>();
            List<Route> routes = new ArrayList<>();
            readIpConfig(objectPath(p.get("Ip4Config")), IP4_CONFIG, name, v4, routes);
            readIpConfig(objectPath(p.get("Ip6Config")), IP6_CONFIG, name, v6, routes);
            String profile = activeProfile(path);
            out.add(new DeviceSnapshot(name, type, number(p.get("State")), managed(p), number(p.get("Mtu")), string(p.get("HwAddress")),
                v4, v6, routes, profile == null ? null : settings.get(profile), peer, string(property(path, WIRED, "PermHwAddress"))));
        }
        return out;
    }

    /** The key under which {@link #existingProfiles} gives the ovs-port profile of an ovs-bridge's port {@code port}. */
    public static String ovsPortKey(String port) {
        // a space cannot be part of an interface name: the key cannot collide with the port interface's own
        return "ovs-port " + port;
    }

    /**
     * Every profile that names an interface, by interface: the active one when an interface has several. The ovs-port
     * profiles, which carry their port interface's name, are given under {@link #ovsPortKey}.
     *
     * @param settings settings by profile path, of every profile in {@link #profilePaths()}
     */
    public Map<String, ExistingProfile> existingProfiles(Map<String, NmSettings> settings) {
        Set<String> active = new LinkedHashSet<>();
        for (String device : devicePaths()) {
            String profile = activeProfile(device);
            if (profile != null) {
                active.add(profile);
            }
        }
        Map<String, ExistingProfile> out = new LinkedHashMap<>();
        for (String path : profilePaths()) {
            NmSettings s = settings.get(path);
            String iface = s == null ? null : s.string("connection", "interface-name");
            if (iface == null) {
                continue;
            }
            if ("ovs-port".equals(s.string("connection", "type"))) {
                iface = ovsPortKey(iface);
            }
            boolean isActive = active.contains(path);
            ExistingProfile existing = out.get(iface);
            if (existing == null || isActive && !existing.active()) {
                out.put(iface, new ExistingProfile(path, s, isActive));
            }
        }
        return out;
    }

    /** The path of the profile active on the device at {@code devicePath}; null when none is. */
    public String activeProfile(String devicePath) {
        String active = activeConnection(devicePath);
        return active == null ? null : objectPath(property(active, ACTIVE_CONNECTION, "Connection"));
    }

    private void readIpConfig(String path, String iface, String device, List<IpAddress> addresses, List<Route> routes) {
        if (path == null) {
            return;
        }
        Map<String, Variant<?>> p = interfaceOf(path, iface);
        NmSettings holder = new NmSettings();
        if (p.get("AddressData") != null) {
            holder.putRecords("ip", "addresses", castRecords(p.get("AddressData")));
            addresses.addAll(NmStateReader.addresses(holder.records("ip", "addresses")));
        }
        if (p.get("RouteData") != null) {
            holder.putRecords("ip", "routes", castRecords(p.get("RouteData")));
            for (Map<String, Object> r : holder.records("ip", "routes")) {
                Route route = NmStateReader.route(device, r);
                // the kernel's own IPv6 link-local and multicast routes say nothing about the configuration
                if (!route.destination().startsWith("fe80:") && !route.destination().startsWith("ff00:")) {
                    routes.add(route);
                }
            }
        }
    }

    private Map<String, Variant<?>> interfaceOf(String path, String iface) {
        Map<String, Map<String, Variant<?>>> interfaces = objects.get(path);
        Map<String, Variant<?>> properties = interfaces == null ? null : interfaces.get(iface);
        return properties == null ? Map.of() : properties;
    }

    private Variant<?> property(String path, String iface, String name) {
        return interfaceOf(path, iface).get(name);
    }

    private static boolean managed(Map<String, Variant<?>> device) {
        return Boolean.TRUE.equals(value(device.get("Managed")));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Variant<?>>> castRecords(Variant<?> v) {
        return (List<Map<String, Variant<?>>>) v.getValue();
    }

    private static Object value(Variant<?> v) {
        return v == null ? null : v.getValue();
    }

    private static String string(Variant<?> v) {
        Object value = value(v);
        return value == null ? null : value.toString();
    }

    private static long number(Variant<?> v) {
        return value(v) instanceof Number n ? n.longValue() : 0;
    }

    /** An object path property; null for none ("/"). */
    static String objectPath(Variant<?> v) {
        Object value = value(v);
        if (value instanceof Variant<?> inner) {
            value = inner.getValue();
        }
        String path = value instanceof DBusPath p ? p.getPath() : value == null ? null : value.toString();
        return path == null || path.equals("/") ? null : path;
    }

    /** An {@code ao} property, whether D-Bus handed it over as a list or as an array. */
    private static List<String> paths(Variant<?> v) {
        List<String> out = new ArrayList<>();
        Object value = value(v);
        if (value instanceof Collection<?> list) {
            list.forEach(p -> out.add(p instanceof DBusPath d ? d.getPath() : p.toString()));
        } else if (value instanceof Object[] array) {
            for (Object p : array) {
                out.add(p instanceof DBusPath d ? d.getPath() : p.toString());
            }
        }
        return out;
    }
}
