package io.nmstream.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** The {@code nmstream} command line run in the test's JVM, as its main runs it: the exit code and what it printed. */
final class InProcessCommand {

    /** How a command ended: its exit code, standard output and standard error. */
    record Result(int exit, String out, String err) {
    }

    private InProcessCommand() {
    }

    /** {@code nmstream} with {@code commandLine} split at spaces. */
    static Result run(String commandLine) {
        return run(commandLine.split(" "));
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = NmstreamCommand.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
        return new Result(exit, out.toString(), err.toString());
    }
}
