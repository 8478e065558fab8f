package io.nmstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** A command typed at the wrong level is answered with where it is; other mistakes get picocli's own answer. */
class MisplacedCommandHandlerTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = NmstreamCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void aPolicyCommandTypedAtTheTopIsFoundUnderPolicy() {
        assertThat(run("validate", "-f", "worker-mtu.yaml")).isEqualTo(2);

        assertThat(err.toString()).isEqualTo("error: nmstream has no command 'validate'; did you mean nmstream policy validate?\n"
            + "See 'nmstream --help'.\n");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aCommandOfSeveralGroupsNamesEachOfThem() {
        assertThat(run("apply", "-f", "worker-mtu.yaml")).isEqualTo(2);

        assertThat(err.toString()).startsWith("error: nmstream has no command 'apply'; did you mean ")
            .contains("nmstream policy apply").contains("nmstream node apply");
    }

    @Test
    void aNodeCommandTypedUnderPolicyIsFoundUnderNode() {
        assertThat(run("policy", "capture", "eth1")).as("policy's exit code for invalid input").isEqualTo(1);

        assertThat(err.toString()).startsWith("error: policy has no command 'capture'; did you mean nmstream node capture?\n")
            .endsWith("See 'nmstream policy --help'.\n");
    }

    @Test
    void aWordThatIsNoCommandAnywhereGetsPicocliOwnAnswer() {
        assertThat(run("policy", "lsit")).isEqualTo(1);

        assertThat(err.toString()).startsWith("Unmatched argument at index 1: 'lsit'").contains("Usage: nmstream policy");
    }

    @Test
    void aCommandWithAliasesIsNamedOnce() {
        assertThat(run("show")).isEqualTo(2);

        assertThat(err.toString())
            .startsWith("error: nmstream has no command 'show'; did you mean nmstream policy get or nmstream node show?\n");
    }

    @Test
    void aPolicyCommandsUsageErrorExitsOneAsThePolicyHelpSays() {
        assertThat(run("policy", "validate", "--frobnicate", "x.yaml")).isEqualTo(1);
        assertThat(run("policy", "apply")).as("no -f").isEqualTo(1);
        assertThat(err.toString()).contains("Unknown option: '--frobnicate'").contains("Missing required option: '--filename");
    }

    @Test
    void policyShowIsPolicyGet() {
        assertThat(NmstreamCommand.commandLine().parseArgs("policy", "show", "worker-mtu").subcommand().subcommand().commandSpec()
            .name()).isEqualTo("get");
    }
}
