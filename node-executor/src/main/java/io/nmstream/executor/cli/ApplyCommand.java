package io.nmstream.executor.cli;

import io.nmstream.executor.apply.ApplyContext;
import io.nmstream.executor.apply.ApplyException;
import io.nmstream.executor.apply.ApplyRequest;
import io.nmstream.executor.apply.ApplyResult;
import io.nmstream.executor.apply.NodeApplier;
import io.nmstream.executor.backend.BackendException;
import io.nmstream.executor.backend.NetworkBackend;
import io.nmstream.nmstate.InvalidStateException;
import io.nmstream.nmstate.NetworkState;
import io.nmstream.nmstate.NmstateParser;
import io.nmstream.nmstate.NmstateWriter;
import io.nmstream.nmstate.StateDiff;
import io.nmstream.nmstate.StateMerger;
import io.nmstream.nmstate.StateValidator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
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

    @Option(names = "--timeout", paramLabel = "S", defaultValue = "60",
        description = "Checkpoint timeout in seconds: without a commit by then, the host rolls back by itself (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--no-commit", description = "Leave the checkpoint pending; run 'node commit' (or 'node rollback') afterwards.")
    boolean noCommit;

    @Option(names = "--no-verify", description = "Do not check that the desired state holds after the apply.")
    boolean noVerify;

    @Option(names = "--memory-only", description = "Keep the profiles in memory only; they are gone after a reboot.")
    boolean memoryOnly;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (timeoutSeconds < 1) {
            err.println("--timeout: '" + timeoutSeconds + "' must be at least 1 second");
            return 2;
        }
        String text = file.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8) : Files.readString(Path.of(file));
        try (NetworkBackend backend = parent.backend()) {
            NetworkState desired = NmstateParser.parse(text);
            if (dryRun) {
                NetworkState current = backend.currentState();
                StateValidator.validate(desired, current);
                String diff = StateDiff.describe(current, StateMerger.merge(current, desired));
                out.print(diff.isEmpty() ? "No changes.\n" : diff);
                out.flush();
                return 0;
            }
            ApplyRequest request = ApplyRequest.defaults().withCheckpointTimeout(Duration.ofSeconds(timeoutSeconds))
                .withCommit(!noCommit).withVerify(!noVerify).withMemoryOnly(memoryOnly);
            ApplyResult result = new NodeApplier(backend).apply(ApplyContext.manual("localhost"), desired, request);
            if (result.pendingCheckpoint() != null) {
                out.println("Desired state applied; checkpoint " + result.pendingCheckpoint() + " is pending: run 'nmstream node commit' "
                    + "within " + timeoutSeconds + " s, or the host rolls back by itself.");
            } else {
                out.println("Desired state applied and committed in " + result.duration().toMillis() + " ms.");
            }
            out.flush();
            return 0;
        } catch (InvalidStateException e) {
            err.println("Invalid desired state: " + e.getMessage());
            return 2;
        } catch (ApplyException e) {
            err.println("Apply failed at " + e.step().name().toLowerCase(Locale.ROOT) + ": " + e.userMessage()
                + (e.rolledBack() ? " (the host was rolled back)" : ""));
            return 1;
        } catch (BackendException e) {
            err.println(e.getMessage());
            return 1;
        }
    }
}
