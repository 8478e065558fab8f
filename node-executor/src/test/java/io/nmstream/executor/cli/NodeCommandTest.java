package io.nmstream.executor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.nmstream.nmstate.NetworkState;
import io.nmstream.nmstate.NmstateParser;
import io.nmstream.executor.simulated.FailureRules;
import io.nmstream.executor.simulated.SimulatedBackend;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code nmstream node ...} against a simulated host. */
class NodeCommandTest {

    private SimulatedBackend host;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    @BeforeEach
    void host() {
        host = new SimulatedBackend(SimulatedBackend.typicalHost(7), Duration.ZERO, FailureRules.none().withMaxMtu("ens8f1np1", 1500));
    }

    private int run(String... args) {
        CommandLine cli = new CommandLine(new NodeCommand(bus -> host));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private Path file(String yaml) throws IOException {
        Path f = dir.resolve("state.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void showPrintsTheCurrentStateAsNmstateYamlOrJsonAndCanNarrowToOneInterface() {
        assertThat(run("show")).isZero();
        assertThat(NmstateParser.parse(out.toString())).isEqualTo(host.currentState());
        out.getBuffer().setLength(0);
        assertThat(run("show", "eth0", "--json")).isZero();
        NetworkState shown = NmstateParser.parse(out.toString());
        assertThat(shown.interfaces()).extracting(i -> i.name()).containsExactly("eth0");
        assertThat(out.toString()).startsWith("{");
        assertThat(run("show", "nope0")).isEqualTo(1);
        assertThat(err.toString()).contains("Interface nope0 is not managed on this node");
    }

    @Test
    void dryRunPrintsTheDiffAndChangesNothing() throws IOException {
        NetworkState before = host.currentState();
        assertThat(run("apply", "--dry-run", file("interfaces: [{name: ens8f0np0, state: up, mtu: 9000}]").toString())).isZero();
        assertThat(out.toString()).contains("interface ens8f0np0:").contains("- mtu: 1500").contains("+ mtu: 9000")
            .contains("- state: down").contains("+ state: up").doesNotContain("interface eth0");
        assertThat(host.currentState()).isEqualTo(before);
        assertThat(host.checkpoints()).isEmpty();
    }

    @Test
    void applyWithoutCommitLeavesACheckpointThatRollbackUndoes() throws IOException {
        NetworkState before = host.currentState();
        assertThat(run("apply", "--no-commit", "--timeout", "300", file("interfaces: [{name: ens8f0np0, mtu: 9000}]").toString())).isZero();
        assertThat(out.toString()).contains("is pending: run 'nmstream node commit'");
        assertThat(host.checkpoints()).hasSize(1);
        assertThat(run("rollback")).isZero();
        assertThat(host.currentState()).isEqualTo(before);
        assertThat(run("commit")).isEqualTo(1);
        assertThat(err.toString()).contains("There is no checkpoint pending");
    }

    @Test
    void applyReportsAFailureInTheUsersTermsAndExitsNonZero() throws IOException {
        assertThat(run("apply", file("interfaces: [{name: ens8f1np1, state: up, mtu: 9000}]").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("Interface ens8f1np1: MTU 9000 exceeds the maximum supported by the driver")
            .contains("rolled back");
        assertThat(run("apply", file("interfaces: [{name: ens8f1np1, mtu: huge}]").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("interfaces[0].mtu: \"huge\" is not allowed: must be an integer from 68 to 65535");
    }

    @Test
    void applyOfAFileItCannotReadSaysWhichAndWhyAndTouchesNothing() throws IOException {
        NetworkState before = host.currentState();
        Path latin1 = Files.write(dir.resolve("latin1.yaml"), new byte[] {'#', ' ', (byte) 0xE9, '\n'});

        assertThat(run("apply", dir.resolve("missing.yaml").toString())).isEqualTo(2);
        assertThat(run("apply", latin1.toString())).isEqualTo(2);

        assertThat(err.toString()).contains("Cannot read " + dir.resolve("missing.yaml") + ": no such file")
            .contains("Cannot read " + latin1 + ": not UTF-8 text").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(host.currentState()).isEqualTo(before);
        assertThat(host.checkpoints()).isEmpty();
    }

    @Test
    void captureWritesAnNncpWhoseDesiredStateIsTheInterfacesCurrentState() throws IOException {
        run("apply", file("interfaces: [{name: ens8f0np0, state: up, mtu: 9000}]").toString());
        out.getBuffer().setLength(0);
        assertThat(run("capture", "ens8f0np0", "eth0", "--as-nncp", "rack1-uplinks", "--node-selector", "rack=r1")).isZero();
        JsonNode manifest = new ObjectMapper(new YAMLFactory()).readTree(out.toString());
        assertThat(manifest.path("apiVersion").asText()).isEqualTo("nmstate.io/v1");
        assertThat(manifest.path("kind").asText()).isEqualTo("NodeNetworkConfigurationPolicy");
        assertThat(manifest.path("metadata").path("name").asText()).isEqualTo("rack1-uplinks");
        assertThat(manifest.path("spec").path("nodeSelector").path("rack").asText()).isEqualTo("r1");
        NetworkState desired = NmstateParser.parse(manifest.path("spec").path("desiredState"));
        assertThat(desired.interfaces()).extracting(i -> i.name()).containsExactly("ens8f0np0", "eth0");
        assertThat(desired.find("ens8f0np0").orElseThrow().mtu()).isEqualTo(9000);
        assertThat(desired.find("eth0").orElseThrow().macAddress()).as("host-specific").isNull();
        assertThat(desired.routes()).extracting(r -> r.destination()).containsExactly("0.0.0.0/0", "::/0");
    }
}
