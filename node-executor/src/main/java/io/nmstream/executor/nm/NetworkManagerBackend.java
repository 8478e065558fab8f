package io.nmstream.executor.nm;

import io.nmstream.executor.backend.ApplyOptions;
import io.nmstream.executor.backend.BackendException;
import io.nmstream.executor.backend.Checkpoint;
import io.nmstream.executor.backend.ConnectivityProbes;
import io.nmstream.executor.backend.NetworkBackend;
import io.nmstream.executor.backend.Probe;
import io.nmstream.executor.backend.ProbeResult;
import io.nmstream.executor.model.IpAddress;
import io.nmstream.executor.model.NetworkState;
import io.nmstream.executor.model.Route;
import io.nmstream.executor.nm.dbus.NmActiveConnection;
import io.nmstream.executor.nm.dbus.NmConnection;
import io.nmstream.executor.nm.dbus.NmManager;
import io.nmstream.executor.nm.dbus.NmSettingsService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies desired states through a real NetworkManager over D-Bus, the way nmstate does: checkpoints over every device,
 * profiles added with {@code AddConnection2} or updated in place with {@code Update2}, activations in dependency order
 * awaited through NetworkManager's state signals.
 */
public final class NetworkManagerBackend implements NetworkBackend {

    private static final Logger LOG = LoggerFactory.getLogger(NetworkManagerBackend.class);

    private static final String DEVICE = "org.freedesktop.NetworkManager.Device";
    private static final String VETH = "org.freedesktop.NetworkManager.Device.Veth";
    private static final String IP4_CONFIG = "org.freedesktop.NetworkManager.IP4Config";
    private static final String IP6_CONFIG = "org.freedesktop.NetworkManager.IP6Config";
    private static final DBusPath NO_OBJECT = new DBusPath("/");

    /** NM_CHECKPOINT_CREATE_FLAG_DELETE_NEW_CONNECTIONS | NM_CHECKPOINT_CREATE_FLAG_DISCONNECT_NEW_DEVICES. */
    static final long CHECKPOINT_FLAGS = 0x02 | 0x04;
    /** NM_SETTINGS_ADD_CONNECTION2_FLAG_TO_DISK (the same bit as NM_SETTINGS_UPDATE2_FLAG_TO_DISK). */
    private static final long TO_DISK = 0x1;
    /** NM_SETTINGS_ADD_CONNECTION2_FLAG_IN_MEMORY (the same bit as NM_SETTINGS_UPDATE2_FLAG_IN_MEMORY). */
    private static final long IN_MEMORY = 0x2;

    private final DBusConnection connection;
    private final NmManager manager;
    private final NmSettingsService settings;
    private final ActivationWatcher watcher;
    private final String version;

    private NetworkManagerBackend(DBusConnection connection) throws DBusException {
        this.connection = connection;
        this.manager = connection.getRemoteObject(NmManager.BUS_NAME, NmManager.PATH, NmManager.class);
        this.settings = connection.getRemoteObject(NmManager.BUS_NAME, NmSettingsService.PATH, NmSettingsService.class);
        this.watcher = new ActivationWatcher(connection);
        this.version = String.valueOf((Object) properties(NmManager.PATH).Get(NmManager.INTERFACE, "Version"));
    }

