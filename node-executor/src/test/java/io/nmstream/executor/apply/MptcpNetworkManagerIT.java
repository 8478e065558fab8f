package io.nmstream.executor.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nmstream.executor.cli.NodeMain;
import io.nmstream.executor.nm.NetworkManagerBackend;
import io.nmstream.executor.sandbox.NetworkManagerSandbox;
import io.nmstream.executor.sandbox.NetworkManagerSandboxExtension;
import io.nmstream.nmstate.MptcpAddressFlag;
import io.nmstream.nmstate.NmstateParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * MPTCP address flags against a real NetworkManager 1.42 and the kernel's MPTCP endpoints ({@code ip mptcp endpoint}), in
 * the sandbox's network namespace. On a kernel without MPTCP the flags are refused before anything is touched.
 */
@ExtendWith(NetworkManagerSandboxExtension.class)
class MptcpNetworkManagerIT {

    private static final String VETH = "interfaces: [{name: mp0, type: veth, veth: {peer: mp0p}, ipv6: {enabled: false}, "
        + "ipv4: {enabled: true, address: [{ip: 192.0.2.41, prefix-length: 24}]}";

    private final NetworkManagerSandbox sandbox;
    private NetworkManagerBackend nm;
    private NodeApplier applier;

    MptcpNetworkManagerIT(NetworkManagerSandbox sandbox) {
        this.sandbox = sandbox;
    }

    @BeforeEach
    void connect() {
        nm = NetworkManagerBackend.connect(sandbox.busAddress());
        applier = new NodeApplier(nm, 5, Duration.ofSeconds(1), CommitGate.OPEN);
    }

    @AfterEach
    void removeTheVethAndDisconnect() {
        apply("interfaces: [{name: mp0, state: absent}, {name: mp0p, state: absent}]");
        nm.close();
    }

    private void apply(String yaml) {
        applier.apply(ApplyContext.manual("sandbox"), NmstateParser.parse(yaml), SandboxRequests.fromOutside());
    }

    /** Whether the sandbox's kernel has MPTCP: its sysctl exists in the namespace. */
    private boolean kernelHasMptcp() {
        return sandbox.execInNamespace(List.of("test", "-e", "/proc/sys/net/mptcp/enabled")).exitCode() == 0;
    }

    @Test
    void theFlagsBecomeTheKernelsEndpointsOfTheInterfacesAddressesAndAnEmptyListRemovesThem() {
        if (!kernelHasMptcp()) {
            assertThatThrownBy(() -> apply(VETH + ", mptcp: {address-flags: [subflow]}}]")).isInstanceOf(ApplyException.class)
                .hasMessageContaining("Interface mp0: mptcp.address-flags need MPTCP, which this host's kernel lacks");
            assertThat(sandbox.ip("link", "show")).doesNotContain("mp0");
            return;
        }
        apply(VETH + ", mptcp: {address-flags: [signal, backup]}}]");

        assertThat(sandbox.ip("mptcp", "endpoint", "show")).as("without a default route too, as nmstate asks")
            .containsPattern("192\\.0\\.2\\.41 id \\d+ signal backup dev mp0");
        assertThat(nm.currentState().find("mp0").orElseThrow().mptcpAddressFlags())
            .containsExactly(MptcpAddressFlag.SIGNAL, MptcpAddressFlag.BACKUP);

        apply("interfaces: [{name: mp0, mptcp: {address-flags: [subflow]}}]");
        assertThat(sandbox.ip("mptcp", "endpoint", "show")).containsPattern("192\\.0\\.2\\.41 id \\d+ subflow dev mp0")
            .doesNotContain("signal");

        apply("interfaces: [{name: mp0, mptcp: {address-flags: []}}]");
        assertThat(sandbox.ip("mptcp", "endpoint", "show")).doesNotContain("192.0.2.41");
        assertThat(nm.currentState().find("mp0").orElseThrow().mptcpAddressFlags()).isEmpty();
    }

    @Test
    void withMptcpOffOnTheHostTheNodeRefusesTheFlagsAndChangesNothing(@TempDir Path dir) throws IOException {
        apply(VETH + ", mptcp: {address-flags: []}}]");
        String profileBefore = Nmcli.run(sandbox, "-g", "connection.mptcp-flags", "connection", "show", "mp0");
        if (!kernelHasMptcp()) {
            return; // the first test covers a kernel without MPTCP
        }
        Path desired = Files.writeString(dir.resolve("mptcp.yaml"), "interfaces: [{name: mp0, mptcp: {address-flags: [subflow]}}]\n");
        // the agent reads the sysctl of its own network namespace, NetworkManager's on a host: run it in the sandbox's
        sysctl("net.mptcp.enabled=0");
        NetworkManagerSandbox.Result apply;
        try {
            apply = sandbox.execInNamespace(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), NodeMain.class.getName(), "apply", desired.toString()));
        } finally {
            sysctl("net.mptcp.enabled=1");
        }

        assertThat(apply.exitCode()).as(apply.output()).isNotZero();
        assertThat(apply.output()).contains("Interface mp0: mptcp.address-flags need MPTCP enabled on the host, and net.mptcp.enabled "
            + "is 0; NetworkManager does not enable it: set it with sysctl first");
        assertThat(Nmcli.run(sandbox, "-g", "connection.mptcp-flags", "connection", "show", "mp0")).isEqualTo(profileBefore)
            .isEqualTo("0x1");
        assertThat(nm.checkpoints()).isEmpty();
    }

    private void sysctl(String setting) {
        NetworkManagerSandbox.Result r = sandbox.execInNamespace(List.of("sysctl", "-q", "-w", setting));
        assertThat(r.exitCode()).as(r.output()).isZero();
    }
}
