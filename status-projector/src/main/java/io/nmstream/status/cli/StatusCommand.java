package io.nmstream.status.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code nmstream status}: status tools that need no cluster; today {@code status fold}. */
@Command(name = "status", mixinStandardHelpOptions = true, subcommands = StatusFoldCommand.class,
    description = "Status tools that work offline.")
public final class StatusCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
