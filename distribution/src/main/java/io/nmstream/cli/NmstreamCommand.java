package io.nmstream.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code nmstream} command: every deployable's commands under one name, as {@code nmstatectl} and {@code kubectl}
 * users expect one tool.
 */
@Command(name = "nmstream", mixinStandardHelpOptions = true, version = "nmstream 0.1.0-SNAPSHOT",
    description = "Declarative node networking for fleets, on Apache Kafka.",
    subcommands = {UpCommand.class, CommandLine.HelpCommand.class})
public final class NmstreamCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** The command line with every subcommand registered. */
    public static CommandLine commandLine() {
        return new CommandLine(new NmstreamCommand());
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
