package io.nmstream.cli;

import io.nmstream.common.cli.DurationConverter;
import io.nmstream.common.config.ConfigException;
import io.nmstream.common.kafka.ClusterUnreachableException;
import io.nmstream.common.kafka.MissingTopicException;
import io.nmstream.common.kafka.ReadTimeoutException;
import io.nmstream.executor.cli.NodeCommand;
import io.nmstream.ingest.cli.PolicyCommand;
import io.nmstream.reconciler.ReconcilerCommand;
import io.nmstream.schemas.registry.SchemaRegistryException;
import io.nmstream.status.cli.AuditCommand;
import io.nmstream.status.cli.DeadLettersCommand;
import io.nmstream.status.cli.GetCommand;
import io.nmstream.status.cli.ReplayCommand;
import io.nmstream.status.cli.StatusCommand;
import io.nmstream.status.cli.WaitCommand;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IParameterExceptionHandler;

/**
 * The {@code nmstream} command: every deployable's commands under one name, as {@code nmstatectl} and {@code kubectl}
 * users expect one tool. The benchmarks ({@code nmstream bench}) and their test dependencies ship in a jar of their own.
 */
@Command(name = "nmstream", mixinStandardHelpOptions = true, version = "nmstream 0.1.0-SNAPSHOT",
    description = "Declarative node networking for fleets, on Apache Kafka.",
    subcommands = {
        DemoCommand.class, UpCommand.class, DownCommand.class, PolicyCommand.class, GetCommand.class, AuditCommand.class,
        StatusCommand.class, ReplayCommand.class, WaitCommand.class, DeadLettersCommand.class, NodeCommand.class, ReconcilerCommand.class,
        AclsCommand.class, CommandLine.HelpCommand.class},
    footer = {"", "`bin/nmstream bench` runs the benchmarks from their own jar, benchmarks/target/nmstream-bench.jar."})
public final class NmstreamCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /**
     * The command line with every subcommand registered; every {@link Duration} flag reads what the settings read
     * ({@code 300ms}, {@code 30s}, {@code 5m}, ISO-8601), not only ISO-8601.
     */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new NmstreamCommand()).registerConverter(Duration.class, new DurationConverter())
            .setExecutionExceptionHandler(NmstreamCommand::explain);
        IParameterExceptionHandler picocliHandler = commandLine.getParameterExceptionHandler();
        return commandLine.setParameterExceptionHandler(new MisplacedCommandHandler(commandLine, picocliHandler));
    }

    /**
     * What a command could not do because of where it was pointed or how it was set up, said in one line that names the
     * address or setting (exit 1); anything else is a fault, printed with its stack trace.
     */
    private static int explain(Exception e, CommandLine command, CommandLine.ParseResult parsed) throws Exception {
        if (e instanceof ClusterUnreachableException || e instanceof MissingTopicException || e instanceof ConfigException
            || e instanceof SchemaRegistryException) {
            command.getErr().println("error: " + e.getMessage());
            return 1;
        }
        if (e instanceof ReadTimeoutException timedOut) {
            command.getErr().println("error: " + timedOut.advice());
            return 1;
        }
        // nmstream node ...: NetworkManager not reached, as nmstream node says it
        return NodeCommand.explain(e, command, parsed);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
