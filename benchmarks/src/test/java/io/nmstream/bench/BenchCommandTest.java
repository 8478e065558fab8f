package io.nmstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BenchCommandTest {

    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    private int execute(String... args) {
        CommandLine cli = new CommandLine(new BenchCommand());
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        return cli.execute(args);
    }

    @Test
    void refusesAnUnknownScenarioNamingItAndTheKnownOnes() {
        int exit = execute("--scenario", "rollout,bogus", "--output", dir.resolve("bench.json").toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--scenario has value 'bogus'")
            .contains("rollout, replay, host-apply, footprint, writeback, http or all");
        assertThat(Files.exists(dir.resolve("bench.json"))).isFalse();
    }

    @Test
    void timeoutTakesABareNumberOfSecondsOrADuration() {
        Duration seconds = new CommandLine(new BenchCommand()).parseArgs("--timeout", "120").matchedOptionValue("--timeout", null);
        Duration minutes = new CommandLine(new BenchCommand()).parseArgs("--timeout", "10m").matchedOptionValue("--timeout", null);

        assertThat(seconds).isEqualTo(Duration.ofSeconds(120));
        assertThat(minutes).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void refusesAFleetSizeBelowOne() {
        assertThat(execute("--scenario", "rollout", "--nodes", "1000,0")).isEqualTo(2);
        assertThat(err.toString()).contains("--nodes has value 0");
    }

    @Test
    void refusesAnUnknownFleet() {
        assertThat(execute("--scenario", "rollout", "--fleet", "kubemark")).isEqualTo(2);
        assertThat(err.toString()).contains("--fleet has value 'kubemark'").contains("node-executor or stand-in");
    }

    @Test
    void refusesAMaxUnavailableNoPolicyMayHaveAndRunsBelowOne() {
        assertThat(execute("--scenario", "rollout", "--max-unavailable", "default,0%")).isEqualTo(2);
        assertThat(err.toString()).contains("--max-unavailable has value '0%'");
        assertThat(execute("--scenario", "replay", "--runs", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--runs has value 0");
    }
}
