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
import io.nmstream.executor.model.InvalidStateException;
import io.nmstream.executor.model.NetworkState;
import io.nmstream.executor.model.StateValidator;
import io.nmstream.executor.model.StateVerifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

    private final NetworkBackend backend;
    private final int verifyAttempts;
    private final Duration verifyInterval;
    private final CommitGate commitGate;
    private final MeterRegistry meters;

    /**
     * @param verifyAttempts how many times verification is tried before it fails (nmstate: 5)
     * @param verifyInterval pause between verification attempts (nmstate: 1 s), for settings that take a moment to show
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
    public ApplyResult apply(ApplyContext context, NetworkState desired, ApplyRequest request) {
        long started = System.nanoTime();
        String outcome = "failed";
        try (LogContext ignored = LogContext.of(context.policy(), context.generation(), context.node(), context.commandId())) {
            validate(context, desired);
            List<Probe> probes = probesPassingBefore(request);
            Checkpoint checkpoint = checkpoint(context, request);
            try {
                applyProfiles(desired, request);
                if (request.verify()) {
                    verify(desired);
                }
                probe(probes, request);
            } catch (RuntimeException e) {
                throw rollBack(context, checkpoint, e);
            }
            commitGate.beforeCommit(context, checkpoint);
            Checkpoint pending = commitOrKeep(context, checkpoint, request);
            outcome = "applied";
            return new ApplyResult(pending, backend.currentState(), Duration.ofNanos(System.nanoTime() - started));
        } catch (ApplyException e) {
            outcome = e.rolledBack() ? "rolled-back" : "failed";
            throw e;
        } finally {
            Timer.builder(APPLY_DURATION).description("Time to apply one desired state to the host, by outcome")
                .tag("outcome", outcome).publishPercentileHistogram().register(meters)
                .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    /** Manages the validation: the desired state must make sense against this host before anything is touched. */
    private void validate(ApplyContext context, NetworkState desired) {
        try {
            StateValidator.validate(desired, backend.currentState());
        } catch (InvalidStateException e) {
            throw new ApplyException(context, ApplyStep.VALIDATE, e.getMessage(), null, false, false, e);
        } catch (BackendException e) {
            throw new ApplyException(context, ApplyStep.VALIDATE, e.getMessage(), e.detail(), false, true, e);
        }
    }

    /** Manages the probe baseline: only probes that pass now can be blamed on the apply later. */
    private List<Probe> probesPassingBefore(ApplyRequest request) {
        List<Probe> out = new ArrayList<>();
        if (request.probeGateway() && backend.probe(Probe.DEFAULT_GATEWAY, request.probeTimeout()).passed()) {
            out.add(Probe.DEFAULT_GATEWAY);
        }
        if (request.probeDns() && backend.probe(Probe.DNS, request.probeTimeout()).passed()) {
            out.add(Probe.DNS);
        }
        return out;
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

    /** Manages the change itself: profiles written and activated by the backend. */
    private void applyProfiles(NetworkState desired, ApplyRequest request) {
        backend.apply(desired, new ApplyOptions(request.memoryOnly(), ApplyOptions.defaults().activationTimeout()));
    }

    /** Manages verification: the desired state must be contained in the current one, allowing it a few moments to settle. */
    private void verify(NetworkState desired) {
        List<String> mismatches = List.of();
        for (int attempt = 1; attempt <= verifyAttempts; attempt++) {
            mismatches = StateVerifier.mismatches(desired, backend.currentState());
            if (mismatches.isEmpty()) {
                return;
            }
            LOG.info("Verification attempt {}/{}: {}", attempt, verifyAttempts, mismatches);
            if (attempt < verifyAttempts) {
                pause(verifyInterval);
            }
        }
        throw new VerificationFailure(String.join("; ", mismatches));
    }

    /** Manages the probes that passed before the apply: they must still pass. */
    private void probe(List<Probe> probes, ApplyRequest request) {
        for (Probe probe : probes) {
            ProbeResult result = backend.probe(probe, request.probeTimeout());
            if (!result.passed()) {
                throw new ProbeFailure("Connectivity check failed after the apply: " + result.message());
            }
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
            throw new BackendException("Interrupted while verifying");
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
