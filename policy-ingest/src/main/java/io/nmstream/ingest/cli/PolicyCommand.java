package io.nmstream.ingest.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code nmstream policy}: the parent of the policy commands. The distribution adds it to the {@code nmstream} CLI with
 * {@code new CommandLine(root).addSubcommand(new PolicyCommand())}; {@link #commandLine()} runs it alone.
 */
@Command(name = "policy", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = ExitCodes.INVALID_INPUT,
    description = "Validate, apply, diff, get and delete NodeNetworkConfigurationPolicies.",
    subcommands = {ValidateCommand.class, ApplyCommand.class, DiffCommand.class, DeleteCommand.class, GetCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:ok", "1:invalid input (manifests, names, options)", "2:cannot reach Kafka or the schema registry"})
public final class PolicyCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A command line for {@code policy} alone, with usage errors mapped to the invalid-input exit code. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new PolicyCommand());
        commandLine.setExitCodeExceptionMapper(e -> ExitCodes.INVALID_INPUT);
        commandLine.setParameterExceptionHandler((e, args) -> {
            e.getCommandLine().getErr().println("error: " + e.getMessage());
            e.getCommandLine().usage(e.getCommandLine().getErr());
            return ExitCodes.INVALID_INPUT;
        });
        return commandLine;
    }
}
