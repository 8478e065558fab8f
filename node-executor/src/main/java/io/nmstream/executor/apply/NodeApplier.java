package io.nmstream.executor.apply;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nmstream.common.logging.LogContext;
import io.nmstream.executor.backend.ApplyOptions;
import io.nmstream.executor.backend.BackendException;
import io.nmstream.executor.backend.Checkpoint;
import io.nmstream.executor.backend.NetworkBackend;
import io.nmstream.executor.backend.Probe;
import io.nmstream.executor.backend.ProbeResult;
import io.nmstream.nmstate.InvalidStateException;
import io.nmstream.nmstate.NetworkState;
import io.nmstream.nmstate.StateMerger;
import io.nmstream.nmstate.StateValidator;
import io.nmstream.nmstate.StateVerifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one desired state to one host, safely, in nmstate's order: validate → checkpoint → apply → verify → probe →
 * commit, or roll back to the checkpoint when any step after it fails. The host is never left half-applied: either the
 * whole desired state holds and is committed, or the host is back where it was.
 */
public final class NodeApplier {

    /** Timer of whole applies, validation to commit or rollback, tagged {@code outcome}: applied, rolled-back or failed. */
    public static final String APPLY_DURATION = "nmstream.apply.duration";

    private static final Logger LOG = LoggerFactory.getLogger(NodeApplier.class);
    /** First pause before verifying again: most changes show within milliseconds of NetworkManager applying them. */
    private static final Duration FIRST_VERIFY_PAUSE = Duration.ofMillis(10);
    /** How long before the checkpoint's own rollback a failing probe stops being tried again, so that the commit comes first. */
    static final Duration PROBE_COMMIT_MARGIN = Duration.ofSeconds(15);
    /** The longest a failing probe is tried again after the checkpoint was made (kubernetes-nmstate: 120 s a probe). */
    static final Duration MAX_PROBE_WINDOW = Duration.ofSeconds(120);
    private static final Duration PROBE_RETRY_PAUSE = Duration.ofSeconds(1);
    /** Threads the probes of one apply run on together; idle ones end after a minute, and none keeps the JVM alive. */
    private static final ExecutorService PROBE_THREADS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "nmstream-probe");
        thread.setDaemon(true);
        return thread;
    });

    private final NetworkBackend backend;
    private final int verifyAttempts;
    private final Duration verifyInterval;
    private final CommitGate commitGate;
    private final MeterRegistry meters;

    /**
     * @param verifyAttempts with {@code verifyInterval}, how long verification keeps trying before it fails: as long as this
     *     many attempts one interval apart (nmstate: 5), and at least this many attempts
     * @param verifyInterval the longest pause between verification attempts (nmstate: 1 s), for settings that take a
     *     moment to show; the first pauses are shorter
     * @param meters where the duration of each apply is recorded ({@value #APPLY_DURATION}, tagged {@code outcome})
     */
    public NodeApplier(NetworkBackend backend, int verifyAttempts, Duration verifyInterval, CommitGate commitGate, MeterRegistry meters) {
        this.backend = backend;
        this.verifyAttempts = verifyAttempts;
        this.verifyInterval = verifyInterval;
        this.commitGate = commitGate;
        this.meters = meters;
    }

    /** An applier whose apply durations are kept in a registry of its own (nothing serves them). */
    public NodeApplier(NetworkBackend backend, int verifyAttempts, Duration verifyInterval, CommitGate commitGate) {
        this(backend, verifyAttempts, verifyInterval, commitGate, new SimpleMeterRegistry());
    }

    public NodeApplier(NetworkBackend backend) {
        this(backend, 5, Duration.ofSeconds(1), CommitGate.OPEN);
    }

    /** Applies {@code desired}; throws an {@link ApplyException} saying which step failed and whether the host rolled back. */
    public ApplyResult apply(ApplyContext context, NetworkState desiredAsGiven, ApplyRequest request) {
        long started = System.nanoTime();
        String outcome = "failed";
        try (LogContext ignored = LogContext.of(context.policy(), context.generation(), context.node(), context.commandId())) {
            NetworkState before = validate(context, desiredAsGiven);
            // applied, and verified, as nmstate completes it: what the state leaves without a base goes with it, profile and
            // all; addresses DHCP gave stay, as static ones, where it turns DHCP off without giving any
            NetworkState desired = StateMerger.asApplied(desiredAsGiven, before);
            List<Probe> probes = probesPassingBefore(before, request);
            Checkpoint checkpoint = checkpoint(context, request);
            long checkpointMadeNanos = System.nanoTime();
            NetworkState after;
            try {
                applyProfiles(desired, before, request);
                after = request.verify() ? verify(desired) : backend.currentState();
                probe(probes, after, request, checkpointMadeNanos);
            } catch (RuntimeException e) {
                throw rollBack(context, checkpoint, e);
            }
            commitGate.beforeCommit(context, checkpoint);
            Checkpoint pending = commitOrKeep(context, checkpoint, request);
            outcome = "applied";
            // committing a checkpoint changes nothing on the host: the state read after the apply is the state now
            return new ApplyResult(pending, after, Duration.ofNanos(System.nanoTime() - started));
        } catch (ApplyException e) {
            outcome = e.rolledBack() ? "rolled-back" : "failed";
            throw e;
        } finally {
            Timer.builder(APPLY_DURATION).description("Time to apply one desired state to the host, by outcome")
                .tag("outcome", outcome).publishPercentileHistogram().register(meters)
                .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Manages the validation: the desired state must make sense against this host before anything is touched. Returns
     * the host's state it was checked against.
     */
    private NetworkState validate(ApplyContext context, NetworkState desired) {
        try {
            NetworkState current = backend.currentState();
            StateValidator.validate(desired, current);
            backend.checkHostSupports(desired);
            return current;
        } catch (InvalidStateException e) {
            throw new ApplyException(context, ApplyStep.VALIDATE, e.getMessage(), null, false, false, e);
        } catch (BackendException e) {
            throw new ApplyException(context, ApplyStep.VALIDATE, e.getMessage(), e.detail(), false, true, e);
        }
    }

    /** Manages the probe baseline: only probes that pass now can be blamed on the apply later. */
    private List<Probe> probesPassingBefore(NetworkState before, ApplyRequest request) {
        List<Probe> wanted = new ArrayList<>();
        if (request.probeGateway()) {
            wanted.add(Probe.DEFAULT_GATEWAY);
        }
        if (request.probeDns()) {
            wanted.add(Probe.DNS);
        }
        return runAtOnce(wanted, before, request.probeTimeout()).stream().filter(ProbeResult::passed).map(ProbeResult::probe).toList();
    }

    /**
     * Runs {@code probes} against {@code state} at the same time, so that a gateway or name server that does not answer
     * costs one timeout, not one per probe. Gives their results in the order of {@code probes}.
     */
    private List<ProbeResult> runAtOnce(List<Probe> probes, NetworkState state, Duration timeout) {
        if (probes.size() < 2) {
            return probes.stream().map(p -> backend.probe(p, state, timeout)).toList();
        }
        List<CompletableFuture<ProbeResult>> running = probes.stream()
            .map(p -> CompletableFuture.supplyAsync(() -> backend.probe(p, state, timeout), PROBE_THREADS)).toList();
        List<ProbeResult> results = new ArrayList<>();
        for (CompletableFuture<ProbeResult> probe : running) {
            try {
                results.add(probe.join());
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
        return results;
    }

    /** Manages the checkpoint that lets every later step be undone, even if this process dies. */
    private Checkpoint checkpoint(ApplyContext context, ApplyRequest request) {
        try {
            Checkpoint checkpoint = backend.createCheckpoint(request.checkpointTimeout());
            LOG.info("Checkpoint {} created (rollback in {} s unless committed)", checkpoint, request.checkpointTimeout().toSeconds());
            return checkpoint;
        } catch (BackendException e) {
            throw new ApplyException(context, ApplyStep.CHECKPOINT, e.getMessage(), e.detail(), false, true, e);
        }
    }

    /** Manages the change itself: profiles written and activated by the backend, planned from the state validated. */
    private void applyProfiles(NetworkState desired, NetworkState before, ApplyRequest request) {
        backend.apply(desired, before, new ApplyOptions(request.memoryOnly(), ApplyOptions.defaults().activationTimeout()));
    }

    /**
     * Manages verification: the desired state must be contained in the current one, allowing it a few moments to settle.
     * Checked at once, then after pauses that start short and double up to the verify interval, for as long as
     * {@code verifyAttempts} checks one interval apart would take: a change that shows within milliseconds is seen within
     * milliseconds, and one that takes nmstate's whole allowance still gets it. Returns the state that matched.
     */
    private NetworkState verify(NetworkState desired) {
        long deadline = System.nanoTime() + verifyInterval.toNanos() * Math.max(0, verifyAttempts - 1);
        long pauseNanos = Math.min(FIRST_VERIFY_PAUSE.toNanos(), verifyInterval.toNanos());
        for (int attempt = 1; ; attempt++) {
            NetworkState current = backend.currentState();
            List<String> mismatches = StateVerifier.mismatches(desired, current);
            if (mismatches.isEmpty()) {
                return current;
            }
            long left = deadline - System.nanoTime();
            if (attempt >= verifyAttempts && left <= 0) {
                throw new VerificationFailure(String.join("; ", mismatches));
            }
            LOG.info("Verification attempt {} ({} ms left): {}", attempt, Math.max(0, left) / 1_000_000, mismatches);
            pause(Duration.ofNanos(Math.max(0, Math.min(pauseNanos, left))));
            pauseNanos = Math.min(pauseNanos * 2, verifyInterval.toNanos());
        }
    }

    /**
     * Manages the probes that passed before the apply: they must pass again. One that fails is tried again every second,
     * on the host's state as it is then, as kubernetes-nmstate polls its probes: a link can take a while to forward
     * again after a change (a bridge with STP forwards after twice its forward delay, 30 s by default). It is tried
     * until {@link #PROBE_COMMIT_MARGIN} before the checkpoint would roll back by itself, and at most
     * {@link #MAX_PROBE_WINDOW} after the checkpoint was made (45 s with the default 60 s checkpoint).
     */
    private void probe(List<Probe> probes, NetworkState after, ApplyRequest request, long checkpointMadeNanos) {
        Duration window = request.checkpointTimeout().minus(PROBE_COMMIT_MARGIN);
        long deadline = checkpointMadeNanos + (window.compareTo(MAX_PROBE_WINDOW) > 0 ? MAX_PROBE_WINDOW : window).toNanos();
        List<Probe> waitingFor = probes;
        NetworkState now = after;
        while (true) {
            List<ProbeResult> failed = runAtOnce(waitingFor, now, request.probeTimeout()).stream().filter(r -> !r.passed()).toList();
            if (failed.isEmpty()) {
                return;
            }
            if (System.nanoTime() + PROBE_RETRY_PAUSE.toNanos() + request.probeTimeout().toNanos() > deadline) {
                throw new ProbeFailure("Connectivity check failed after the apply: " + failed.get(0).message());
            }
            LOG.info("Connectivity check failed after the apply, trying again for {} s: {}",
                Math.max(0, deadline - System.nanoTime()) / 1_000_000_000, failed.get(0).message());
            pause(PROBE_RETRY_PAUSE);
            waitingFor = failed.stream().map(ProbeResult::probe).toList();
            now = backend.currentState();
        }
    }

    /** Manages the end of a successful apply: commit, or leave the checkpoint pending when asked to. */
    private Checkpoint commitOrKeep(ApplyContext context, Checkpoint checkpoint, ApplyRequest request) {
        if (!request.commit()) {
            LOG.info("Checkpoint {} left uncommitted", checkpoint);
            return checkpoint;
        }
        try {
            backend.commit(checkpoint);
            LOG.info("Checkpoint {} committed", checkpoint);
            return null;
        } catch (BackendException e) {
            throw new ApplyException(context, ApplyStep.COMMIT, e.getMessage(), e.detail(), true, true, e);
        }
    }

    /** Manages a failed apply: back to the checkpoint, and an exception that says what failed. */
    private ApplyException rollBack(ApplyContext context, Checkpoint checkpoint, RuntimeException failure) {
        ApplyStep step = failure instanceof VerificationFailure ? ApplyStep.VERIFY
            : failure instanceof ProbeFailure ? ApplyStep.PROBE : ApplyStep.APPLY;
        String message = failure.getMessage();
        String detail = failure instanceof BackendException b ? b.detail() : null;
        boolean hopeless = failure instanceof InvalidStateException || failure instanceof BackendException b && b.permanent();
        try {
            backend.rollback(checkpoint);
            LOG.warn("{} failed, rolled back to checkpoint {}: {}", step, checkpoint, message);
            return new ApplyException(context, step, message, detail, true, !hopeless, failure);
        } catch (BackendException e) {
            LOG.error("{} failed and the rollback to {} failed too: {}", step, checkpoint, e.getMessage());
            return new ApplyException(context, ApplyStep.ROLLBACK, message + "; rolling back failed too: " + e.getMessage(),
                detail, false, !hopeless, failure);
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException("Interrupted while verifying or probing");
        }
    }

    /** The desired state did not show on the host. */
    private static final class VerificationFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        VerificationFailure(String message) {
            super(message);
        }
    }

    /** A probe that passed before the apply failed after it. */
    private static final class ProbeFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ProbeFailure(String message) {
            super(message);
        }
    }
}
