package io.nmstream.executor.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nmstream.executor.nm.NetworkManagerBackend;
import io.nmstream.executor.sandbox.NetworkManagerSandbox;
import io.nmstream.nmstate.BridgeConfig;
import io.nmstream.nmstate.LinuxBridgeOption;
import io.nmstream.nmstate.EthernetConfig;
import io.nmstream.nmstate.Ieee8021QazConfig;
import io.nmstream.nmstate.InterfaceSpec;
import io.nmstream.nmstate.InterfaceState;
import io.nmstream.nmstate.InterfaceType;
import io.nmstream.nmstate.IpAddress;
import io.nmstream.nmstate.IpConfig;
import io.nmstream.nmstate.MacVlanConfig;
import io.nmstream.nmstate.NetworkState;
import io.nmstream.nmstate.Route;
import io.nmstream.nmstate.VlanConfig;
import io.nmstream.nmstate.VrfConfig;
import io.nmstream.nmstate.VxlanConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every interface type and block of the nmstate model applied through a real NetworkManager 1.42 in its own network
 * namespace: what the kernel supports is created, verified and removed again; what it does not is refused with the
 * interface's name and the kernel's reason, and the host is left exactly as it was. Each test uses its own veths.
 */
class NodeApplierInterfaceTypesNetworkManagerIT {

    private static NetworkManagerSandbox sandbox;
    private NetworkManagerBackend nm;
    private NodeApplier applier;

    @BeforeAll
    static void startSandbox() throws Exception {
        sandbox = NetworkManagerSandbox.start(Path.of(System.getProperty("basedir", "."), "target", "nm-sandbox"),
            "w0:w1 w2:w3 w4:w5 w6:w7 w8:w9 w10:w11 w12:w13 w14:w15 w16:w17 w18:w19");
    }

    @AfterAll
    static void stopSandbox() throws Exception {
        sandbox.close();
    }

    @BeforeEach
    void connect() {
        nm = NetworkManagerBackend.connect(sandbox.busAddress());
        applier = new NodeApplier(nm, 5, Duration.ofSeconds(1), CommitGate.OPEN);
    }

    @AfterEach
    void disconnect() {
        nm.close();
    }

    private ApplyResult apply(InterfaceSpec... interfaces) {
        return apply(state(interfaces));
    }

    private static NetworkState state(InterfaceSpec... interfaces) {
        return new NetworkState(List.of(interfaces), List.of(), List.of(), null);
    }

    private ApplyResult apply(NetworkState desired) {
        return applier.apply(ApplyContext.manual("sandbox"), desired, SandboxRequests.fromOutside());
    }

    private static InterfaceSpec absent(String name) {
        return InterfaceSpec.named(name, null, InterfaceState.ABSENT);
    }

    private static IpConfig address(String ip) {
        return IpConfig.staticAddresses(false, List.of(new IpAddress(ip, 24)));
    }

    /** Removes {@code names} with {@code state: absent} and checks that neither a link nor a profile of them is left. */
    private void removeAndExpectNothingLeft(String... names) {
        apply(List.of(names).stream().map(NodeApplierInterfaceTypesNetworkManagerIT::absent).toArray(InterfaceSpec[]::new));
        NetworkState now = nm.currentState();
        String links = sandbox.ip("-br", "link", "show");
        for (String name : names) {
            assertThat(now.find(name)).as(name + " in the current state").isEmpty();
            assertThat(links).as("links").doesNotContainPattern("(?m)^" + java.util.regex.Pattern.quote(name) + "[@ ]");
            assertThat(Nmcli.profileNames(sandbox)).as("profiles").doesNotContain(name);
        }
        assertThat(nm.checkpoints()).isEmpty();
    }

