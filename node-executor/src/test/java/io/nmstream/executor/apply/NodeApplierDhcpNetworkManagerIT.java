package io.nmstream.executor.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.executor.nm.NetworkManagerBackend;
import io.nmstream.executor.sandbox.NetworkManagerSandbox;
import io.nmstream.nmstate.InterfaceSpec;
import io.nmstream.nmstate.InterfaceState;
import io.nmstream.nmstate.InterfaceType;
import io.nmstream.nmstate.IpAddress;
import io.nmstream.nmstate.IpConfig;
import io.nmstream.nmstate.NetworkState;
import io.nmstream.nmstate.NmstateParser;
import io.nmstream.nmstate.capture.CaptureResolver;
import io.nmstream.ingest.manifest.ManifestParser;
import io.nmstream.ingest.manifest.PolicyManifest;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nmstream.nmstate.RouteRule;
import io.nmstream.nmstate.WaitIp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DHCP through a real NetworkManager, with a real DHCP server (dnsmasq) on the far end of a veth, or none: an apply
 * does not wait for a server, as nmstate's does not, and an interface keeps asking rather than being taken down.
 */
class NodeApplierDhcpNetworkManagerIT {

    private static final IpConfig DHCP = new IpConfig(true, true, null, null, null, null, null);
    private static final IpConfig IPV6_OFF = IpConfig.disabled();

    private static NetworkManagerSandbox sandbox;
    private NetworkManagerBackend nm;
    private NodeApplier applier;

    @BeforeAll
    static void startSandbox() throws Exception {
        sandbox = NetworkManagerSandbox.start();
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
        return applier.apply(ApplyContext.manual("sandbox"), new NetworkState(List.of(interfaces), List.of(), List.of(), null),
            SandboxRequests.fromOutside());
    }

    @Test
    void dhcpAndAutoconfWithNoServerAnsweringAreAppliedAndTheInterfaceKeepsAsking() {
        ApplyResult result = apply(InterfaceSpec.builder("dq0").type(InterfaceType.VETH).vethPeer("dq0p").ipv4(DHCP)
            .ipv6(new IpConfig(true, true, true, null, null, null, null)).build());

        InterfaceSpec dq0 = result.after().find("dq0").orElseThrow();
        assertThat(dq0.state()).as("up, its address to come").isEqualTo(InterfaceState.UP);
        assertThat(dq0.ipv4().dhcp()).isTrue();
        assertThat(dq0.ipv4().addresses()).isEmpty();
        assertThat(Nmcli.run(sandbox, "-g", "ipv4.dhcp-timeout", "connection", "show", "dq0"))
            .as("DHCP never gives up, so NetworkManager never takes the interface down for want of a server").isEqualTo("2147483647");
        assertThat(Nmcli.run(sandbox, "-g", "ipv6.dhcp-timeout,ipv6.ra-timeout", "connection", "show", "dq0"))
            .as("nor does IPv6 autoconf, for want of a router").isEqualTo("2147483647\n2147483647");
        assertThat(dq0.ipv6().autoconf()).isTrue();
        assertThat(nm.checkpoints()).isEmpty();
    }

    @Test
    void aLeaseFromARealServerBecomesAStaticAddressWhenDhcpIsTurnedOff() throws Exception {
        apply(InterfaceSpec.builder("ds0p").type(InterfaceType.VETH).vethPeer("ds0")
            .ipv4(IpConfig.staticAddresses(false, List.of(new IpAddress("192.0.2.1", 24)))).ipv6(IPV6_OFF).build());
        try (DhcpServer server = DhcpServer.start(sandbox, "ds0p", "192.0.2.100", "192.0.2.150")) {
            apply(InterfaceSpec.builder("ds0").type(InterfaceType.VETH).ipv4(DHCP).ipv6(IPV6_OFF).build());

            IpAddress leased = awaitLease("ds0", server);
            assertThat(leased.ip()).startsWith("192.0.2.1");
            assertThat(leased.prefixLength()).isEqualTo(24);

            apply(InterfaceSpec.builder("ds0").type(InterfaceType.VETH).ipv4(new IpConfig(true, false, null, null, null, null, null))
                .build());

            InterfaceSpec ds0 = nm.currentState().find("ds0").orElseThrow();
            assertThat(ds0.ipv4().dhcp()).isFalse();
            assertThat(ds0.ipv4().addresses()).as("as nmstate does: the leased address stays, static").containsExactly(leased);
            assertThat(Nmcli.run(sandbox, "-g", "ipv4.method,ipv4.addresses", "connection", "show", "ds0"))
                .isEqualTo("manual\n" + leased.ip() + "/24");
        }
    }

