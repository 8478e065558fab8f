package io.nmstream.executor.cli;

import io.nmstream.executor.backend.BackendException;
import io.nmstream.executor.backend.NetworkBackend;
import io.nmstream.nmstate.InvalidStateException;
import io.nmstream.nmstate.NetworkState;
import io.nmstream.nmstate.NmstateParser;
import io.nmstream.nmstate.StateDiff;
import io.nmstream.nmstate.StateValidator;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code nmstream node apply FILE}: applies an nmstate document safely (checkpoint, verify, commit or roll back), or
 * with {@code --dry-run} prints what it would change.
 */
@Command(name = "apply", mixinStandardHelpOptions = true, description = "Apply an nmstate desired state (YAML or JSON) to this host.")
public final class ApplyCommand implements Callable<Integer> {

    @ParentCommand
    NodeCommand parent;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "nmstate document; '-' reads standard input.")
    String file;

    @Option(names = "--dry-run", description = "Print the changes the apply would make, and change nothing.")
    boolean dryRun;

    @Mixin
    HostApply host;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String flagProblem = host.flagProblem();
        if (flagProblem != null) {
            err.println(flagProblem);
            return 2;
        }
        String text;
        try {
            text = CommandInput.read(file);
        } catch (CommandInput.Unreadable e) {
            err.println(e.getMessage());
            return 2;
        }
        try (NetworkBackend backend = parent.backend()) {
            NetworkState desired = NmstateParser.parse(text);
            if (dryRun) {
                NetworkState current = backend.currentState();
                StateValidator.validate(desired, current);
                String diff = StateDiff.ofApply(current, desired);
                out.print(diff.isEmpty() ? "No changes.\n" : diff);
                out.flush();
                return 0;
            }
            return host.apply(backend, desired, out, err);
        } catch (InvalidStateException e) {
            err.println("Invalid desired state: " + e.getMessage());
            return 2;
        } catch (BackendException e) {
            err.println(e.getMessage());
            return 1;
        }
    }
}
