package io.nmstream.common.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What a subcommand prints without a line end reaches standard output before the process exits. */
class ProcessCommandLineTest {

    @Command(name = "root", subcommands = Show.class)
    static class Root implements Runnable {
        @Override
        public void run() {
        }
    }

    @Command(name = "show")
    static class Show implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().getOut().print("name: one-node");
            spec.commandLine().getErr().print("warning: partial");
        }
    }

    @Test
    void aSubcommandsUnterminatedOutputAndErrorAreFlushedBeforeTheExitCodeIsReturned() {
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));

            int exit = ProcessCommandLine.execute(new CommandLine(new Root()), "show");

            assertThat(exit).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("name: one-node");
            assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("warning: partial");
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }
}