    /**
     * Applies {@code interfaces}, which the host cannot realise, and checks that the apply fails naming {@code iface} and
     * {@code reason}, rolls back, and leaves the current state, the links and the checkpoints as they were.
     */
    private void assertRefusedCleanly(String iface, String reason, InterfaceSpec... interfaces) {
        NetworkState before = nm.currentState();
        String linksBefore = sandbox.ip("-br", "link", "show");
        List<String> profilesBefore = Nmcli.profileNames(sandbox);
        assertThatThrownBy(() -> apply(interfaces)).isInstanceOfSatisfying(ApplyException.class, e -> {
            assertThat(e.userMessage()).startsWith("Interface " + iface + ": ").contains(reason);
            assertThat(e.rolledBack()).isTrue();
        });
        assertThat(nm.currentState()).isEqualTo(before);
        assertThat(sandbox.ip("-br", "link", "show")).isEqualTo(linksBefore);
        assertThat(Nmcli.profileNames(sandbox)).containsExactlyInAnyOrderElementsOf(profilesBefore);
        assertThat(nm.checkpoints()).isEmpty();
    }

    @Test
    void vethIsCreatedByNetworkManagerWithItsPeerAndRemovedWithIt() {
        apply(InterfaceSpec.builder("veth1").type(InterfaceType.VETH).vethPeer("veth1-peer").ipv4(address("192.0.2.31")).build(),
            InterfaceSpec.builder("veth1-peer").type(InterfaceType.VETH).vethPeer("veth1").ipv4(IpConfig.disabled())
                .ipv6(IpConfig.disabled()).build());

        assertThat(sandbox.ip("-d", "link", "show", "dev", "veth1")).contains("veth1@veth1-peer").contains("veth");
        assertThat(sandbox.ip("addr", "show", "dev", "veth1")).contains("inet 192.0.2.31/24");
        InterfaceSpec veth = nm.currentState().find("veth1").orElseThrow();
        assertThat(veth.type()).isEqualTo(InterfaceType.VETH);
        assertThat(veth.vethPeer()).isEqualTo("veth1-peer");

        removeAndExpectNothingLeft("veth1", "veth1-peer");
    }

    @Test
    void aBridgeMadeWithIpLinkAndThenGivenAProfileIsRemovedLinkAndAll() {
        // NetworkManager takes the bridge over but, not having created it, does not delete it with its profile (the
        // apply failed verification, "still present", and rolled back); its bridge profile could create it again
        sandbox.ip("link", "add", "brlk", "type", "bridge");
        apply(InterfaceSpec.builder("brlk").type(InterfaceType.LINUX_BRIDGE).ipv4(address("192.0.2.47"))
            .bridge(new BridgeConfig(BridgeConfig.Options.stp(false), List.of())).build());
        assertThat(sandbox.ip("addr", "show", "dev", "brlk")).contains("inet 192.0.2.47/24");
        NetworkState before = nm.currentState();

        // removed and then rolled back, as a failed apply would be: the link comes back from its profile
        ApplyResult pending = applier.apply(ApplyContext.manual("sandbox"), state(absent("brlk")),
            SandboxRequests.fromOutside().withCommit(false));
        assertThat(sandbox.ip("-br", "link", "show")).doesNotContainPattern("(?m)^brlk ");
        nm.rollback(pending.pendingCheckpoint());
        assertThat(sandbox.ip("addr", "show", "dev", "brlk")).contains("inet 192.0.2.47/24");
        // but for its MAC address: the kernel gives a new bridge without ports a random one, as on any re-creation
        assertThat(nm.currentState().find("brlk").orElseThrow().toBuilder().macAddress(null).build())
            .isEqualTo(before.find("brlk").orElseThrow().toBuilder().macAddress(null).build());

        removeAndExpectNothingLeft("brlk");
    }

