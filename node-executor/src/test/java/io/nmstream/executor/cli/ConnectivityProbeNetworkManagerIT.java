package io.nmstream.executor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.executor.nm.NetworkManagerBackend;
import io.nmstream.executor.sandbox.NetworkManagerSandbox;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default-gateway probe on a real NetworkManager, as kubernetes-nmstate's users rely on it: {@code nmstream node
 * apply} runs inside the sandbox's network namespace, as the agent runs in its host's, and the gateway is a real
 * address in a namespace of its own, behind the sandbox's g0, which also serves DNS there. A change that leaves the
 * host unable to reach its gateway or its name server is rolled back; one that keeps them is committed.
 */
class ConnectivityProbeNetworkManagerIT {

    private static final String GATEWAY = "10.77.0.1";

    private static NetworkManagerSandbox sandbox;
    private static String gatewayNamespace;
    private static Process nameServer;
    private static Path nameServerLog;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSandboxWithAGateway() throws Exception {
        sandbox = NetworkManagerSandbox.start(Path.of(System.getProperty("basedir", "."), "target", "nm-sandbox"), "g0:g1");
        // g1 goes to a namespace of its own and answers as the gateway; nothing touches the machine's own namespace
        gatewayNamespace = sandbox.namespace() + "gw";
        exec("ip", "netns", "add", gatewayNamespace);
        sandbox.ip("link", "set", "g1", "netns", gatewayNamespace);
        exec("ip", "-n", gatewayNamespace, "addr", "add", GATEWAY + "/24", "dev", "g1");
        exec("ip", "-n", gatewayNamespace, "link", "set", "g1", "up");
        exec("ip", "-n", gatewayNamespace, "link", "set", "lo", "up");
        // the gateway is the name server too: dnsmasq with nothing to forward to answers every query (REFUSED), which is
        // all a probe asks of a name server; it also serves DHCP, giving itself as router and name server
        nameServerLog = Files.createTempFile("dnsmasq", ".log");
        nameServer = new ProcessBuilder("ip", "netns", "exec", gatewayNamespace, "dnsmasq", "--keep-in-foreground", "--no-resolv",
            "--no-hosts", "--bind-interfaces", "--interface=g1", "--except-interface=lo", "--log-queries", "--log-facility=-",
            "--dhcp-range=10.77.0.100,10.77.0.150,255.255.255.0,1h", "--dhcp-leasefile=" + nameServerLog + ".leases")
            .redirectErrorStream(true).redirectOutput(nameServerLog.toFile()).start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (nameServer != null) {
            nameServer.destroy();
            nameServer.waitFor(10, TimeUnit.SECONDS);
        }
        if (gatewayNamespace != null) {
            exec("ip", "netns", "del", gatewayNamespace);
        }
        if (sandbox != null) {
            sandbox.close();
        }
        if (nameServerLog != null) {
            Files.deleteIfExists(nameServerLog);
            Files.deleteIfExists(Path.of(nameServerLog + ".leases"));
        }
    }

    private static String exec(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
        return output;
    }

    /** What one {@code nmstream node apply} printed, and its exit code. */
    private record Run(int exitCode, String output) {
    }

    /** Runs {@code nmstream node apply} with {@code yaml} in the sandbox's namespace, as a process of its own. */
    private Run apply(String yaml) throws IOException, InterruptedException {
        return apply(yaml, List.of());
    }

    /**
     * Runs {@code nmstream node apply [options]} with a checkpoint of 20 s: a probe that fails after the apply is tried
     * again until 15 s before the checkpoint would roll back, so that a failure shows after one attempt here.
     */
    private Run applyFailingFast(String yaml) throws IOException, InterruptedException {
        return apply(yaml, List.of("--timeout", "20"));
    }