    @Test
    void theDhcpClientsIdentityRouteMetricAndAddressGenerationReachTheServerAndTheKernel() throws Exception {
        apply(InterfaceSpec.builder("dc0p").type(InterfaceType.VETH).vethPeer("dc0")
            .ipv4(IpConfig.staticAddresses(false, List.of(new IpAddress("198.51.100.1", 24)))).ipv6(IPV6_OFF).build());
        try (DhcpServer server = DhcpServer.start(sandbox, "dc0p", "198.51.100.100", "198.51.100.150")) {
            apply(InterfaceSpec.builder("dc0").type(InterfaceType.VETH)
                .ipv4(ip("ipv4", "{enabled: true, dhcp: true, auto-route-metric: 150, dhcp-client-id: iaid+duid}"))
                .ipv6(ip("ipv6", "{enabled: true, dhcp: false, autoconf: false, address: [], addr-gen-mode: stable-privacy}"))
                .build());

            IpAddress leased = awaitLease("dc0", server);
            assertThat(sandbox.ip("route", "show", "dev", "dc0")).as("the route of the leased subnet")
                .containsPattern("198\\.51\\.100\\.0/24 .*metric 150");
            // RFC 4361's client identifier, type 255 followed by the IAID and the DUID, where ll would send 01 and the MAC
            assertThat(server.leases()).containsPattern(java.util.regex.Pattern.quote(leased.ip()) + " \\S+ ff:");
            InterfaceSpec dc0 = nm.currentState().find("dc0").orElseThrow();
            assertThat(dc0.ipv4().autoRouteMetric()).isEqualTo(150L);
            assertThat(dc0.ipv4().dhcpClientId()).isEqualTo("iaid+duid");
            String eui64 = eui64LinkLocal(dc0.macAddress());
            assertThat(sandbox.ip("-6", "addr", "show", "dev", "dc0")).doesNotContain(eui64);

            apply(InterfaceSpec.builder("dc0").type(InterfaceType.VETH)
                .ipv6(ip("ipv6", "{addr-gen-mode: eui64}")).build());
            assertThat(sandbox.ip("-6", "addr", "show", "dev", "dc0")).as("the link-local address made from the MAC address")
                .contains("inet6 " + eui64 + "/64");
            assertThat(nm.currentState().find("dc0").orElseThrow().ipv6().addrGenMode()).isEqualTo("eui64");

            // policy routing for a DHCP interface: its learnt routes into table 200, and a rule that sends its traffic there
            // (held by dc0, whose learnt routes are in the rule's table)
            applier.apply(ApplyContext.manual("sandbox"), new NetworkState(List.of(InterfaceSpec.builder("dc0").type(InterfaceType.VETH)
                .ipv4(ip("ipv4", "{enabled: true, dhcp: true, auto-route-table-id: 200}")).build()), List.of(),
                List.of(), null, List.of(new RouteRule("ipv4", "198.51.100.0/24", null, 1000L, 200L, null, null, null, null, null, false))),
                SandboxRequests.fromOutside());
            awaitLease("dc0", server);
            assertThat(sandbox.ip("route", "show", "table", "200")).contains("198.51.100.0/24 dev dc0");
            assertThat(sandbox.ip("rule", "show")).containsPattern("(?m)^1000:\\s+from 198\\.51\\.100\\.0/24 lookup 200");
            assertThat(Nmcli.run(sandbox, "-g", "ipv4.route-table,ipv4.routing-rules", "connection", "show", "dc0"))
                .startsWith("200\n").contains("from 198.51.100.0/24 table 200");
            assertThat(nm.currentState().find("dc0").orElseThrow().ipv4().autoRouteTableId()).isEqualTo(200L);
        }
    }

