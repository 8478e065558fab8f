package io.nmstream.executor.nm;

import io.nmstream.executor.backend.ApplyOptions;
import io.nmstream.executor.backend.BackendException;
import io.nmstream.executor.backend.Checkpoint;
import io.nmstream.executor.backend.ConnectivityProbes;
import io.nmstream.executor.backend.NetworkBackend;
import io.nmstream.executor.backend.Probe;
import io.nmstream.executor.backend.ProbeResult;
import io.nmstream.nmstate.DnsConfig;
import io.nmstream.nmstate.InterfaceSpec;
import io.nmstream.nmstate.InterfaceState;
import io.nmstream.nmstate.IpAddress;
import io.nmstream.nmstate.NetworkState;
import io.nmstream.nmstate.StateDiff;
import io.nmstream.nmstate.StateVerifier;
import io.nmstream.executor.nm.dbus.NmActiveConnection;
import io.nmstream.executor.nm.dbus.NmConnection;
import io.nmstream.executor.nm.dbus.NmDevice;
import io.nmstream.executor.nm.dbus.NmManager;
import io.nmstream.executor.nm.dbus.NmSettingsService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.freedesktop.dbus.DBusAsyncReply;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.ObjectManager;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.UInt64;
import org.freedesktop.dbus.types.Variant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies desired states through a real NetworkManager over D-Bus, the way nmstate does: checkpoints over every device,
 * profiles added with {@code AddConnection2} or updated in place with {@code Update2}, an updated profile that is active
 * reapplied to its device ({@code Reapply}), other activations in dependency order awaited through NetworkManager's
 * state signals. The host is read with one {@code GetManagedObjects} call plus the settings of the profiles needed.
 */
public final class NetworkManagerBackend implements NetworkBackend {

    /** NetworkManager's refusal of a checkpoint while another one holds a device, naming that checkpoint. */
    private static final Pattern PENDING_CHECKPOINT = Pattern.compile("already included in checkpoint (\\S+)");

    private static final String DNS_MANAGER_PATH = "/org/freedesktop/NetworkManager/DnsManager";
    private static final String DNS_MANAGER = "org.freedesktop.NetworkManager.DnsManager";
    private static final Logger LOG = LoggerFactory.getLogger(NetworkManagerBackend.class);

    /** Where NetworkManager exports {@code org.freedesktop.DBus.ObjectManager}. */
    private static final String OBJECT_MANAGER_PATH = "/org/freedesktop";
    private static final DBusPath NO_OBJECT = new DBusPath("/");
    /** How long a rollback waits for the devices it restores to settle (nmstate: 30 s). */
    private static final Duration ROLLBACK_SETTLE_TIMEOUT = Duration.ofSeconds(30);
    /** How long a rollback then waits for the host to read as it did at the checkpoint (as long as a verification). */
    private static final Duration ROLLBACK_RESTORE_TIMEOUT = Duration.ofSeconds(5);
    /** How often an activation that waits for DHCP or autoconf is asked whether its link is ready. */
    private static final Duration DYNAMIC_IP_POLL = Duration.ofMillis(100);
    /** NM_ACTIVATION_STATE_FLAG_LAYER2_READY. */
    private static final long ACTIVATION_FLAG_LAYER2_READY = 0x4;

    /** NM_CHECKPOINT_CREATE_FLAG_DELETE_NEW_CONNECTIONS | NM_CHECKPOINT_CREATE_FLAG_DISCONNECT_NEW_DEVICES. */
    static final long CHECKPOINT_FLAGS = 0x02 | 0x04;
    /** NM_SETTINGS_ADD_CONNECTION2_FLAG_TO_DISK (the same bit as NM_SETTINGS_UPDATE2_FLAG_TO_DISK). */
    private static final long TO_DISK = 0x1;
    /** NM_SETTINGS_ADD_CONNECTION2_FLAG_IN_MEMORY (the same bit as NM_SETTINGS_UPDATE2_FLAG_IN_MEMORY). */
    private static final long IN_MEMORY = 0x2;
    /**
     * NM_SETTINGS_ADD_CONNECTION2_FLAG_BLOCK_AUTOCONNECT (the same bit as NM_SETTINGS_UPDATE2_FLAG_BLOCK_AUTOCONNECT):
     * without it NetworkManager auto-activates a new profile at once, and the activation that follows interrupts that
     * one. The interrupted activation leaves the link's new MTU behind as the MTU to restore, so a rollback kept it
     * (seen in a crash test: a veth still at MTU 9000 after its checkpoint rolled back). The block ends with the
     * activation that follows and is not kept on disk: the profile still autoconnects after a reboot.
     */
    private static final long BLOCK_AUTOCONNECT = 0x20;
    /** NM_DEVICE_STATE_REASONs that no retry changes: DCB tools missing or refusing, no Open vSwitch database, no SR-IOV. */
    private static final Set<Long> PERMANENT_DEVICE_FAILURES = Set.of(55L, 63L, 66L);