    private Run apply(String yaml, List<String> options) throws IOException, InterruptedException {
        Path file = Files.writeString(dir.resolve("state.yaml"), yaml);
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", sandbox.namespace(),
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
            NodeMain.class.getName(), "--bus-address=" + sandbox.busAddress(), "apply"));
        command.addAll(options);
        command.add(file.toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), output);
    }

    /**
     * Gives g0 the address and the default route every test starts from, and {@code nameServers} (YAML, e.g.
     * {@code [10.77.0.1]}) unless empty: a test that left the host without a gateway the next one's probes could reach
     * would have that test's first apply rolled back, rightly.
     */
    private void applyBaseline(String nameServers) throws IOException, InterruptedException {
        Run baseline = apply("""
            interfaces:
            - name: g0
              type: ethernet
              state: up
              ipv4: {enabled: true, dhcp: false, address: [{ip: 10.77.0.10, prefix-length: 24}]}
            routes:
              config:
              - {destination: 0.0.0.0/0, next-hop-address: 10.77.0.1, next-hop-interface: g0}
            """ + (nameServers.isEmpty() ? "" : "dns-resolver: {config: {server: " + nameServers + "}}\n"));
        assertThat(baseline.exitCode()).as(baseline.output()).isZero();
    }

    @Test
    void aChangeThatCutsTheHostOffItsGatewayIsRolledBackAndOneThatKeepsItIsCommitted() throws Exception {
        applyBaseline("");
        assertThat(sandbox.ip("route", "show", "default")).contains("via " + GATEWAY + " dev g0");
        String routesBefore = sandbox.ip("route", "show");
        String addressesBefore = sandbox.ip("-4", "addr", "show", "dev", "g0");

        Run typo = applyFailingFast("""
            routes:
              config:
              - {destination: 0.0.0.0/0, state: absent}
              - {destination: 0.0.0.0/0, next-hop-address: 10.77.0.254, next-hop-interface: g0}
            """);

        assertThat(typo.exitCode()).as(typo.output()).isNotZero();
        assertThat(typo.output()).contains("Connectivity check failed after the apply: default gateway 10.77.0.254 does not answer")
            .contains("the host was rolled back");
        assertThat(sandbox.ip("route", "show")).isEqualTo(routesBefore);
        assertThat(sandbox.ip("-4", "addr", "show", "dev", "g0")).isEqualTo(addressesBefore);
        try (NetworkManagerBackend nm = NetworkManagerBackend.connect(sandbox.busAddress())) {
            assertThat(nm.checkpoints()).isEmpty();
        }

        Run kept = apply("""
            interfaces:
            - name: g0
              type: ethernet
              state: up
              mtu: 1400
            """);
        assertThat(kept.exitCode()).as(kept.output()).isZero();
        assertThat(kept.output()).contains("applied and committed");
        assertThat(sandbox.ip("link", "show", "dev", "g0")).contains("mtu 1400");
        assertThat(sandbox.ip("route", "show", "default")).contains("via " + GATEWAY + " dev g0");
    }

    @Test
    void aChangeThatPointsTheHostAtNameServersThatDoNotAnswerIsRolledBack() throws Exception {
        // one name server of two answers
        applyBaseline("[10.77.0.53, 10.77.0.1]");

        Run typo = applyFailingFast("""
            dns-resolver:
              config:
                server: [10.77.0.53, 10.77.0.54]
            """);

        assertThat(typo.exitCode()).as(typo.output()).isNotZero();
        assertThat(typo.output()).as("dnsmasq's log:%n%s", Files.readString(nameServerLog))
            .contains("Connectivity check failed after the apply: name servers 10.77.0.53, 10.77.0.54 did not answer within 5000 ms")
            .contains("the host was rolled back");
        assertThat(Files.readString(nameServerLog)).as("the probe before the apply asked the name server there was")
            .contains("query[NS] . from 10.77.0.10");
        try (NetworkManagerBackend nm = NetworkManagerBackend.connect(sandbox.busAddress())) {
            assertThat(nm.currentState().dns().servers()).containsExactly("10.77.0.53", "10.77.0.1");
            assertThat(nm.checkpoints()).isEmpty();
        }
    }

    @Test
    void aBridgeWhosePortStillLearnsIsProbedAgainUntilItForwardsAndIsCommitted() throws Exception {
        applyBaseline("");

        // with STP the port listens, then learns, for the forward delay each (4 s here, 15 s by default) before it forwards:
        // the gateway does not answer for ~8 s after the apply, longer than one probe (5 s)
        Run bridged = apply("""
            interfaces:
            - name: gbr
              type: linux-bridge
              state: up
              ipv4: {enabled: true, dhcp: false, address: [{ip: 10.77.0.10, prefix-length: 24}]}
              bridge:
                options: {stp: {enabled: true, forward-delay: 4}}
                port: [{name: g0}]
            routes:
              config:
              - {destination: 0.0.0.0/0, next-hop-address: 10.77.0.1, next-hop-interface: gbr}
            """);

        assertThat(bridged.exitCode()).as(bridged.output()).isZero();
        assertThat(bridged.output()).contains("Connectivity check failed after the apply, trying again")
            .contains("applied and committed");
        assertThat(sandbox.ip("route", "show", "default")).contains("via " + GATEWAY + " dev gbr");

        Run restored = apply("""
            interfaces:
            - {name: gbr, type: linux-bridge, state: absent}
            - name: g0
              type: ethernet
              state: up
              ipv4: {enabled: true, dhcp: false, address: [{ip: 10.77.0.10, prefix-length: 24}]}
            routes:
              config:
              - {destination: 0.0.0.0/0, next-hop-address: 10.77.0.1, next-hop-interface: g0}
            """);
        assertThat(restored.exitCode()).as(restored.output()).isZero();
    }

    @Test
    void theNameServerDhcpGivesIsTheOneProbedWhenThePolicyConfiguresNone() throws Exception {
        applyBaseline("[10.77.0.1]");

        // the name server the host used is still in use after the apply, from DHCP: nmstate's dns-resolver.running,
        // which the probe asks, as kubernetes-nmstate's does; the configured servers alone are none
        Run dhcp = apply("""
            interfaces:
            - name: g0
              type: ethernet
              state: up
              ipv4: {enabled: true, dhcp: true, address: []}
            routes:
              config:
              - {destination: 0.0.0.0/0, state: absent}
            dns-resolver:
              config:
                server: []
            """);

        assertThat(dhcp.exitCode()).as(dhcp.output()).isZero();
        assertThat(sandbox.ip("-4", "addr", "show", "dev", "g0")).containsPattern("inet 10\\.77\\.0\\.1\\d\\d/24");
        assertThat(Files.readString(nameServerLog)).as("dnsmasq's log").containsPattern("query\\[NS\\] \\. from 10\\.77\\.0\\.1\\d\\d");
    }
}