    @Test
    void theHostNameTheDhcpClientSendsIsTheOneThePolicyNamesOrNoneWhenItSaysSo() throws Exception {
        apply(InterfaceSpec.builder("dh0p").type(InterfaceType.VETH).vethPeer("dh0")
            .ipv4(IpConfig.staticAddresses(false, List.of(new IpAddress("203.0.113.1", 24)))).ipv6(IPV6_OFF).build());
        try (DhcpServer server = DhcpServer.start(sandbox, "dh0p", "203.0.113.100", "203.0.113.150")) {
            apply(InterfaceSpec.builder("dh0").type(InterfaceType.VETH).ipv4(dhcpHostname(null, "web-7.example.org")).ipv6(IPV6_OFF)
                .build());
            IpAddress leased = awaitLease("dh0", server);
            // an FQDN goes in option 81; dnsmasq keeps the first label for a domain it does not serve
            awaitLog(server, 0, "client provides name: web-7.example.org");
            assertThat(server.leases()).contains(leased.ip() + " web-7 ");
            assertThat(nm.currentState().find("dh0").orElseThrow().ipv4().dhcpCustomHostname()).isEqualTo("web-7.example.org");

            int before = server.log().length();
            apply(InterfaceSpec.builder("dh0").type(InterfaceType.VETH).ipv4(dhcpHostname(null, "db-1")).build());
            assertThat(awaitLog(server, before, "DHCPACK")).as("the change renews the lease with the new name")
                .contains("client provides name: db-1");
            assertThat(Nmcli.run(sandbox, "-g", "ipv4.dhcp-hostname", "connection", "show", "dh0")).isEqualTo("db-1");
            assertThat(Nmcli.run(sandbox, "-g", "ipv4.dhcp-fqdn", "connection", "show", "dh0"))
                .as("a profile holds a name or an FQDN, not both").isEmpty();

            before = server.log().length();
            apply(InterfaceSpec.builder("dh0").type(InterfaceType.VETH).ipv4(dhcpHostname(false, null)).build());
            String exchange = awaitLog(server, before, "DHCPACK");
            assertThat(exchange).as("the request after the change carries no name").doesNotContain("client provides name");
            IpConfig ipv4 = nm.currentState().find("dh0").orElseThrow().ipv4();
            assertThat(ipv4.dhcpSendHostname()).isFalse();
            assertThat(ipv4.dhcpCustomHostname()).isNull();
        }
    }

    @Test
    void theDhcpv6ClientSendsTheCustomHostNameAsAnFqdn() throws Exception {
        apply(InterfaceSpec.builder("d6p").type(InterfaceType.VETH).vethPeer("d6").ipv4(IpConfig.disabled())
            .ipv6(ip("ipv6", "{enabled: true, dhcp: false, autoconf: false, address: [{ip: \"2001:db8:6::1\", prefix-length: 64}]}"))
            .build());
        try (DhcpServer server = DhcpServer.dhcpv6(sandbox, "d6p", "2001:db8:6::100", "2001:db8:6::1ff")) {
            apply(InterfaceSpec.builder("d6").type(InterfaceType.VETH).ipv4(IpConfig.disabled())
                .ipv6(ip("ipv6", "{enabled: true, dhcp: true, autoconf: true, dhcp-custom-hostname: web-9.example.org}")).build());
            // RFC 4704's option 39; dnsmasq keeps the first label for a domain it does not serve
            awaitLog(server, 0, "client provides name: web-9.example.org");
            assertThat(Nmcli.run(sandbox, "-g", "ipv6.dhcp-hostname", "connection", "show", "d6")).isEqualTo("web-9.example.org");
            assertThat(nm.currentState().find("d6").orElseThrow().ipv6().dhcpCustomHostname()).isEqualTo("web-9.example.org");
        }
    }