    @Test
    void aVethMadeWithIpLinkAndConfiguredThroughAnEthernetProfileIsRefusedRemovalBeforeAnythingIsTouched() {
        sandbox.ip("link", "add", "lk0", "type", "veth", "peer", "name", "lk1");
        apply(InterfaceSpec.builder("lk0").type(InterfaceType.ETHERNET).ipv4(address("192.0.2.48")).build());
        NetworkState before = nm.currentState();
        List<String> profilesBefore = Nmcli.profileNames(sandbox);

        assertThatThrownBy(() -> apply(absent("lk0"))).isInstanceOfSatisfying(ApplyException.class, e -> {
            assertThat(e.userMessage()).startsWith("Interface lk0: this veth was not created by NetworkManager (its profile is of type "
                + "802-3-ethernet, which configures the link but cannot create it)").contains("ip link delete lk0");
            assertThat(e.rolledBack()).isTrue();
        });
        assertThat(nm.currentState()).isEqualTo(before);
        assertThat(sandbox.ip("addr", "show", "dev", "lk0")).contains("inet 192.0.2.48/24");
        assertThat(Nmcli.profileNames(sandbox)).containsExactlyInAnyOrderElementsOf(profilesBefore);
        assertThat(nm.checkpoints()).isEmpty();
    }

    @Test
    void linuxBridgeOptionsReachTheKernelAndTheBridgeIsRemovedLeavingItsPortAlone() {
        apply(InterfaceSpec.builder("bro").type(InterfaceType.LINUX_BRIDGE).ipv4(address("192.0.2.41"))
            .bridge(new BridgeConfig(new BridgeConfig.Options(false, 10, 3, 25, 4096, 600, false), List.of(BridgeConfig.Port.named("w0"))))
            .build());

        assertThat(sandbox.ip("-d", "link", "show", "dev", "bro")).contains("stp_state 0").contains("forward_delay 1000")
            .contains("hello_time 300").contains("max_age 2500").contains("priority 4096").contains("ageing_time 60000")
            .contains("mcast_snooping 0");
        assertThat(sandbox.ip("link", "show", "master", "bro")).contains("w0@w1");
        java.util.Map<LinuxBridgeOption, Object> kernelDefaults = new java.util.EnumMap<>(LinuxBridgeOption.class);
        for (LinuxBridgeOption option : LinuxBridgeOption.values()) {
            kernelDefaults.put(option, option.kernelDefault());
        }
        assertThat(nm.currentState().find("bro").orElseThrow().bridge().options()).as("the other options as the kernel has them")
            .isEqualTo(new BridgeConfig.Options(false, 10, 3, 25, 4096, 600, false, kernelDefaults));

        removeAndExpectNothingLeft("bro");
        assertThat(sandbox.ip("-d", "link", "show", "dev", "w0")).as("the port stands alone").doesNotContain("master");
    }

    @Test
    void aBridgePortIsRefusedAnAddressBeforeAnythingIsTouchedAndTakesOneWhenTheSameStateDetachesIt() {
        apply(InterfaceSpec.builder("brp").type(InterfaceType.LINUX_BRIDGE).ipv4(address("192.0.2.61"))
            .bridge(new BridgeConfig(BridgeConfig.Options.stp(false), List.of(BridgeConfig.Port.named("w16")))).build());
        NetworkState before = nm.currentState();
        List<String> profilesBefore = Nmcli.profileNames(sandbox);
        InterfaceSpec withAddress = InterfaceSpec.builder("w16").type(InterfaceType.ETHERNET).ipv4(address("192.0.2.62")).build();

        assertThatThrownBy(() -> apply(withAddress)).isInstanceOfSatisfying(ApplyException.class, e -> {
            assertThat(e.step()).isEqualTo(ApplyStep.VALIDATE);
            assertThat(e.userMessage()).isEqualTo("Interface w16: a port of brp cannot have IP addresses of its own; give them "
                + "to brp, or take w16 out of brp's ports in the same state");
            assertThat(e.retriable()).isFalse();
        });
        assertThat(nm.currentState()).isEqualTo(before);
        assertThat(sandbox.ip("link", "show", "master", "brp")).contains("w16@w17");
        assertThat(Nmcli.profileNames(sandbox)).containsExactlyInAnyOrderElementsOf(profilesBefore);
        assertThat(nm.checkpoints()).isEmpty();

        apply(absent("brp"), withAddress);
        assertThat(sandbox.ip("addr", "show", "dev", "w16")).contains("inet 192.0.2.62/24").doesNotContain("master");
        assertThat(nm.currentState().find("w16").orElseThrow().controller()).isNull();
    }

