package io.nmstream.executor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.nmstream.nmstate.InterfaceSpec;
import io.nmstream.nmstate.NetworkState;
import io.nmstream.nmstate.NmstateParser;
import io.nmstream.nmstate.NmstateWriter;
import io.nmstream.executor.backend.BackendException;
import io.nmstream.executor.simulated.FailureRules;
import io.nmstream.executor.simulated.SimulatedBackend;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code nmstream node ...} against a simulated host. */
class NodeCommandTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path EXAMPLES = Path.of("..", "examples");

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
        return run(new NodeCommand(bus -> host), args);
    }

    /** Runs a command that may not read this host: one that tries fails the test. */
    private int runWithoutTheHost(String... args) {
        return run(new NodeCommand(bus -> {
            throw new AssertionError("the command read the host");
        }), args);
    }

    private int run(NodeCommand command, String... args) {
        CommandLine cli = NodeCommand.commandLine(command);
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

    @Test
    void policyRendersAnNncpsCapturesAgainstThisHostAndChangesNothing() throws IOException {
        NetworkState before = host.currentState();
        InterfaceSpec eth0 = before.find("eth0").orElseThrow();

        assertThat(run("policy", EXAMPLES.resolve("convert-dhcp-to-static.yaml").toString())).as(err.toString()).isZero();

        JsonNode rendered = YAML.readTree(out.toString());
        NetworkState state = NmstateParser.parse(rendered);
        InterfaceSpec staticEth0 = state.find("eth0").orElseThrow();
        assertThat(staticEth0.ipv4().dhcp()).isFalse();
        assertThat(staticEth0.ipv4().addresses()).isEqualTo(eth0.ipv4().addresses());
        assertThat(staticEth0.ipv6().addresses()).isEqualTo(eth0.ipv6().addresses());
        assertThat(state.routes()).isEqualTo(before.routes().stream().filter(r -> r.nextHopInterface().equals("eth0")).toList());
        assertThat(state.dns().servers()).isEqualTo(before.dns().servers());
        assertThat(out.toString()).doesNotContain("{{");
        // what it prints is what node apply takes: on this host, already static, applying it would change nothing
        Path renderedFile = Files.writeString(dir.resolve("rendered.yaml"), out.toString());
        out.getBuffer().setLength(0);
        assertThat(run("apply", "--dry-run", renderedFile.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo("No changes.\n");
        assertThat(host.currentState()).isEqualTo(before);
        assertThat(host.checkpoints()).isEmpty();
    }

    @Test
    void policyRendersAgainstACurrentStateFromAFileOrAnNnsWithoutReadingTheHost() throws IOException {
        NetworkState other = SimulatedBackend.typicalHost(300);
        String otherAddress = other.find("eth0").orElseThrow().ipv4().addresses().get(0).toString();
        Path policy = Files.writeString(dir.resolve("policy.yaml"), """
            capture:
              primary: interfaces.name == "eth0"
            desiredState:
              interfaces:
              - name: br0
                type: linux-bridge
                state: up
                ipv4: "{{ capture.primary.interfaces.0.ipv4 }}"
                bridge: {port: [{name: eth0}]}
            """);
        Path shown = Files.writeString(dir.resolve("shown.yaml"), NmstateWriter.toYaml(other));
        ObjectNode nns = YAML.createObjectNode().put("apiVersion", "nmstate.io/v1beta1").put("kind", "NodeNetworkState");
        nns.putObject("metadata").put("name", "worker-300");
        nns.putObject("status").set("currentState", YAML.readTree(NmstateWriter.toYaml(other)));
        Path nnsFile = Files.writeString(dir.resolve("nns.yaml"), YAML.writeValueAsString(nns));

        for (Path current : List.of(shown, nnsFile)) {
            out.getBuffer().setLength(0);
            assertThat(runWithoutTheHost("policy", policy.toString(), "--current", current.toString())).as(err.toString()).isZero();
            InterfaceSpec bridge = NmstateParser.parse(out.toString()).find("br0").orElseThrow();
            assertThat(bridge.ipv4().addresses()).extracting(Object::toString).as(current.toString()).containsExactly(otherAddress);
        }
    }

    @Test
    void policyWritesTheStatesItCapturedAndFillsTheTemplatesFromSuchAFileWithoutCapturing() throws IOException {
        Path policy = Files.writeString(dir.resolve("policy.yaml"), """
            capture:
              primary: interfaces.name == "eth0"
            desired:
              interfaces:
              - name: eth0
                mtu: "{{ capture.primary.interfaces.0.mtu }}"
            """);
        Path captured = dir.resolve("captured.yaml");
        assertThat(run("policy", policy.toString(), "--output-captured", captured.toString())).as(err.toString()).isZero();
        assertThat(NmstateParser.parse(out.toString()).find("eth0").orElseThrow().mtu()).isEqualTo(1500);
        JsonNode states = YAML.readTree(captured.toFile());
        assertThat(states.path("primary").path("metaInfo").path("version").asText()).isEqualTo("0");
        assertThat(states.path("primary").path("metaInfo").path("time").asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
        assertThat(states.at("/primary/state/interfaces/0/name").asText()).isEqualTo("eth0");

        ((ObjectNode) states.at("/primary/state/interfaces/0")).put("mtu", 9000);
        Files.writeString(captured, YAML.writeValueAsString(states));
        out.getBuffer().setLength(0);
        assertThat(runWithoutTheHost("policy", policy.toString(), "--captured", captured.toString())).as(err.toString()).isZero();
        assertThat(NmstateParser.parse(out.toString()).find("eth0").orElseThrow().mtu()).isEqualTo(9000);

        assertThat(run("policy", policy.toString(), "--output-captured", dir.resolve("no-such-dir").resolve("c.yaml").toString()))
            .isEqualTo(1);
        assertThat(err.toString()).contains("Cannot write the captured states to " + dir.resolve("no-such-dir").resolve("c.yaml"));

        Files.writeString(captured, "other: {metaInfo: {time: '2026-01-01T00:00:00Z', version: '0'}, state: {interfaces: []}}\n");
        assertThat(runWithoutTheHost("policy", policy.toString(), "--captured", captured.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("Template {{ capture.primary.interfaces.0.mtu }} at interfaces[0].mtu reads capture primary, "
            + "which the captured states do not hold");
    }

    @Test
    void policyRefusesWhatTheAgentWouldRefuseWithItsMessageAndNamesTheFieldOfABadFile() throws IOException {
        Path typo = Files.writeString(dir.resolve("typo.yaml"), "desiredStat: {interfaces: []}\n");
        assertThat(runWithoutTheHost("policy", typo.toString())).isEqualTo(2);
        assertThat(err.toString()).contains(typo + " desiredStat: \"desiredStat\" is not allowed: unknown field of an nmstate policy; "
            + "did you mean desiredState?");

        Path nothing = Files.writeString(dir.resolve("nothing.yaml"), """
            capture:
              missing: interfaces.name == "eth9"
            desiredState:
              interfaces: "{{ capture.missing.interfaces }}"
            """);
        assertThat(run("policy", nothing.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("Capture missing matched nothing: interfaces.name == \"eth9\"");

        Path invalid = Files.writeString(dir.resolve("invalid.yaml"), """
            capture:
              primary: interfaces.name == "eth0"
            desiredState:
              interfaces:
              - name: eth0
                mtu: "{{ capture.primary.interfaces.0.name }}"
            """);
        assertThat(run("policy", invalid.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("Invalid desired state after resolving captures [primary]: interfaces[0].mtu: \"eth0\" is not "
            + "allowed");

        assertThat(runWithoutTheHost("policy", "-", "--current", "-")).isEqualTo(2);
        assertThat(err.toString()).contains("Only one of FILE, --current and --captured can be '-': there is one standard input");

        Path two = Files.writeString(dir.resolve("two.yaml"), "desiredState: {}\n---\ndesiredState: {}\n");
        assertThat(runWithoutTheHost("policy", two.toString())).isEqualTo(2);
        assertThat(err.toString()).contains(two + " holds 2 documents: give one");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aNetworkManagerThatCannotBeReachedIsOneLineInEveryCommand() {
        String unreached = "Cannot reach NetworkManager on the system bus: Failed to connect to bus: No such file or directory";
        NodeCommand unreachable = new NodeCommand(bus -> {
            throw new BackendException(unreached);
        });
        for (String[] args : List.of(new String[] {"show"}, new String[] {"capture", "eth0", "--as-nncp", "uplinks"},
            new String[] {"commit"}, new String[] {"rollback"})) {
            err.getBuffer().setLength(0);
            assertThat(run(unreachable, args)).as(String.join(" ", args)).isEqualTo(1);
            assertThat(err.toString()).as(String.join(" ", args)).isEqualTo(unreached + "\n");
        }
    }
}