    @Test
    void theAutoconfAddressTakesTheTokenAsItsInterfaceIdentifierAndTheMacsOnceTheTokenIsRemoved() throws Exception {
        apply(InterfaceSpec.builder("dt0p").type(InterfaceType.VETH).vethPeer("dt0").ipv4(IpConfig.disabled())
            .ipv6(ip("ipv6", "{enabled: true, dhcp: false, autoconf: false, address: [{ip: \"2001:db8:7::1\", prefix-length: 64}]}"))
            .build());
        try (DhcpServer router = DhcpServer.advertising(sandbox, "dt0p", "2001:db8:7::")) {
            apply(InterfaceSpec.builder("dt0").type(InterfaceType.VETH).ipv4(IpConfig.disabled())
                .ipv6(ip("ipv6", "{enabled: true, dhcp: true, autoconf: true, token: \"::1234\"}")).build());
            awaitAddress("dt0", "2001:db8:7::1234/64", router);
            IpConfig ipv6 = nm.currentState().find("dt0").orElseThrow().ipv6();
            assertThat(ipv6.token()).isEqualTo("::1234");
            assertThat(ipv6.addrGenMode()).as("NetworkManager takes a token only with it").isEqualTo("eui64");

            apply(InterfaceSpec.builder("dt0").type(InterfaceType.VETH).ipv6(ip("ipv6", "{token: \"\"}")).build());
            String mac = nm.currentState().find("dt0").orElseThrow().macAddress();
            awaitAddress("dt0", eui64LinkLocal(mac).replace("fe80::", "2001:db8:7:0:") + "/64", router);
            assertThat(Nmcli.run(sandbox, "-g", "ipv6.token", "connection", "show", "dt0")).isEmpty();
            assertThat(nm.currentState().find("dt0").orElseThrow().ipv6().token()).isNull();
        }
    }

    @Test
    void anInterfaceIsActivatedOnceTheFamilyItWaitsForIsConfigured() throws Exception {
        apply(InterfaceSpec.builder("dw0p").type(InterfaceType.VETH).vethPeer("dw0")
            .ipv4(IpConfig.staticAddresses(false, List.of(new IpAddress("198.18.7.1", 24)))).ipv6(IPV6_OFF).build());
        IpConfig staticIpv6 = ip("ipv6", "{enabled: true, dhcp: false, autoconf: false, address: [{ip: \"2001:db8:8::10\", "
            + "prefix-length: 64}]}");
        // no DHCP server answers yet: IPv6 alone is configured
        ApplyResult waitForIpv4 = apply(InterfaceSpec.builder("dw0").type(InterfaceType.VETH).waitIp(WaitIp.IPV4).ipv4(DHCP)
            .ipv6(staticIpv6).build());
        assertThat(waitForIpv4.after().find("dw0").orElseThrow().waitIp()).isEqualTo(WaitIp.IPV4);
        assertThat(Nmcli.run(sandbox, "-g", "ipv4.may-fail,ipv6.may-fail", "connection", "show", "dw0")).isEqualTo("no\nyes");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!sandbox.ip("-6", "addr", "show", "dev", "dw0").matches("(?s).*inet6 2001:db8:8::10/64 scope global (?!tentative).*")) {
            assertThat(System.nanoTime()).as("IPv6 configured").isLessThan(deadline);
            Thread.sleep(200);
        }
        for (int i = 0; i < 25; i++) {
            // with IPv6 done NetworkManager would count it activated within a second or two if it did not wait for IPv4
            assertThat(Nmcli.run(sandbox, "-g", "GENERAL.STATE", "device", "show", "dw0")).as("still waiting for IPv4")
                .isEqualTo("70 (connecting (getting IP configuration))");
            Thread.sleep(200);
        }
        try (DhcpServer server = DhcpServer.start(sandbox, "dw0p", "198.18.7.100", "198.18.7.150")) {
            awaitDeviceState("dw0", "100 (connected)");
            assertThat(nm.currentState().find("dw0").orElseThrow().ipv4().addresses()).as("activated with its lease, dnsmasq said:\n"
                + server.log()).isNotEmpty();
        }