    @Test
    void aFamilyTurnedOffTakesItsRoutesWithItAndARouteThroughItIsRefused() {
        apply(new NetworkState(List.of(InterfaceSpec.builder("rt0").type(InterfaceType.VETH).vethPeer("rt0p")
            .ipv4(address("192.0.2.91")).build()), List.of(Route.via("198.51.100.0/24", "rt0", "192.0.2.1")), List.of(), null));
        assertThat(sandbox.ip("route", "show", "dev", "rt0")).contains("198.51.100.0/24 via 192.0.2.1");

        apply(InterfaceSpec.builder("rt0").type(InterfaceType.VETH).ipv4(IpConfig.disabled()).build());

        assertThat(sandbox.ip("route", "show", "dev", "rt0")).as("NetworkManager installs a profile's routes whatever its method")
            .doesNotContain("198.51.100.0/24");
        assertThat(nm.currentState().routes()).noneMatch(r -> r.nextHopInterface().equals("rt0"));
        NetworkState before = nm.currentState();
        assertThatThrownBy(() -> apply(new NetworkState(List.of(), List.of(Route.via("203.0.113.0/24", "rt0", "192.0.2.1")),
            List.of(), null))).isInstanceOfSatisfying(ApplyException.class, e -> {
                assertThat(e.step()).isEqualTo(ApplyStep.VALIDATE);
                assertThat(e.userMessage()).isEqualTo("routes.config[0]: next-hop-interface rt0 has IPv4 disabled; a route needs IPv4 "
                    + "enabled on the interface it leaves through");
            });
        assertThat(nm.currentState()).isEqualTo(before);
    }

    @Test
    void ipv4EnabledWithNeitherAnAddressNorDhcpAppliesAsOffAndARouteThroughItIsRefused() {
        apply(InterfaceSpec.builder("nc0").type(InterfaceType.VETH).vethPeer("nc0p")
            .ipv4(new IpConfig(true, false, null, List.of(), null, null, null))
            .ipv6(new IpConfig(true, false, false, List.of(), null, null, null)).build());

        InterfaceSpec nc0 = nm.currentState().find("nc0").orElseThrow();
        assertThat(nc0.ipv4().isEnabled()).as("nothing to configure: NetworkManager's ipv4.method is disabled, as nmstate sets it")
            .isFalse();
        assertThat(nc0.ipv6().isEnabled()).isTrue();
        assertThat(sandbox.ip("-6", "addr", "show", "dev", "nc0")).as("IPv6 on with its link-local address").contains("fe80::");
        assertThat(nm.checkpoints()).isEmpty();

        NetworkState before = nm.currentState();
        assertThatThrownBy(() -> apply(new NetworkState(List.of(InterfaceSpec.builder("nc0").type(InterfaceType.VETH)
            .ipv4(new IpConfig(true, null, null, null, null, null, null)).build()),
            List.of(Route.via("203.0.113.0/24", "nc0", null)), List.of(), null))).isInstanceOfSatisfying(ApplyException.class, e -> {
                assertThat(e.step()).isEqualTo(ApplyStep.VALIDATE);
                assertThat(e.userMessage()).isEqualTo("routes.config[0]: next-hop-interface nc0 has IPv4 disabled as it gets no IPv4 "
                    + "address (none given, no DHCP); a route needs IPv4 enabled on the interface it leaves through");
            });
        assertThat(nm.currentState()).isEqualTo(before);
        removeAndExpectNothingLeft("nc0");
    }

