package io.nmstream.executor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.nmstate.InterfaceSpec;
import io.nmstream.nmstate.NmstateParser;
import io.nmstream.executor.sandbox.NetworkManagerSandbox;
import io.nmstream.executor.sandbox.NetworkManagerSandboxExtension;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code nmstream node ...} as a user runs it, against a real NetworkManager (interface v3 of the sandbox). */
@ExtendWith(NetworkManagerSandboxExtension.class)
class NodeCommandNetworkManagerIT {

    private final NetworkManagerSandbox sandbox;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    NodeCommandNetworkManagerIT(NetworkManagerSandbox sandbox) {
        this.sandbox = sandbox;
    }

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        CommandLine cli = new CommandLine(new NodeCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] withBus = new String[args.length + 1];
        withBus[0] = "--bus-address=" + sandbox.busAddress();
        withBus[1] = args[0];
        System.arraycopy(args, 1, withBus, 2, args.length - 1);
        return cli.execute(withBus);
    }

    @Test
    void dryRunThenApplyWithoutCommitThenRollbackThenApplyAndShow() throws IOException {
        Path file = dir.resolve("v3.yaml");
        Files.writeString(file, """
            interfaces:
            - name: v3
              type: ethernet
              state: up
              mtu: 4000
              ipv4: {enabled: true, dhcp: false, address: [{ip: 198.18.3.3, prefix-length: 24}]}
            """);
        assertThat(run("show", "v3")).as(err.toString()).isZero();
        String before = out.toString();

        assertThat(run("apply", "--dry-run", file.toString())).isZero();
        assertThat(out.toString()).contains("interface v3:").contains("+ mtu: 4000").contains("+   - ip: 198.18.3.3");
        assertThat(sandbox.ip("addr", "show", "dev", "v3")).doesNotContain("198.18.3.3");

        assertThat(run("apply", "--no-commit", "--timeout", "120", file.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("is pending");
        assertThat(sandbox.ip("addr", "show", "dev", "v3")).contains("mtu 4000").contains("198.18.3.3/24");
        assertThat(run("apply", file.toString())).as("another apply while that checkpoint is pending").isEqualTo(1);
        assertThat(err.toString()).containsPattern("Cannot create a checkpoint: checkpoint /org/freedesktop/NetworkManager/Checkpoint/"
            + "\\d+ is still pending .*'nmstream node commit'.*'nmstream node rollback', then apply again");
        assertThat(sandbox.ip("addr", "show", "dev", "v3")).as("the pending apply untouched").contains("198.18.3.3/24");
        assertThat(run("rollback")).as(err.toString()).isZero();
        assertThat(sandbox.ip("addr", "show", "dev", "v3")).doesNotContain("198.18.3.3");
        assertThat(run("show", "v3")).as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo(before);

        assertThat(run("apply", file.toString())).as(err.toString()).isZero();
        assertThat(run("show", "v3", "--json")).isZero();
        InterfaceSpec v3 = NmstateParser.parse(out.toString()).find("v3").orElseThrow();
        assertThat(v3.mtu()).isEqualTo(4000);
        assertThat(v3.ipv4().addresses()).extracting(a -> a.toString()).containsExactly("198.18.3.3/24");
        assertThat(run("commit")).isEqualTo(1);
        assertThat(err.toString()).contains("There is no checkpoint pending");
    }

    @Test
    void policyRendersItsCapturesAgainstNetworkManagersStateAndChangesNothing() throws IOException {
        Path address = dir.resolve("address.yaml");
        Files.writeString(address, """
            interfaces:
            - name: v3
              type: ethernet
              state: up
              ipv4: {enabled: true, dhcp: false, address: [{ip: 198.18.3.7, prefix-length: 24}]}
            """);
        assertThat(run("apply", address.toString())).as(err.toString()).isZero();
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
            capture:
              v3: interfaces.name == "v3"
            desiredState:
              interfaces:
              - name: br-v3
                type: linux-bridge
                state: up
                ipv4: "{{ capture.v3.interfaces.0.ipv4 }}"
                bridge: {port: [{name: v3}]}
            """);
        assertThat(run("show")).isZero();
        String before = out.toString();

        assertThat(run("policy", policy.toString())).as(err.toString()).isZero();

        InterfaceSpec bridge = NmstateParser.parse(out.toString()).find("br-v3").orElseThrow();
        assertThat(bridge.ipv4().addresses()).extracting(a -> a.toString()).containsExactly("198.18.3.7/24");
        assertThat(run("show")).isZero();
        assertThat(out.toString()).as("nothing applied").isEqualTo(before);
        assertThat(sandbox.ip("link", "show")).doesNotContain("br-v3");
    }
}