    /**
     * Connects to NetworkManager.
     *
     * @param busAddress a D-Bus address ({@code unix:path=/run/dbus/system_bus_socket}); empty for the system bus
     */
    public static NetworkManagerBackend connect(String busAddress) {
        try {
            DBusConnectionBuilder builder = busAddress == null || busAddress.isBlank()
                ? DBusConnectionBuilder.forSystemBus() : DBusConnectionBuilder.forAddress(busAddress);
            return new NetworkManagerBackend(builder.withShared(false).build());
        } catch (DBusException | DBusExecutionException e) {
            throw new BackendException("Cannot reach NetworkManager on "
                + (busAddress == null || busAddress.isBlank() ? "the system bus" : busAddress) + ": " + e.getMessage(), e.getMessage(), e);
        }
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public NetworkState currentState() {
        try {
            return NmStateReader.read(snapshot());
        } catch (DBusExecutionException e) {
            throw new BackendException("Cannot read the current state from NetworkManager: " + e.getMessage(), e.getMessage(), e);
        }
    }

    private List<DeviceSnapshot> snapshot() {
        Map<String, Map<String, Variant<?>>> byPath = new LinkedHashMap<>();
        Map<String, String> names = new LinkedHashMap<>();
        for (DBusPath device : manager.getDevices()) {
            Map<String, Variant<?>> props = properties(device.getPath()).GetAll(DEVICE);
            byPath.put(device.getPath(), props);
            names.put(device.getPath(), String.valueOf(props.get("Interface").getValue()));
        }
        List<DeviceSnapshot> out = new ArrayList<>();
        byPath.forEach((path, p) -> {
            long type = number(p.get("DeviceType"));
            String peer = null;
            if (type == 20) {
                Object peerPath = properties(path).Get(VETH, "Peer");
                peer = peerPath instanceof DBusPath d ? names.get(d.getPath()) : null;
            }
            List<IpAddress> v4 = new ArrayList<>();
            List<IpAddress> v6 = new ArrayList<>();
            List<Route> routes = new ArrayList<>();
            String name = names.get(path);
            readIpConfig(p.get("Ip4Config"), IP4_CONFIG, name, v4, routes);
            readIpConfig(p.get("Ip6Config"), IP6_CONFIG, name, v6, routes);
            NmSettings profile = null;
            String active = objectPath(p.get("ActiveConnection"));
            if (active != null) {
                String profilePath = objectPath(new Variant<>(properties(active).Get(NmActiveConnection.INTERFACE, "Connection")));
                if (profilePath != null) {
                    profile = NmSettings.of(remote(profilePath, NmConnection.class).getSettings());
                }
            }
            out.add(new DeviceSnapshot(name, type, number(p.get("State")), Boolean.TRUE.equals(p.get("Managed").getValue()),
                number(p.get("Mtu")), String.valueOf(p.get("HwAddress").getValue()), v4, v6, routes, profile, peer));
        });
        return out;
    }

    private void readIpConfig(Variant<?> pathVariant, String iface, String device, List<IpAddress> addresses, List<Route> routes) {
        String path = objectPath(pathVariant);
        if (path == null) {
            return;
        }
        Map<String, Variant<?>> p = properties(path).GetAll(iface);
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

    @SuppressWarnings("unchecked")
    private static List<Map<String, Variant<?>>> castRecords(Variant<?> v) {
        return (List<Map<String, Variant<?>>>) v.getValue();
    }

    /** Every profile NetworkManager holds, by interface: the active one when an interface has several. */
    Map<String, ExistingProfile> existingProfiles() {
        Map<String, String> activeProfiles = new LinkedHashMap<>();
        for (DBusPath device : manager.getDevices()) {
            String active = objectPath(properties(device.getPath()).GetAll(DEVICE).get("ActiveConnection"));
            if (active != null) {
                String profile = objectPath(new Variant<>(properties(active).Get(NmActiveConnection.INTERFACE, "Connection")));
                if (profile != null) {
                    activeProfiles.put(profile, active);
                }
            }
        }
        Map<String, ExistingProfile> out = new LinkedHashMap<>();
        for (DBusPath path : settings.listConnections()) {
            NmSettings s = NmSettings.of(remote(path.getPath(), NmConnection.class).getSettings());
            String iface = s.string("connection", "interface-name");
            if (iface == null) {
                continue;
            }
            boolean active = activeProfiles.containsKey(path.getPath());
            ExistingProfile existing = out.get(iface);
            if (existing == null || active && !existing.active()) {
                out.put(iface, new ExistingProfile(path.getPath(), s, active));
            }
        }
        return out;
    }

    @Override
    public Checkpoint createCheckpoint(Duration rollbackTimeout) {
        try {
            DBusPath path = manager.checkpointCreate(List.of(), new UInt32(rollbackTimeout.toSeconds()), new UInt32(CHECKPOINT_FLAGS));
            return new Checkpoint(path.getPath());
        } catch (DBusExecutionException e) {
            throw new BackendException("Cannot create a checkpoint: " + e.getMessage(), e.getMessage(), e);
        }
    }

    @Override
    public List<Checkpoint> checkpoints() {
        Object value = properties(NmManager.PATH).Get(NmManager.INTERFACE, "Checkpoints");
        List<Checkpoint> out = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(p -> out.add(new Checkpoint(((DBusPath) p).getPath())));
        } else if (value instanceof DBusPath[] array) {
            for (DBusPath p : array) {
                out.add(new Checkpoint(p.getPath()));
            }
        }
        return out;
    }

    @Override
    public void rollback(Checkpoint checkpoint) {
        try {
            Map<String, UInt32> results = manager.checkpointRollback(new DBusPath(checkpoint.id()));
            LOG.info("Rolled back checkpoint {}: {}", checkpoint.id(), results);
        } catch (DBusExecutionException e) {
            throw new BackendException("Cannot roll back checkpoint " + checkpoint.id() + ": " + e.getMessage(), e.getMessage(), e);
        }
    }

    @Override
    public void commit(Checkpoint checkpoint) {
        try {
            manager.checkpointDestroy(new DBusPath(checkpoint.id()));
        } catch (DBusExecutionException e) {
            throw new BackendException("Cannot commit checkpoint " + checkpoint.id() + " (it may have timed out and rolled back): "
                + e.getMessage(), e.getMessage(), e);
        }
    }

    @Override
    public void apply(NetworkState desired, ApplyOptions options) {
        NetworkState current = currentState();
        List<ProfileChange> plan = ProfilePlanner.plan(desired, current, existingProfiles());
        Map<String, String> profilePaths = new LinkedHashMap<>();
        for (ProfileChange change : plan) {
            profilePaths.put(change.iface(), write(change, options));
        }
        for (ProfileChange change : plan) {
            if (change.activate()) {
                activate(change, profilePaths.get(change.iface()), options.activationTimeout());
            }
        }
    }

    /** Writes one change; returns the profile's path (null when it was deleted). */
    private String write(ProfileChange change, ApplyOptions options) {
        long flags = options.memoryOnly() ? IN_MEMORY : TO_DISK;
        try {
            switch (change.action()) {
                case CREATE -> {
                    LOG.info("Adding profile for {}", change.iface());
                    return settings.addConnection2(change.settings().toDbus(), new UInt32(flags), Map.of()).getPath().getPath();
                }
                case UPDATE -> {
                    LOG.info("Updating profile {} of {}", change.existing().uuid(), change.iface());
                    remote(change.existing().path(), NmConnection.class).update2(change.settings().toDbus(), new UInt32(flags), Map.of());
                    return change.existing().path();
                }
                case DEACTIVATE -> {
                    deactivate(change.iface());
                    return change.existing().path();
                }
                default -> {
                    LOG.info("Deleting profile {} of {}", change.existing().uuid(), change.iface());
                    remote(change.existing().path(), NmConnection.class).delete();
                    return null;
                }
            }
        } catch (DBusExecutionException e) {
            throw new BackendException("Interface " + change.iface() + ": NetworkManager rejected the configuration: " + e.getMessage(),
                e.getMessage() + "\n" + (change.settings() == null ? "" : change.settings()), e);
        }
    }

    private void deactivate(String iface) {
        String device = devicePath(iface);
        String active = device == null ? null : objectPath(properties(device).GetAll(DEVICE).get("ActiveConnection"));
        if (active != null) {
            LOG.info("Deactivating {}", iface);
            manager.deactivateConnection(new DBusPath(active));
        }
    }

    private void activate(ProfileChange change, String profilePath, Duration timeout) {
        String device = change.type() != null && change.type().isVirtual() ? null : devicePath(change.iface());
        if (device == null && change.type() != null && !change.type().isVirtual()) {
            throw new BackendException("Interface " + change.iface() + ": no such interface on this node");
        }
        String active;
        try {
            LOG.info("Activating {}", change.iface());
            active = manager.activateConnection(new DBusPath(profilePath), device == null ? NO_OBJECT : new DBusPath(device), NO_OBJECT)
                .getPath();
        } catch (DBusExecutionException e) {
            // the kernel lacks the link type (no bonding or 802.1q module): no later attempt can succeed
            boolean unsupported = String.valueOf(e.getMessage()).contains("Operation not supported");
            throw new BackendException("Interface " + change.iface() + ": activation failed: " + e.getMessage(),
                e.getMessage(), unsupported, e);
        }
        ActivationWatcher.Outcome outcome;
        try {
            outcome = watcher.await(active, () -> activeState(active), timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException("Interface " + change.iface() + ": interrupted while activating");
        }
        if (outcome == null) {
            throw new BackendException("Interface " + change.iface() + ": not activated within " + timeout.toSeconds() + " s");
        }
        if (!outcome.activated()) {
            throw new BackendException("Interface " + change.iface() + ": activation failed (" + activationFailure(outcome.reason()) + ")",
                "NM_ACTIVE_CONNECTION_STATE_REASON " + outcome.reason(), null);
        }
    }

    private long activeState(String active) {
        try {
            return number(new Variant<>(properties(active).Get(NmActiveConnection.INTERFACE, "State")));
        } catch (DBusExecutionException e) {
            // the object is gone: the activation ended and was torn down
            return NmActiveConnection.STATE_DEACTIVATED;
        }
    }

    private static String activationFailure(long reason) {
        return switch ((int) reason) {
            case 3 -> "the device disconnected";
            case 5 -> "the IP configuration is invalid";
            case 6 -> "timed out";
            case 11 -> "the profile was removed";
            case 12 -> "a dependency failed (the controller or base interface did not come up)";
            case 13 -> "the device could not be created";
            case 14 -> "the device was removed";
            default -> "NetworkManager reason " + reason;
        };
    }

    private String devicePath(String iface) {
        for (DBusPath device : manager.getDevices()) {
            Object name = properties(device.getPath()).Get(DEVICE, "Interface");
            if (iface.equals(String.valueOf(name))) {
                return device.getPath();
            }
        }
        return null;
    }

    @Override
    public ProbeResult probe(Probe probe, Duration timeout) {
        NetworkState state = currentState();
        return probe == Probe.DEFAULT_GATEWAY ? ConnectivityProbes.defaultGateway(state, timeout) : ConnectivityProbes.dns(state, timeout);
    }

    @Override
    public void close() {
        watcher.close();
        connection.disconnect();
    }

    private Properties properties(String path) {
        return remote(path, Properties.class);
    }

    private <T extends org.freedesktop.dbus.interfaces.DBusInterface> T remote(String path, Class<T> type) {
        try {
            return connection.getRemoteObject(NmManager.BUS_NAME, path, type);
        } catch (DBusException e) {
            throw new BackendException("Cannot reach NetworkManager object " + path + ": " + e.getMessage(), e.getMessage(), e);
        }
    }

    private static long number(Variant<?> v) {
        Object value = v == null ? null : v.getValue();
        return value instanceof Number n ? n.longValue() : 0;
    }

    private static String objectPath(Variant<?> v) {
        Object value = v == null ? null : v.getValue();
        if (value instanceof Variant<?> inner) {
            value = inner.getValue();
        }
        String path = value instanceof DBusPath p ? p.getPath() : value == null ? null : value.toString();
        return path == null || path.equals("/") ? null : path;
    }
}