    @Test
    void aMacVlanOnARemovedBridgeGoesWithItProfileAndAll() {
        apply(InterfaceSpec.builder("obr").type(InterfaceType.LINUX_BRIDGE).bridge(new BridgeConfig(BridgeConfig.Options.stp(false),
            List.of())).ipv4(address("192.0.2.101")).build(),
            InterfaceSpec.builder("om0").type(InterfaceType.MAC_VLAN).macVlan(new MacVlanConfig("obr", "bridge", null))
                .ipv4(address("192.0.2.102")).build());
        assertThat(sandbox.ip("-d", "link", "show", "dev", "om0")).contains("om0@obr").contains("macvlan");

        apply(absent("obr"));

        assertThat(nm.currentState().find("om0")).isEmpty();
        assertThat(sandbox.ip("-br", "link", "show")).doesNotContainPattern("(?m)^om0[@ ]");
        assertThat(Nmcli.profileNames(sandbox)).as("no profile left to bring it back with a new obr").doesNotContain("om0", "obr");
        assertThat(nm.checkpoints()).isEmpty();
    }

    @Test
    void portVlanTrunkReachesTheKernelWhereBridgesFilterVlansAndIsRefusedCleanlyWhereTheyCannot() {
        BridgeConfig.PortVlan trunk = new BridgeConfig.PortVlan("trunk", 100, true, List.of(new BridgeConfig.TrunkTag(101, null, null),
            new BridgeConfig.TrunkTag(null, 200, 202)));
        InterfaceSpec bridge = InterfaceSpec.builder("brv").type(InterfaceType.LINUX_BRIDGE)
            .bridge(new BridgeConfig(BridgeConfig.Options.stp(false), List.of(new BridgeConfig.Port("w14", trunk)))).build();
        if (!KernelSupport.createsLinks(sandbox, "bridge vlan_filtering 1", null)) {
            assertRefusedCleanly("brv", "bridge VLAN filtering", bridge);
            return;
        }
        apply(bridge);
        assertThat(sandbox.ip("-d", "link", "show", "dev", "brv")).contains("vlan_filtering 1");
        assertThat(bridgeVlans("w14")).contains("100 PVID Egress Untagged").containsPattern("\\b101\\b").containsPattern("\\b200\\b")
            .containsPattern("\\b202\\b").doesNotContainPattern("\\b203\\b");
        assertThat(nm.currentState().find("brv").orElseThrow().bridge().ports())
            .singleElement().satisfies(p -> assertThat(p.vlan()).isEqualTo(trunk));
        removeAndExpectNothingLeft("brv");
    }

