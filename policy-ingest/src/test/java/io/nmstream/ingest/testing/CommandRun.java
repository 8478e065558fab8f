package io.nmstream.ingest.testing;

import io.nmstream.ingest.cli.PolicyCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One run of the {@code policy} command line, as a user sees it: exit code, standard output and standard error. */
public record CommandRun(int exitCode, String out, String err) {

    /** Runs {@code policy <args>}. */
    public static CommandRun policy(String... args) {
        CommandLine commandLine = PolicyCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new CommandRun(exitCode, out.toString(), err.toString());
    }
}
