package io.nmstream.executor.cli;

import io.nmstream.executor.backend.BackendException;
import io.nmstream.executor.backend.NetworkBackend;
import io.nmstream.executor.nm.NetworkManagerBackend;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code nmstream node}: the host command line that replaces {@code nmstatectl} (show, apply, edit, commit,
 * rollback, capture, policy) and runs the node agent. It talks to NetworkManager over D-Bus; tests and simulations may hand it another
 * backend.
 */
@Command(name = "node", mixinStandardHelpOptions = true,
    description = "Show and change this host's network state through NetworkManager, or run the node agent.",
    subcommands = {ShowCommand.class, ApplyCommand.class, EditCommand.class, CommitCommand.class, RollbackCommand.class,
        CaptureCommand.class, NodePolicyCommand.class, AgentCommand.class, KeyCommand.class, RekeyCommand.class})
public final class NodeCommand implements Runnable {

    @Option(names = "--bus-address", paramLabel = "ADDRESS", defaultValue = "",
        description = "D-Bus address of NetworkManager's bus (unix:path=...); default: the system bus.")
    String busAddress;

    @Spec
    CommandSpec spec;

    private final Function<String, NetworkBackend> backends;

    /** The command against the host's NetworkManager. */
    public NodeCommand() {
        this(NetworkManagerBackend::connect);
    }

    /** The command against the backend {@code backends} opens for a bus address. */
    public NodeCommand(Function<String, NetworkBackend> backends) {
        this.backends = backends;
    }

    /** The command line of {@code command}, as {@code nmstream node} runs it: see {@link #explain}. */
    public static CommandLine commandLine(NodeCommand command) {
        return new CommandLine(command).setCommandName("nmstream node").setExecutionExceptionHandler(NodeCommand::explain);
    }

    /**
     * What a command could not do because NetworkManager could not be reached or refused, said in one line (exit 1), as
     * the commands that catch it say it; anything else is a fault, printed with its stack trace.
     */
    public static int explain(Exception e, CommandLine command, CommandLine.ParseResult parsed) throws Exception {
        if (e instanceof BackendException) {
            command.getErr().println(e.getMessage());
            return 1;
        }
        throw e;
    }

    /** The backend to work with, opened for one command; the caller closes it. */
    NetworkBackend backend() {
        return backends.apply(busAddress);
    }

    String busAddress() {
        return busAddress;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
