package io.nmstream.executor.cli;

import io.nmstream.common.cli.DurationConverter;
import io.nmstream.executor.apply.ApplyContext;
import io.nmstream.executor.apply.ApplyException;
import io.nmstream.executor.apply.ApplyRequest;
import io.nmstream.executor.apply.ApplyResult;
import io.nmstream.executor.apply.NodeApplier;
import io.nmstream.executor.backend.BackendException;
import io.nmstream.executor.backend.NetworkBackend;
import io.nmstream.nmstate.NetworkState;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * How {@code node apply} and {@code node edit} change this host (a picocli mixin): their shared flags, the apply
 * pipeline ({@link NodeApplier}: checkpoint, apply, verify, probe, commit or roll back) and what the user is told of its
 * end, so that both commands apply and answer alike.
 */
final class HostApply {

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "60", converter = DurationConverter.SecondsByDefault.class,
        description = "Checkpoint timeout, in seconds or as a duration (120, 2m, PT2M): without a commit by then, the host rolls back "
            + "by itself (default: ${DEFAULT-VALUE} s).")
    Duration timeout;

    @Option(names = "--no-commit", description = "Leave the checkpoint pending; run 'node commit' (or 'node rollback') afterwards.")
    boolean noCommit;

    @Option(names = "--no-verify", description = "Do not check that the desired state holds after the apply.")
    boolean noVerify;

    @Option(names = "--memory-only", description = "Keep the profiles in memory only; they are gone after a reboot.")
    boolean memoryOnly;

    /** What is wrong with the flags, for the user; null when they are fine. */
    String flagProblem() {
        return timeout.getSeconds() < 1 ? "--timeout: '" + timeout + "' must be at least 1 second" : null;
    }

    /**
     * Applies {@code desired} through the apply pipeline and tells the user how it ended.
     *
     * @return the exit code: 0 applied, 1 failed (the message says whether the host was rolled back)
     */
    int apply(NetworkBackend backend, NetworkState desired, PrintWriter out, PrintWriter err) {
        ApplyRequest request = ApplyRequest.defaults().withCheckpointTimeout(Duration.ofSeconds(timeout.getSeconds()))
            .withCommit(!noCommit).withVerify(!noVerify).withMemoryOnly(memoryOnly);
        try {
            ApplyResult result = new NodeApplier(backend).apply(ApplyContext.manual("localhost"), desired, request);
            if (result.pendingCheckpoint() != null) {
                out.println("Desired state applied; checkpoint " + result.pendingCheckpoint() + " is pending: run 'nmstream node commit' "
                    + "within " + timeout.getSeconds() + " s, or the host rolls back by itself.");
            } else {
                out.println("Desired state applied and committed in " + result.duration().toMillis() + " ms.");
            }
            out.flush();
            return 0;
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