    private final DBusConnection connection;
    private final NmManager manager;
    private final ObjectManager objectManager;
    private final NmSettingsService settings;
    private final ActivationWatcher watcher;
    /** NetworkManager's {@code Version}, read again with every state (an upgrade restarts it under a running agent). */
    private volatile String version;
    /**
     * The host as it was when each checkpoint of this process was created, so that a rollback can remove the software
     * interfaces created since and return once the host reads as it did. Bounded: a checkpoint that expired on its own is
     * never committed or rolled back here.
     */
    private final Map<String, AtCheckpoint> atCheckpoint = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, AtCheckpoint> eldest) {
            return size() > 16;
        }
    };
    /** What {@link #currentState()} returned last and what it was built from, for an apply that plans from that state. */
    private volatile Reading lastReading;

    /**
     * The host when a checkpoint was created: its software interfaces, and the state this process read last before it
     * (what the apply was validated and planned against; null when it read none).
     */
    private record AtCheckpoint(Set<String> softwareInterfaces, NetworkState state) {
    }

    /** A state as read, with the objects and the settings of the active profiles it was built from. */
    private record Reading(NetworkState state, NmObjects objects, Map<String, NmSettings> activeSettings) {
    }

    private NetworkManagerBackend(DBusConnection connection) throws DBusException {
        this.connection = connection;
        this.manager = connection.getRemoteObject(NmManager.BUS_NAME, NmManager.PATH, NmManager.class);
        this.objectManager = connection.getRemoteObject(NmManager.BUS_NAME, OBJECT_MANAGER_PATH, ObjectManager.class);
        this.settings = connection.getRemoteObject(NmManager.BUS_NAME, NmSettingsService.PATH, NmSettingsService.class);
        this.watcher = new ActivationWatcher(connection);
        // one property, not the whole picture every state reads it from again: on a cold `node apply` that picture cost ~0.1 s
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
    public void checkHostSupports(NetworkState desired) {
        MptcpSysctl.check(desired);
    }

    @Override
    public NetworkState currentState() {
        return read().state();
    }

    /** The current state with the objects and settings it was built from, kept as {@link #lastReading}. */
    private Reading read() {
        try {
            NmObjects objects = objects();
            objects.version().ifPresent(v -> version = v);
            Map<String, NmSettings> active = settingsOf(objects.reportedActiveProfiles());
            NetworkState state = NmStateReader.read(objects.devices(active)).withRunningDns(runningDns());
            Reading reading = new Reading(state, objects, active);
            lastReading = reading;
            return reading;
        } catch (DBusExecutionException e) {
            throw new BackendException("Cannot read the current state from NetworkManager: " + e.getMessage(), e.getMessage(), e);
        }
    }

    /** Every object NetworkManager exports, with its properties, in one round trip. */
    private NmObjects objects() {
        return NmObjects.of(objectManager.GetManagedObjects());
    }

    /**
     * The settings of each profile at {@code paths}. All requests are sent before the first reply is awaited, so that a
     * host with many profiles pays about one round trip, not one per profile.
     */
    private Map<String, NmSettings> settingsOf(Collection<String> paths) {
        Map<String, DBusAsyncReply<?>> pending = new LinkedHashMap<>();
        for (String path : paths) {
            pending.put(path, connection.callMethodAsync(remote(path, NmConnection.class), "getSettings"));
        }
        Map<String, NmSettings> out = new LinkedHashMap<>();
        pending.forEach((path, reply) -> out.put(path, NmSettings.of(castSettings(awaitReply(reply)))));
        return out;
    }

    private static Object awaitReply(DBusAsyncReply<?> reply) {
        reply.getCall().getReply();
        try {
            return reply.getReply();
        } catch (DBusException e) {
            throw new DBusExecutionException(e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Variant<?>>> castSettings(Object settings) {
        return (Map<String, Map<String, Variant<?>>>) settings;
    }

    @Override
    public Checkpoint createCheckpoint(Duration rollbackTimeout) {
        try {
            Set<String> softwareBefore = objects().virtualDevices().keySet();
            Reading reading = lastReading;
            DBusPath path = manager.checkpointCreate(List.of(), new UInt32(rollbackTimeout.toSeconds()), new UInt32(CHECKPOINT_FLAGS));
            synchronized (atCheckpoint) {
                atCheckpoint.put(path.getPath(), new AtCheckpoint(softwareBefore, reading == null ? null : reading.state()));
            }
            return new Checkpoint(path.getPath());
        } catch (DBusExecutionException e) {
            Matcher pending = PENDING_CHECKPOINT.matcher(String.valueOf(e.getMessage()));
            if (pending.find()) {
                // NetworkManager takes one checkpoint of a device at a time: name the one in the way and how to end it
                throw new BackendException("Cannot create a checkpoint: checkpoint " + pending.group(1) + " is still pending (an apply "
                    + "with --no-commit, or one still running); keep its changes with 'nmstream node commit' or undo them with "
                    + "'nmstream node rollback', then apply again", e.getMessage(), e);
            }
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
            awaitSettled(results.keySet(), ROLLBACK_SETTLE_TIMEOUT);
            AtCheckpoint before;
            synchronized (atCheckpoint) {
                before = atCheckpoint.remove(checkpoint.id());
            }
            if (before != null) {
                awaitRestored(checkpoint, before);
            }
            // else created by an earlier process: what the host was then is not known, so nothing more is removed or awaited
        } catch (DBusExecutionException e) {
            throw new BackendException("Cannot roll back checkpoint " + checkpoint.id() + ": " + e.getMessage(), e.getMessage(), e);
        }
    }

    /**
     * Removes the software interfaces that appeared after the checkpoint was created, then waits until the host reads as it
     * did then, for at most {@link #ROLLBACK_RESTORE_TIMEOUT}. A rollback deletes the profiles an apply added and
     * disconnects the devices it brought up, but a link NetworkManager created for a failed activation (a bridge the kernel
     * could not configure, say) stays behind; the host is only as it was once that link is gone too. And devices that have
     * settled do not yet mean a host that reads as before: a bridge the rollback disconnected is still a managed device for
     * some tens of milliseconds before NetworkManager removes it (seen in its log), so the node's state reported after a
     * failed apply could still show the change. A host that does not read as before in time (a DHCP lease not back yet,
     * a change made outside NetworkManager meanwhile) is logged with what differs and left as it is.
     */
    private void awaitRestored(Checkpoint checkpoint, AtCheckpoint before) {
        long deadline = System.nanoTime() + ROLLBACK_RESTORE_TIMEOUT.toNanos();
        long pauseMillis = 5;
        NetworkState wanted = before.state() == null ? null : withoutSoftwareMacs(before.state());
        Set<String> removed = new HashSet<>();
        while (true) {
            // one reading serves both: the links to remove, and (when none was) whether the host reads as before
            Reading reading = read();
            boolean removing = false;
            for (Map.Entry<String, String> device : reading.objects().virtualDevices().entrySet()) {
                String name = device.getKey();
                if (!before.softwareInterfaces().contains(name) && removed.add(name)) {
                    removing = true;
                    try {
                        LOG.info("Removing {}, created by the rolled-back apply", name);
                        remote(device.getValue(), NmDevice.class).delete();
                    } catch (DBusExecutionException e) {
                        // gone already, with its veth peer or its controller, or on its way out
                        LOG.debug("Interface {} could not be removed: {}", name, e.getMessage());
                    }
                }
            }
            if (wanted == null) {
                return;
            }
            NetworkState now = reading.state();
            if (!removing && withoutSoftwareMacs(now).equals(wanted)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                String differences = StateDiff.describe(before.state(), now);
                LOG.warn("The host does not read as it did when checkpoint {} was made, {} s after the rollback; leaving it as it is:\n{}",
                    checkpoint.id(), ROLLBACK_RESTORE_TIMEOUT.toSeconds(),
                    differences.isEmpty() ? "(in the order of its lists)" : differences);
                return;
            }
            pause(pauseMillis);
            pauseMillis = Math.min(pauseMillis * 2, 200);
        }
    }

    /**
     * Waits until none of {@code devices} is activating or deactivating. {@code CheckpointRollback} answers once it has
     * started the activations that restore the devices, not once they are done; nmstate waits for them the same way.
     * A device waiting for a DHCP server or router advertisements is as settled as it will be (an apply does not wait for
     * those either). A device still changing after {@code timeout} is left to finish on its own.
     */
    private void awaitSettled(Collection<String> devices, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pauseMillis = 5;
        // whether a profile takes dynamic addresses does not change while we wait: read each profile's settings once
        Map<String, Boolean> dynamicByProfile = new HashMap<>();
        while (true) {
            NmObjects objects = objects();
            List<String> changing = devices.stream()
                .filter(d -> objects.isChanging(d) && !waitsForDynamicIp(objects, d, dynamicByProfile)).toList();
            if (changing.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                LOG.warn("Devices {} are still changing {} s after the rollback; not waiting for them", changing, timeout.toSeconds());
                return;
            }
            pause(pauseMillis);
            pauseMillis = Math.min(pauseMillis * 2, 200);
        }
    }

    /**
     * {@code state} without the MAC addresses of its software interfaces: the kernel gives one it creates again (a bridge
     * without ports the rollback brought back) an address of its own, which no rollback restores.
     */
    private static NetworkState withoutSoftwareMacs(NetworkState state) {
        return state.withInterfaces(state.interfaces().stream()
            .map(i -> i.type() != null && i.type().isVirtual() ? i.toBuilder().macAddress(null).build() : i).toList());
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException("Interrupted while waiting for the rollback to finish");
        }
    }

    /**
     * Whether the device at {@code device} has its link up and waits for addresses from DHCP or router advertisements.
     *
     * @param dynamicByProfile whether each profile read so far takes dynamic addresses, filled as profiles are read
     */
    private boolean waitsForDynamicIp(NmObjects objects, String device, Map<String, Boolean> dynamicByProfile) {
        String profile = objects.deviceState(device) == DeviceSnapshot.STATE_IP_CONFIG ? objects.activeProfile(device) : null;
        if (profile == null) {
            return false;
        }
        Boolean dynamic = dynamicByProfile.get(profile);
        if (dynamic == null) {
            try {
                dynamic = NmSettingsTranslator.hasDynamicIp(settingsOf(List.of(profile)).get(profile));
            } catch (DBusExecutionException e) {
                // the profile went while we looked: the device is changing still
                return false;
            }
            dynamicByProfile.put(profile, dynamic);
        }
        return dynamic;
    }

    @Override
    public void commit(Checkpoint checkpoint) {
        synchronized (atCheckpoint) {
            atCheckpoint.remove(checkpoint.id());
        }
        try {
            manager.checkpointDestroy(new DBusPath(checkpoint.id()));
        } catch (DBusExecutionException e) {
            throw new BackendException("Cannot commit checkpoint " + checkpoint.id() + " (it may have timed out and rolled back): "
                + e.getMessage(), e.getMessage(), e);
        }
    }

    @Override
    public void apply(NetworkState desired, ApplyOptions options) {
        NmObjects objects;
        Map<String, NmSettings> profiles;
        try {
            objects = objects();
            profiles = settingsOf(objects.profilePaths());
        } catch (DBusExecutionException e) {
            throw new BackendException("Cannot read the current state from NetworkManager: " + e.getMessage(), e.getMessage(), e);
        }
        apply(desired, NmStateReader.read(objects.devices(profiles)), objects, profiles, options);
    }

    @Override
    public void apply(NetworkState desired, NetworkState current, ApplyOptions options) {
        Reading reading = lastReading;
        // the very object returned last, not merely an equal one: only then is the picture behind it the one it came from
        if (reading == null || reading.state() != current) {
            apply(desired, options);
            return;
        }
        // the reading holds the settings of the active profiles only: planning needs every profile's
        Map<String, NmSettings> profiles = new LinkedHashMap<>(reading.activeSettings());
        try {
            profiles.putAll(settingsOf(reading.objects().profilePaths().stream().filter(p -> !profiles.containsKey(p)).toList()));
        } catch (DBusExecutionException e) {
            throw new BackendException("Cannot read the profiles from NetworkManager: " + e.getMessage(), e.getMessage(), e);
        }
        apply(desired, current, reading.objects(), profiles, options);
    }

    private void apply(NetworkState desired, NetworkState current, NmObjects objects, Map<String, NmSettings> profiles,
                       ApplyOptions options) {
        Map<String, ExistingProfile> existing = objects.existingProfiles(profiles);
        ProfilePlanner.refuseRemovingLinksWithoutAProfile(desired, current, existing);
        // the routes, rules and name servers: where the host does not show them, the profiles holding them are applied again
        boolean routesRulesAndDnsHold = StateVerifier.mismatches(desired.withInterfaces(List.of()), current).isEmpty();
        List<ProfileChange> plan = ProfilePlanner.plan(desired, current, existing).stream()
            .filter(change -> !(routesRulesAndDnsHold && isSettled(change, desired, current, objects))).toList();
        Map<String, String> profilePaths = new LinkedHashMap<>();
        for (ProfileChange change : plan) {
            profilePaths.put(change.iface(), write(change, objects, options));
        }
        for (ProfileChange change : plan) {
            if (change.activate()) {
                activate(change, profilePaths.get(change.iface()), objects, options.activationTimeout());
            }
        }
        deleteLinksLeftByDeletedProfiles(desired);
    }

    /**
     * Whether {@code change} would write the profile active on its interface as it is, and the interface already shows
     * what {@code desired} asks of it (the caller checks the routes, rules and name servers once): then it is left alone,
     * as nmstate applies only the interfaces that change. A reapply of an unchanged profile is not free: NetworkManager
     * removes the addresses others added (a keepalived VIP, which verification accepts as nmstate's does), and each one
     * costs a round trip.
     */
    private static boolean isSettled(ProfileChange change, NetworkState desired, NetworkState current, NmObjects objects) {
        if (change.action() != ProfileChange.Action.UPDATE || !change.existing().active()) {
            return false;
        }
        String device = objects.devicePath(change.iface());
        if (device == null || objects.deviceState(device) != DeviceSnapshot.STATE_ACTIVATED || !change.changedProperties().isEmpty()) {
            return false;
        }
        InterfaceSpec want = desired.find(change.iface()).orElse(null);
        if (want == null) {
            // a port the state names only in its controller's list: settled when it is that controller's port
            String controller = desired.interfaces().stream().filter(c -> c.portNames() != null && c.portNames().contains(change.iface()))
                .map(InterfaceSpec::name).findFirst().orElse(null);
            if (controller == null || current.find(change.iface()).map(InterfaceSpec::controller).filter(controller::equals).isEmpty()) {
                return false;
            }
        } else if (!StateVerifier.mismatches(new NetworkState(List.of(want), List.of(), List.of(), null), current).isEmpty()) {
            return false;
        }
        LOG.info("Interface {} is already as desired; leaving it alone", change.iface());
        return true;
    }

    /**
     * Deletes the virtual links that are to be absent and are still there once their profiles are gone, as nmstate does:
     * NetworkManager removes only the links it created, not one it took over (a bridge made with {@code ip link} and then
     * given a profile). Its profile, which the checkpoint keeps, creates it again on a rollback; a link no profile could
     * create is refused before anything is touched ({@link ProfilePlanner#refuseRemovingLinksWithoutAProfile}).
     */
    private void deleteLinksLeftByDeletedProfiles(NetworkState desired) {
        List<String> absent = desired.interfaces().stream().filter(i -> i.effectiveState() == InterfaceState.ABSENT)
            .map(InterfaceSpec::name).toList();
        if (absent.isEmpty()) {
            return;
        }
        Map<String, String> left = objects().virtualDevices();
        for (String name : absent) {
            String path = left.get(name);
            if (path != null) {
                try {
                    LOG.info("Deleting {}, which NetworkManager did not remove with its profile", name);
                    remote(path, NmDevice.class).delete();
                } catch (DBusExecutionException e) {
                    // removed meanwhile with its profile, or with its veth peer: verification says whether it is gone
                    LOG.debug("Interface {} could not be deleted: {}", name, e.getMessage());
                }
            }
        }
    }

    /** Writes one change; returns the profile's path (null when it was deleted). */
    private String write(ProfileChange change, NmObjects objects, ApplyOptions options) {
        long flags = (options.memoryOnly() ? IN_MEMORY : TO_DISK) | BLOCK_AUTOCONNECT;
        try {
            switch (change.action()) {
                case CREATE -> {
                    LOG.info("Adding profile for {}", change.iface());
                    return settings.addConnection2(change.settings().toDbus(), new UInt32(flags), Map.of()).getPath().getPath();
                }
                case UPDATE -> {
                    List<String> changed = change.changedProperties();
                    LOG.info("Updating profile {} of {} ({})", change.existing().uuid(), change.iface(), changed.isEmpty()
                        ? "unchanged, applied again as the interface differs from it" : "changes " + String.join(", ", changed));
                    remote(change.existing().path(), NmConnection.class).update2(change.settings().toDbus(), new UInt32(flags), Map.of());
                    return change.existing().path();
                }
                case DEACTIVATE -> {
                    deactivate(change.iface(), objects);
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

    private void deactivate(String iface, NmObjects objects) {
        String device = objects.devicePath(iface);
        // read now, not from the picture taken before the writes: deleting a profile may already have ended this activation
        String active = device == null ? null : objectPath(properties(device).Get(NmObjects.DEVICE, "ActiveConnection"));
        if (active != null) {
            LOG.info("Deactivating {}", iface);
            try {
                manager.deactivateConnection(new DBusPath(active));
            } catch (DBusExecutionException e) {
                // NetworkManager may end the activation itself between the read and the call (a port whose controller was
                // just deleted): what was asked for holds
                if (!String.valueOf(e.getMessage()).contains("not active")) {
                    throw e;
                }
                LOG.info("{} was deactivated already: {}", iface, e.getMessage());
            }
        }
    }

    private void activate(ProfileChange change, String profilePath, NmObjects objects, Duration timeout) {
        // an ovs-port has no device of its own (its name is its port's); a new virtual interface gets one when activated
        boolean virtual = change.type() == null || change.type().isVirtual();
        String device = change.type() == null ? null : objects.devicePath(change.iface());
        if (device == null && !virtual) {
            throw new BackendException("Interface " + change.iface() + ": no such interface on this node");
        }
        if (device != null && reappliedInPlace(change, device, objects)) {
            return;
        }
        String active;
        if (device != null) {
            watcher.forgetDevice(device);
        }
        try {
            LOG.info("Activating {}", change.iface());
            active = manager.activateConnection(new DBusPath(profilePath), device == null ? NO_OBJECT : new DBusPath(device), NO_OBJECT)
                .getPath();
        } catch (DBusExecutionException e) {
            throw new BackendException("Interface " + change.iface() + ": activation failed: " + e.getMessage(),
                e.getMessage(), isPermanent(e.getMessage()), e);
        }
        ActivationWatcher.Outcome outcome;
        try {
            outcome = awaitActivation(change, active, device, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException("Interface " + change.iface() + ": interrupted while activating");
        }
        if (outcome == null) {
            throw new BackendException("Interface " + change.iface() + ": not activated within " + timeout.toSeconds() + " s");
        }
        if (!outcome.activated()) {
            String why = outcome.deviceReason() != 0 ? deviceFailure(outcome.deviceReason(), change) : activationFailure(outcome.reason());
            throw new BackendException("Interface " + change.iface() + ": activation failed (" + why + ")",
                "NM_ACTIVE_CONNECTION_STATE_REASON " + outcome.reason() + ", NM_DEVICE_STATE_REASON " + outcome.deviceReason(),
                PERMANENT_DEVICE_FAILURES.contains(outcome.deviceReason()), null);
        }
    }

    /**
     * Waits for the activation at {@code active} to end. A profile that takes an address from DHCP or router advertisements
     * is done once its link is configured (NetworkManager's LAYER2_READY): as with nmstate, an apply does not wait for a
     * DHCP server, which may be slow or missing (the interface keeps asking, see the profile's {@code dhcp-timeout}), and
     * verification checks what the desired state says of it.
     *
     * @return the outcome, or null when {@code timeout} passed first
     */
    private ActivationWatcher.Outcome awaitActivation(ProfileChange change, String active, String device, Duration timeout)
        throws InterruptedException {
        boolean dynamic = change.settings() != null && NmSettingsTranslator.hasDynamicIp(change.settings());
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            Duration slice = dynamic && left.compareTo(DYNAMIC_IP_POLL) > 0 ? DYNAMIC_IP_POLL : left;
            ActivationWatcher.Outcome outcome = watcher.await(active, () -> device != null ? device : activatedDevice(change),
                () -> activeState(active), slice);
            if (outcome != null || left.isZero()) {
                return outcome;
            }
            if (dynamic && (activeStateFlags(active) & ACTIVATION_FLAG_LAYER2_READY) != 0) {
                LOG.info("{} is up; its DHCP or autoconf addresses come when a server answers", change.iface());
                return watcher.settled(active);
            }
        }
    }

    /** The NM_ACTIVATION_STATE_FLAGS of the active connection at {@code active}; 0 when it is gone. */
    private long activeStateFlags(String active) {
        try {
            return number(properties(active).Get(NmActiveConnection.INTERFACE, "StateFlags"));
        } catch (DBusExecutionException e) {
            return 0;
        }
    }

    /**
     * Whether NetworkManager's refusal will be the same on every attempt: the kernel lacks the link type (no bonding,
     * 802.1q or VRF module), NetworkManager lacks the plugin for it (Open vSwitch), or the device lacks the feature (SR-IOV).
     */
    private static boolean isPermanent(String refusal) {
        String text = String.valueOf(refusal);
        return text.contains("Operation not supported") || text.contains("plugin for") || text.contains("does not support");
    }

    /**
     * The device object of a new virtual interface whose activation ended; null when there is none. A software device
     * whose activation failed may be unrealized by then, and so missing from NetworkManager's list of devices, but its
     * object, which the failure signal named, is still there.
     */
    private String activatedDevice(ProfileChange change) {
        return change.type() == null ? null : objects().deviceObjectPath(change.iface());
    }

    /** Why a device failed (an NM_DEVICE_STATE_REASON), in the user's terms. */
    private static String deviceFailure(long reason, ProfileChange change) {
        return switch ((int) reason) {
            case 4 -> {
                boolean filtersVlans = change.settings() != null
                    && Boolean.TRUE.equals(change.settings().value("bridge", "vlan-filtering"));
                yield filtersVlans ? "NetworkManager could not configure the bridge; its ports' VLANs need a kernel with bridge VLAN"
                    + " filtering, which this kernel may lack" : "NetworkManager could not configure the device";
            }
            case 5 -> "no IP configuration became available";
            case 50 -> "a dependency failed (the controller or base interface did not come up)";
            case 55 -> "DCB setup failed: NetworkManager applies ieee-8021Qaz through lldpad's dcbtool, which is missing or refused it";
            case 61 -> "its base interface changed";
            case 63 -> "the Open vSwitch database failed";
            case 65 -> "the IP method is not supported on this interface";
            case 66 -> "SR-IOV configuration failed: the device refused the virtual functions";
            case 67 -> "its veth peer was not found";
            default -> "NetworkManager device reason " + reason;
        };
    }

    /**
     * Applies an updated profile to the device it is already active on without taking the device down, as nmstate does;
     * false when that is not possible (the profile is not the one active there, the device is not fully activated, or
     * NetworkManager refuses because a changed setting needs a new activation), and the profile must be activated anew.
     */
    private boolean reappliedInPlace(ProfileChange change, String device, NmObjects objects) {
        if (change.action() != ProfileChange.Action.UPDATE || !change.existing().active()
            || objects.deviceState(device) != DeviceSnapshot.STATE_ACTIVATED) {
            return false;
        }
        if (putsAnIpv4AddressAheadOfAKeptOne(change.existing().settings(), change.settings())) {
            LOG.info("Interface {} gets an IPv4 address ahead of one it keeps; activating it anew", change.iface());
            return false;
        }
        try {
            LOG.info("Reapplying {}", change.iface());
            remote(device, NmDevice.class).reapply(Map.of(), new UInt64(0), new UInt32(0));
            return true;
        } catch (DBusExecutionException e) {
            LOG.info("Interface {} cannot take the change in place ({}); activating it anew", change.iface(), e.getMessage());
            return false;
        }
    }

    /**
     * Whether {@code after} lists an IPv4 address before one that {@code before} has and {@code after} keeps: a new one,
     * or a kept one moved forward. NetworkManager 1.42 cannot reapply that in place: making another address the primary
     * one removes the primary, and the kernel removes its secondaries with it (promote_secondaries is off by default),
     * so the interface was left with only some of its addresses (a new first address was not added at all; of two
     * swapped ones, the one to become primary was lost). Activating the profile anew adds them in order.
     */
    static boolean putsAnIpv4AddressAheadOfAKeptOne(NmSettings before, NmSettings after) {
        List<Object> old = ipv4Addresses(before);
        List<Object> wanted = ipv4Addresses(after);
        List<Object> keptInOldOrder = old.stream().filter(wanted::contains).toList();
        int lastKept = -1;
        for (int i = 0; i < wanted.size(); i++) {
            if (old.contains(wanted.get(i))) {
                lastKept = i;
            }
        }
        // kept addresses in their old order, each new one after the last kept one: what reapply handles
        return !wanted.stream().filter(old::contains).toList().equals(keptInOldOrder)
            || wanted.subList(0, lastKept + 1).stream().anyMatch(a -> !old.contains(a));
    }

    /** A profile's IPv4 addresses, each as address and prefix, in its order. */
    private static List<Object> ipv4Addresses(NmSettings s) {
        return s.records("ipv4", "address-data").stream().map(a -> (Object) List.of(a.get("address"), a.get("prefix"))).toList();
    }

    private long activeState(String active) {
        try {
            return number(properties(active).Get(NmActiveConnection.INTERFACE, "State"));
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

    @Override
    public ProbeResult probe(Probe probe, Duration timeout) {
        return probe(probe, currentState(), timeout);
    }

    @Override
    public ProbeResult probe(Probe probe, NetworkState current, Duration timeout) {
        return probe == Probe.DEFAULT_GATEWAY ? ConnectivityProbes.defaultGateway(current, timeout)
            : ConnectivityProbes.dns(nameServersInUse(current), timeout);
    }

    /** The name servers and search domains NetworkManager resolves with; null when it cannot tell. */
    private DnsConfig runningDns() {
        List<String> servers = new ArrayList<>();
        LinkedHashSet<String> searches = new LinkedHashSet<>();
        try {
            Object configuration = properties(DNS_MANAGER_PATH).Get(DNS_MANAGER, "Configuration");
            if (configuration instanceof List<?> entries) {
                for (Object entry : entries) {
                    if (entry instanceof Map<?, ?> map) {
                        strings(map.get("nameservers")).forEach(s -> {
                            String server = IpAddress.parseLiteral(s).orElse(s);
                            if (!servers.contains(server)) {
                                servers.add(server);
                            }
                        });
                        searches.addAll(strings(map.get("domains")));
                    }
                }
            }
        } catch (DBusExecutionException e) {
            LOG.debug("Cannot read NetworkManager's DNS configuration: {}", e.getMessage());
            return null;
        }
        return new DnsConfig(servers, List.copyOf(searches), null);
    }

    private static List<String> strings(Object value) {
        Object plain = value instanceof Variant<?> variant ? variant.getValue() : value;
        return plain instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of();
    }

    /**
     * The name servers NetworkManager resolves with, in its order: those profiles configure and those DHCP and router
     * advertisements gave (nmstate's {@code dns-resolver.running}, which kubernetes-nmstate's DNS probe asks). The
     * configured ones of {@code current} when NetworkManager cannot tell.
     */
    private List<String> nameServersInUse(NetworkState current) {
        // a state read from this backend carries them already
        DnsConfig running = current.runningDns() != null ? current.runningDns() : runningDns();
        if (running != null) {
            return running.servers();
        }
        // NetworkManager cannot tell: the configured ones
        return current.dns() == null || current.dns().servers() == null ? List.of() : current.dns().servers();
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

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }

    private static String objectPath(Object value) {
        return value == null ? null : NmObjects.objectPath(new Variant<>(value));
    }
}
