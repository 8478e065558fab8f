package io.nmstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** Every duration flag of the nmstream command takes the forms the README documents, not only ISO-8601. */
class DurationFlagsTest {

    private static Duration value(String option, String... args) {
        ParseResult parsed = NmstreamCommand.commandLine().parseArgs(args);
        ParseResult command = parsed;
        while (command.hasSubcommand()) {
            command = command.subcommand();
        }
        return command.matchedOptionValue(option, null);
    }

    @Test
    void upAndDemoTakeMillisecondsSecondsMinutesAndIso() {
        assertThat(value("--simulated-apply-latency", "up", "--simulated-apply-latency", "300ms")).isEqualTo(Duration.ofMillis(300));
        assertThat(value("--command-timeout", "up", "--command-timeout", "5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(value("--command-timeout", "up", "--command-timeout", "PT30S")).isEqualTo(Duration.ofSeconds(30));
        assertThat(value("--apply-latency", "demo", "--apply-latency", "400ms")).isEqualTo(Duration.ofMillis(400));
        assertThat(value("--timeout", "demo", "--timeout", "2m")).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void readCommandsTakeThemToo() {
        assertThat(value("--timeout", "get", "nncp", "--timeout", "30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(value("--timeout", "audit", "--timeout", "1500ms")).isEqualTo(Duration.ofMillis(1500));
        assertThat(value("--timeout", "replay", "--timeout", "PT1M")).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void secondsFlagsTakeABareNumberOrADuration() {
        assertThat(value("--timeout", "node", "apply", "--timeout", "120", "state.yaml")).isEqualTo(Duration.ofSeconds(120));
        assertThat(value("--timeout", "node", "apply", "--timeout", "2m", "state.yaml")).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void aBadDurationIsAUsageErrorNamingTheFormsTaken() {
        CommandLine commandLine = NmstreamCommand.commandLine();
        java.io.StringWriter err = new java.io.StringWriter();
        commandLine.setErr(new java.io.PrintWriter(err));

        int exit = commandLine.execute("up", "--simulated-apply-latency", "soon");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("'soon' is not a duration (examples: 500ms, 30s, 5m, 2h, 7d, PT1M)");
    }
}