    /** {@code bridge vlan show dev <port>} in the sandbox's namespace. */
    private static String bridgeVlans(String port) {
        try {
            Process p = new ProcessBuilder("bridge", "-n", sandbox.namespace(), "vlan", "show", "dev", port).redirectErrorStream(true)
                .start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as("bridge vlan show: " + out).isZero();
            return out;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void macVlanOnAVethIsCreatedVerifiedAndRemoved() {
        apply(InterfaceSpec.builder("mac0").type(InterfaceType.MAC_VLAN).macVlan(new MacVlanConfig("w2", "bridge", true))
            .description("tenant network on w2").ipv4(address("192.0.2.21")).build());

        assertThat(sandbox.ip("-d", "link", "show", "dev", "mac0")).contains("mac0@w2").contains("macvlan mode bridge");
        assertThat(sandbox.ip("addr", "show", "dev", "mac0")).contains("inet 192.0.2.21/24");
        assertThat(nm.currentState().find("mac0").orElseThrow().macVlan()).isEqualTo(new MacVlanConfig("w2", "bridge", true));
        assertThat(nm.currentState().find("mac0").orElseThrow().description()).isEqualTo("tenant network on w2");

        removeAndExpectNothingLeft("mac0");
    }

    @Test
    void aMacVlanAboveItsBasesMtuIsRefusedBeforeAnythingIsTouchedAndAppliesWhenTheSameStateRaisesTheBase() {
        // NetworkManager would create it, the kernel keep the base's MTU, and verification fail blaming the driver
        NetworkState before = nm.currentState();
        List<String> profilesBefore = Nmcli.profileNames(sandbox);
        InterfaceSpec jumbo = InterfaceSpec.builder("mac18").type(InterfaceType.MAC_VLAN).mtu(9000)
            .macVlan(new MacVlanConfig("w18", "bridge", null)).ipv4(address("192.0.2.18")).build();

        assertThatThrownBy(() -> apply(jumbo)).isInstanceOfSatisfying(ApplyException.class, e -> {
            assertThat(e.step()).isEqualTo(ApplyStep.VALIDATE);
            assertThat(e.userMessage()).isEqualTo("Interface mac18: mtu 9000 is above the MTU of its base interface w18 (1500); a "
                + "mac-vlan's MTU cannot exceed its base's: raise w18's mtu in the same state, or lower this one");
        });
        assertThat(nm.currentState()).isEqualTo(before);
        assertThat(Nmcli.profileNames(sandbox)).containsExactlyInAnyOrderElementsOf(profilesBefore);
        assertThat(nm.checkpoints()).isEmpty();

        apply(InterfaceSpec.builder("w18").type(InterfaceType.ETHERNET).mtu(9000).build(), jumbo);
        assertThat(sandbox.ip("link", "show", "dev", "mac18")).contains("mtu 9000");
        assertThat(sandbox.ip("link", "show", "dev", "w18")).contains("mtu 9000");

        removeAndExpectNothingLeft("mac18");
        apply(InterfaceSpec.builder("w18").type(InterfaceType.ETHERNET).mtu(1500).build());
    }

    @Test
    void vxlanOnAVethIsCreatedVerifiedAndRemoved() {
        apply(InterfaceSpec.builder("w4").type(InterfaceType.ETHERNET).ipv4(address("192.0.2.4")).build(),
            InterfaceSpec.builder("vxlan100").type(InterfaceType.VXLAN)
                .vxlan(new VxlanConfig(100, "w4", "192.0.2.2", null, 4789, null)).ipv4(address("198.51.100.1")).build());

        assertThat(sandbox.ip("-d", "link", "show", "dev", "vxlan100")).contains("vxlan id 100").contains("remote 192.0.2.2")
            .contains("dev w4").contains("dstport 4789");
        assertThat(nm.currentState().find("vxlan100").orElseThrow().vxlan().id()).isEqualTo(100);

        removeAndExpectNothingLeft("vxlan100");
    }

    @Test
    void vrfIsCreatedWhereTheKernelHasVrfsAndRefusedCleanlyWhereItHasNot() {
        InterfaceSpec vrf = InterfaceSpec.builder("vrf102").type(InterfaceType.VRF).vrf(new VrfConfig(List.of("w6"), 102L)).build();
        InterfaceSpec port = InterfaceSpec.builder("w6").type(InterfaceType.ETHERNET).ipv4(address("192.0.2.61")).build();
        if (!KernelSupport.createsLinks(sandbox, "vrf table 10", null)) {
            assertRefusedCleanly("vrf102", "Operation not supported", vrf, port);
            return;
        }
        apply(vrf, port);
        assertThat(sandbox.ip("-d", "link", "show", "dev", "w6")).contains("master vrf102");
        assertThat(sandbox.ip("addr", "show", "dev", "w6")).as("a VRF's port keeps its address").contains("inet 192.0.2.61/24");
        assertThat(nm.currentState().find("vrf102").orElseThrow().vrf().routeTableId()).isEqualTo(102L);
        removeAndExpectNothingLeft("vrf102");
    }

    @Test
    void vlanWithItsProtocolAndFlagsIsCreatedWhereTheKernelHas8021qAndRefusedCleanlyWhereItHasNot() {
        InterfaceSpec qinq = InterfaceSpec.builder("w11.100").type(InterfaceType.VLAN)
            .vlan(new VlanConfig("w11", 100, "802.1ad", "mvrp", false, true)).ipv4(address("192.0.2.111")).build();
        if (!KernelSupport.createsLinks(sandbox, "vlan id 100", "w11")) {
            assertRefusedCleanly("w11.100", "Operation not supported", qinq);
            return;
        }
        apply(qinq);
        assertThat(sandbox.ip("-d", "link", "show", "dev", "w11.100")).contains("w11.100@w11")
            .contains("vlan protocol 802.1ad id 100 <LOOSE_BINDING,MVRP>");
        assertThat(nm.currentState().find("w11.100").orElseThrow().vlan())
            .isEqualTo(new VlanConfig("w11", 100, "802.1ad", "mvrp", false, true));

        apply(InterfaceSpec.builder("w11.100").vlan(new VlanConfig(null, null, null, "none", true, null)).build());
        assertThat(sandbox.ip("-d", "link", "show", "dev", "w11.100")).contains("vlan protocol 802.1ad id 100 <REORDER_HDR,LOOSE_BINDING>");
        removeAndExpectNothingLeft("w11.100");
    }

    @Test
    void dummyIsCreatedWhereTheKernelHasDummiesAndRefusedCleanlyWhereItHasNot() {
        InterfaceSpec dummy = InterfaceSpec.builder("dummy7").type(InterfaceType.DUMMY).ipv4(address("192.0.2.77")).build();
        if (!KernelSupport.createsLinks(sandbox, "dummy", null)) {
            assertRefusedCleanly("dummy7", "Operation not supported", dummy);
            return;
        }
        apply(dummy);
        assertThat(sandbox.ip("addr", "show", "dev", "dummy7")).contains("inet 192.0.2.77/24");
        removeAndExpectNothingLeft("dummy7");
    }

    @Test
    void ovsBridgeIsAppliedWhereOpenVswitchRunsAndRefusedCleanlyWhereItDoesNot() {
        InterfaceSpec internal = InterfaceSpec.builder("ovs0").type(InterfaceType.OVS_INTERFACE).ipv4(address("192.0.2.90")).build();
        InterfaceSpec bridge = InterfaceSpec.builder("ovsbr1").type(InterfaceType.OVS_BRIDGE)
            .bridge(BridgeConfig.of(false, List.of("w8", "ovs0"))).build();
        if (!KernelSupport.hasOpenVswitch()) {
            assertRefusedCleanly("ovsbr1", "plugin for 'ovs-bridge' unavailable", internal, bridge);
            return;
        }
        apply(internal, bridge);
        assertThat(nm.currentState().find("w8").orElseThrow().controller()).isEqualTo("ovsbr1");
        removeAndExpectNothingLeft("ovsbr1", "ovs0");
    }

    @Test
    void sriovOnAVethIsRefusedCleanlyNamingTheInterface() {
        InterfaceSpec vfs = InterfaceSpec.builder("w10").type(InterfaceType.ETHERNET)
            .ethernet(new EthernetConfig(null, null, null, new EthernetConfig.Sriov(2, null, null))).build();
        if (!KernelSupport.mayHaveSriov(sandbox, "w10")) {
            assertRefusedCleanly("w10", "does not support SR-IOV", vfs);
            return;
        }
        apply(vfs);
    }

    @Test
    void ieee8021QazOnAVethIsAppliedWithDcbToolsAndRefusedCleanlyWithout() {
        InterfaceSpec dcb = InterfaceSpec.builder("w12").type(InterfaceType.ETHERNET).dcb(new Ieee8021QazConfig(List.of(3), 0, List.of(
            new Ieee8021QazConfig.TrafficClass(0, 70, Ieee8021QazConfig.ETS),
            new Ieee8021QazConfig.TrafficClass(3, 30, Ieee8021QazConfig.ETS)))).build();
        if (!KernelSupport.hasDcbTools()) {
            assertRefusedCleanly("w12", "DCB setup failed", dcb);
            return;
        }
        apply(dcb);
        assertThat(nm.currentState().find("w12").orElseThrow().dcb().pfcEnabled()).containsExactly(3);
    }
}
