package io.nmstream.executor.nm;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.nmstate.InterfaceSpec;
import io.nmstream.nmstate.IpAddress;
import io.nmstream.nmstate.NetworkState;
import io.nmstream.nmstate.Route;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;
import org.junit.jupiter.api.Test;

/** The host as one {@code GetManagedObjects} answer shows it: objects built here the way NetworkManager 1.42 exports them. */
class NmObjectsTest {

    private static final String NM = "/org/freedesktop/NetworkManager";
    private static final String LO = NM + "/Devices/1";
    private static final String V0 = NM + "/Devices/2";
    private static final String V1 = NM + "/Devices/3";
    private static final String V0_PROFILE = NM + "/Settings/2";
    private static final String V0_OLD_PROFILE = NM + "/Settings/3";
    private static final String LO_PROFILE = NM + "/Settings/1";

    private final Map<DBusPath, Map<String, Map<String, Variant<?>>>> managed = new LinkedHashMap<>();

    NmObjectsTest() {
        object(NM, "org.freedesktop.NetworkManager", Map.of("Devices", paths(LO, V0, V1), "Version", new Variant<>("1.42.4")));
        object(NM + "/Settings", NmObjects.SETTINGS, Map.of("Connections", paths(LO_PROFILE, V0_OLD_PROFILE, V0_PROFILE)));
        object(LO, NmObjects.DEVICE, device("lo", 32, 100, NM + "/ActiveConnection/1", "/"));
        object(NM + "/ActiveConnection/1", NmObjects.ACTIVE_CONNECTION, Map.of("Connection", new Variant<>(new DBusPath(LO_PROFILE))));
        object(V0, NmObjects.DEVICE, device("v0", 20, 100, NM + "/ActiveConnection/7", NM + "/IP4Config/2"));
        managed.get(new DBusPath(V0)).put(NmObjects.VETH, Map.of("Peer", new Variant<>(new DBusPath(V1))));
        object(NM + "/ActiveConnection/7", NmObjects.ACTIVE_CONNECTION, Map.of("Connection", new Variant<>(new DBusPath(V0_PROFILE))));
        object(NM + "/IP4Config/2", NmObjects.IP4_CONFIG, Map.of(
            "AddressData", new Variant<>(List.of(Map.of("address", new Variant<>("192.0.2.10"), "prefix", new Variant<>(new UInt32(24)))),
                "aa{sv}"),
            "RouteData", new Variant<>(List.of(Map.of("dest", new Variant<>("203.0.113.0"), "prefix", new Variant<>(new UInt32(24)),
                "next-hop", new Variant<>("192.0.2.1"), "metric", new Variant<>(new UInt32(150)))), "aa{sv}")));
        object(V1, NmObjects.DEVICE, device("v1", 20, 30, "/", "/"));
        managed.get(new DBusPath(V1)).put(NmObjects.VETH, Map.of("Peer", new Variant<>(new DBusPath(V0))));
    }

    @Test
    void theVersionOfNetworkManagerComesWithEveryPicture() {
        assertThat(NmObjects.of(managed).version()).contains("1.42.4");
        managed.remove(new DBusPath(NM));
        assertThat(NmObjects.of(managed).version()).isEmpty();
    }

    @Test
    void readsEveryDeviceWithItsPeerAddressesRoutesAndActiveProfile() {
        NmObjects objects = NmObjects.of(managed);
        NmSettings v0Profile = profile("u-v0", "v0");

        NetworkState state = NmStateReader.read(objects.devices(Map.of(V0_PROFILE, v0Profile)));

        assertThat(state.interfaces()).extracting(InterfaceSpec::name).containsExactly("v0", "v1");
        InterfaceSpec v0 = state.find("v0").orElseThrow();
        assertThat(v0.vethPeer()).isEqualTo("v1");
        assertThat(v0.mtu()).isEqualTo(1400);
        assertThat(v0.macAddress()).isEqualTo("AA:BB:CC:DD:EE:00");
        assertThat(v0.ipv4().addresses()).containsExactly(new IpAddress("192.0.2.10", 24));
        assertThat(state.runningRoutes()).containsExactly(new Route("203.0.113.0/24", "v0", "192.0.2.1", 150L, null, false));
        assertThat(state.find("v1").orElseThrow().ipv4().isEnabled()).as("nothing active on v1").isFalse();
    }

    @Test
    void asksOnlyForTheSettingsOfProfilesActiveOnReportedDevices() {
        assertThat(NmObjects.of(managed).reportedActiveProfiles()).as("loopback is never reported").containsExactly(V0_PROFILE);
    }

    @Test
    void findsDevicesByNameAndPrefersTheActiveProfileOfAnInterface() {
        NmObjects objects = NmObjects.of(managed);
        Map<String, NmSettings> settings = Map.of(LO_PROFILE, profile("u-lo", "lo"), V0_OLD_PROFILE, profile("u-old", "v0"),
            V0_PROFILE, profile("u-v0", "v0"));

        Map<String, ExistingProfile> existing = objects.existingProfiles(settings);

        assertThat(existing.get("v0").path()).isEqualTo(V0_PROFILE);
        assertThat(existing.get("v0").active()).isTrue();
        assertThat(objects.devicePath("v1")).isEqualTo(V1);
        assertThat(objects.devicePath("v9")).isNull();
        assertThat(objects.deviceState(V0)).isEqualTo(DeviceSnapshot.STATE_ACTIVATED);
    }

    @Test
    void aDeviceIsChangingWhileItActivatesOrWaitsToBeActivatedAgain() {
        NmObjects objects = NmObjects.of(managed);
        assertThat(objects.isChanging(V0)).as("activated").isFalse();
        assertThat(objects.isChanging(V1)).as("disconnected").isFalse();
        assertThat(objects.isChanging(NM + "/Devices/99")).as("gone").isFalse();

        managed.get(new DBusPath(V0)).get(NmObjects.DEVICE).put("State", new Variant<>(new UInt32(70)));
        managed.get(new DBusPath(V1)).get(NmObjects.DEVICE).put("StateReason",
            new Variant<>(new Object[] {new UInt32(30), new UInt32(60)}, "(uu)"));
        objects = NmObjects.of(managed);
        assertThat(objects.isChanging(V0)).as("configuring IP").isTrue();
        assertThat(objects.isChanging(V1)).as("disconnected for a new activation").isTrue();
    }

    private void object(String path, String iface, Map<String, Variant<?>> properties) {
        managed.computeIfAbsent(new DBusPath(path), p -> new LinkedHashMap<>()).put(iface, new LinkedHashMap<>(properties));
    }

    private static Map<String, Variant<?>> device(String name, long type, long state, String active, String ip4) {
        return Map.of("Interface", new Variant<>(name), "DeviceType", new Variant<>(new UInt32(type)),
            "State", new Variant<>(new UInt32(state)), "Managed", new Variant<>(true), "Mtu", new Variant<>(new UInt32(1400)),
            "HwAddress", new Variant<>("aa:bb:cc:dd:ee:0" + name.substring(1)), "ActiveConnection", new Variant<>(new DBusPath(active)),
            "Ip4Config", new Variant<>(new DBusPath(ip4)), "Ip6Config", new Variant<>(new DBusPath("/")));
    }

    private static Variant<?> paths(String... paths) {
        return new Variant<>(List.of(paths).stream().map(DBusPath::new).toList(), "ao");
    }

    private static NmSettings profile(String uuid, String iface) {
        return new NmSettings().putString("connection", "uuid", uuid).putString("connection", "interface-name", iface)
            .putString("ipv4", "method", "manual").putString("ipv6", "method", "disabled");
    }
}
