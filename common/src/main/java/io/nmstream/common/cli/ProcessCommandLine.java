package io.nmstream.common.cli;

import picocli.CommandLine;

/**
 * Runs a command line as a process's {@code main} does, before {@code System.exit}: every subcommand writes to the
 * root's standard output and error writers, and both are flushed before the exit code is returned. Picocli's writers
 * flush only on {@code println} and {@code printf}, each subcommand has its own, and {@code System.exit} drops what is
 * still buffered: a command ending with {@code print} printed nothing.
 */
public final class ProcessCommandLine {

    private ProcessCommandLine() {
    }

    /** Executes {@code commandLine} with {@code args} and flushes what it printed; returns its exit code. */
    public static int execute(CommandLine commandLine, String... args) {
        // setting the root's own writers registers them with every subcommand
        commandLine.setOut(commandLine.getOut());
        commandLine.setErr(commandLine.getErr());
        try {
            return commandLine.execute(args);
        } finally {
            commandLine.getOut().flush();
            commandLine.getErr().flush();
        }
    }
}