        // NetworkManager reapplies may-fail without activating the interface again: it counts at the next activation (a
        // reboot, or nmcli connection up), which then waits for IPv6 alone, and the DHCP server is gone
        apply(InterfaceSpec.builder("dw0").type(InterfaceType.VETH).waitIp(WaitIp.IPV6).build());
        assertThat(Nmcli.run(sandbox, "-g", "ipv4.may-fail,ipv6.may-fail", "connection", "show", "dw0")).isEqualTo("yes\nno");
        Nmcli.run(sandbox, "connection", "up", "dw0");
        assertThat(Nmcli.run(sandbox, "-g", "GENERAL.STATE,IP4.ADDRESS", "device", "show", "dw0")).as("activated without IPv4")
            .isEqualTo("100 (connected)");
        assertThat(nm.currentState().find("dw0").orElseThrow().waitIp()).isEqualTo(WaitIp.IPV6);
        apply(InterfaceSpec.named("dw0", null, InterfaceState.ABSENT), InterfaceSpec.named("dw0p", null, InterfaceState.ABSENT));
    }

    /** Waits, as a user would watching {@code nmcli device}, for {@code iface} to reach {@code state}. */
    private static void awaitDeviceState(String iface, String state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String now = "";
        while (System.nanoTime() < deadline) {
            now = Nmcli.run(sandbox, "-g", "GENERAL.STATE", "device", "show", iface);
            if (now.equals(state)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(iface + " never reached " + state + "; it is " + now);
    }

    /** Waits, as a user would, for {@code address} on {@code iface} (router advertisements come every few seconds). */
    private void awaitAddress(String iface, String address, DhcpServer router) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (sandbox.ip("-6", "addr", "show", "dev", iface).contains("inet6 " + address + " ")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(iface + " never got " + address + ": " + sandbox.ip("-6", "addr", "show", "dev", iface)
            + "\ndnsmasq said:\n" + router.log());
    }

    private static IpConfig dhcpHostname(Boolean send, String name) {
        return ip("ipv4", "{enabled: true, dhcp: true" + (send == null ? "" : ", dhcp-send-hostname: " + send)
            + (name == null ? "" : ", dhcp-custom-hostname: " + name) + "}");
    }

    /** An ipv4 or ipv6 block as a document writes it. */
    private static IpConfig ip(String family, String block) {
        InterfaceSpec iface = NmstateParser.parse("interfaces: [{name: x0, " + family + ": " + block + "}]").find("x0").orElseThrow();
        return family.equals("ipv4") ? iface.ipv4() : iface.ipv6();
    }

    /** dnsmasq's log from {@code offset} once it contains {@code text}, waiting for the DHCP exchange as a user would. */
    private static String awaitLog(DhcpServer server, int offset, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String log = server.log();
            if (log.length() > offset && log.substring(offset).contains(text)) {
                return log.substring(offset);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("dnsmasq never logged '" + text + "'; it said:\n" + server.log());
    }

    @Test
    void convertingDhcpToStaticAsTheDocumentedExampleDoesKeepsTheNameServerDhcpGave() throws Exception {
        apply(InterfaceSpec.builder("dv0p").type(InterfaceType.VETH).vethPeer("dv0")
            .ipv4(IpConfig.staticAddresses(false, List.of(new IpAddress("198.18.5.1", 24)))).ipv6(IPV6_OFF).build());
        try (DhcpServer server = DhcpServer.start(sandbox, "dv0p", "198.18.5.100", "198.18.5.150",
            "--dhcp-option=option:dns-server,198.18.5.53")) {
            apply(InterfaceSpec.builder("dv0").type(InterfaceType.VETH).ipv4(DHCP)
                .ipv6(IpConfig.staticAddresses(true, List.of(new IpAddress("2001:db8:5::10", 64)))).build());
            IpAddress leased = awaitLease("dv0", server);
            assertThat(nm.currentState().runningDns().servers()).as("dns-resolver.running, from DHCP").contains("198.18.5.53");

            // examples/convert-dhcp-to-static.yaml, its eth0 being dv0 here: it captures dns-resolver.running
            String example = Files.readString(Path.of("..", "examples", "convert-dhcp-to-static.yaml")).replace("eth0", "dv0");
            PolicyManifest policy = new ManifestParser().parse("convert-dhcp-to-static.yaml", example).policies().get(0);
            NetworkState desired = NmstateParser.parse(CaptureResolver.resolve(policy.capture(),
                new ObjectMapper().readTree(policy.desiredState()), nm.currentState()));
            assertThat(desired.dns().servers()).as("before, the configured ones only: none").containsExactly("198.18.5.53");
            applier.apply(ApplyContext.manual("sandbox"), desired, SandboxRequests.fromOutside());

            InterfaceSpec dv0 = nm.currentState().find("dv0").orElseThrow();
            assertThat(dv0.ipv4().dhcp()).isFalse();
            assertThat(dv0.ipv4().addresses()).containsExactly(leased);
            assertThat(nm.currentState().dns().servers()).containsExactly("198.18.5.53");
            assertThat(sandbox.resolvConf()).contains("nameserver 198.18.5.53");
        }
        apply(InterfaceSpec.named("dv0", null, InterfaceState.ABSENT), InterfaceSpec.named("dv0p", null, InterfaceState.ABSENT));
        applier.apply(ApplyContext.manual("sandbox"), NmstateParser.parse("dns-resolver: {config: {}}"), SandboxRequests.fromOutside());
    }

    /** The EUI-64 link-local address of {@code mac}: its universal/local bit flipped, ff:fe in the middle. */
    private static String eui64LinkLocal(String mac) {
        String[] b = mac.toLowerCase(java.util.Locale.ROOT).split(":");
        int first = Integer.parseInt(b[0], 16) ^ 0x02;
        return String.format("fe80::%x:%xff:fe%s:%x", first << 8 | Integer.parseInt(b[1], 16), Integer.parseInt(b[2], 16),
            b[3], Integer.parseInt(b[4] + b[5], 16));
    }

    /** The address {@code iface} got from {@code server}, waiting for it as a user would (a DHCP exchange takes a moment). */
    private IpAddress awaitLease(String iface, DhcpServer server) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            List<IpAddress> addresses = nm.currentState().find(iface).orElseThrow().ipv4().addresses();
            if (!addresses.isEmpty()) {
                return addresses.get(0);
            }
            Thread.sleep(200);
        }
        throw new AssertionError(iface + " got no lease; dnsmasq said:\n" + server.log());
    }

    /** dnsmasq serving DHCP, and nothing else, on one interface of the sandbox's namespace. */
    private static final class DhcpServer implements AutoCloseable {
        private final Process process;
        private final Path log;

        private DhcpServer(Process process, Path log) {
            this.process = process;
            this.log = log;
        }

        /** dnsmasq's lease file: expiry, MAC address, IP address, host name and client identifier of each lease. */
        String leases() throws IOException {
            return Files.readString(log.resolveSibling("leases"));
        }

        /**
         * Serves {@code first}-{@code last} on {@code iface}, without a default gateway: the applier's gateway probe runs in
         * the test's own network namespace, not the sandbox's.
         */
        static DhcpServer start(NetworkManagerSandbox sandbox, String iface, String first, String last, String... options)
            throws IOException {
            List<String> arguments = new java.util.ArrayList<>(List.of("--dhcp-range=" + first + "," + last + ",255.255.255.0,1h",
                "--dhcp-option=option:router"));
            arguments.addAll(List.of(options));
            return run(sandbox, iface, arguments);
        }

        /** Serves DHCPv6 addresses {@code first}-{@code last} on {@code iface}, with router advertisements that ask for it. */
        static DhcpServer dhcpv6(NetworkManagerSandbox sandbox, String iface, String first, String last) throws IOException {
            return run(sandbox, iface, List.of("--enable-ra", "--dhcp-range=" + first + "," + last + ",64,1h"));
        }

        /** Sends router advertisements of {@code prefix}/64 on {@code iface}, for autoconf, and serves no DHCP. */
        static DhcpServer advertising(NetworkManagerSandbox sandbox, String iface, String prefix) throws IOException {
            return run(sandbox, iface, List.of("--enable-ra", "--dhcp-range=" + prefix + ",ra-only,64,1h"));
        }

        private static DhcpServer run(NetworkManagerSandbox sandbox, String iface, List<String> arguments) throws IOException {
            Path dir = Files.createTempDirectory("dnsmasq");
            Path log = dir.resolve("dnsmasq.log");
            List<String> command = new java.util.ArrayList<>(List.of("ip", "netns", "exec", sandbox.namespace(), "dnsmasq",
                "--keep-in-foreground", "--no-resolv", "--port=0", "--bind-interfaces", "--interface=" + iface, "--except-interface=lo",
                "--dhcp-leasefile=" + dir.resolve("leases"), "--log-dhcp", "--log-facility=-"));
            command.addAll(arguments);
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new DhcpServer(p, log);
        }

        String log() {
            try {
                return Files.readString(log) + (process.isAlive() ? "" : "(exited with " + process.exitValue() + ")");
            } catch (IOException e) {
                return e.toString();
            }
        }

        /** Stops dnsmasq and removes its directory (its log and lease file). */
        @Override
        public void close() throws InterruptedException, IOException {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
            Files.deleteIfExists(log);
            Files.deleteIfExists(log.resolveSibling("leases"));
            Files.deleteIfExists(log.getParent());
        }
    }
}
