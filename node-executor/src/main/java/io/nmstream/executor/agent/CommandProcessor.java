package io.nmstream.executor.agent;

import io.nmstream.common.logging.LogContext;
import io.nmstream.executor.apply.ApplyContext;
import io.nmstream.executor.apply.ApplyException;
import io.nmstream.executor.apply.ApplyRequest;
import io.nmstream.executor.apply.ApplyResult;
import io.nmstream.executor.apply.NodeApplier;
import io.nmstream.executor.backend.BackendException;
import io.nmstream.executor.backend.NetworkBackend;
import io.nmstream.nmstate.NetworkState;
import io.nmstream.nmstate.NmstateWriter;
import io.nmstream.nmstate.StateVerifier;
import io.nmstream.schemas.avro.CommandKind;
import io.nmstream.schemas.avro.DesiredStateCommand;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out one node's commands, one at a time: skips stale generations, answers an already-applied generation that
 * still verifies without touching the host, and otherwise applies with retries (PROGRESSING, RETRYING between
 * attempts with a doubling backoff, then AVAILABLE, REMOVED or FAILING). Every step is reported as an enactment event.
 *
 * <p>A command with captures is resolved on this host first ({@link CommandTarget}); the resolved state is what is
 * applied and remembered in the {@link AppliedLedger}, and its digest is reported in every enactment of the command. A
 * capture that cannot be resolved fails the command before the host is touched.
 */
public final class CommandProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(CommandProcessor.class);

    /** How many attempts, and the pauses between them. */
    public record RetryPolicy(int attempts, Duration initialBackoff, Duration maxBackoff) {

        public static RetryPolicy of(NodeAgentSettings settings) {
            return new RetryPolicy(settings.get(NodeAgentSettings.APPLY_ATTEMPTS), settings.get(NodeAgentSettings.BACKOFF_INITIAL),
                settings.get(NodeAgentSettings.BACKOFF_MAX));
        }

        Duration backoffAfter(int failedAttempt) {
            long millis = initialBackoff.toMillis() << Math.min(20, failedAttempt - 1);
            return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
        }
    }

    private final String node;
    private final NetworkBackend backend;
    private final NodeApplier applier;
    private final AppliedLedger ledger;
    private final RetryPolicy retry;
    private final EnactmentSink sink;
    private final Clock clock;

    public CommandProcessor(String node, NetworkBackend backend, NodeApplier applier, AppliedLedger ledger, RetryPolicy retry,
                            EnactmentSink sink, Clock clock) {
        this.node = node;
        this.backend = backend;
        this.applier = applier;
        this.ledger = ledger;
        this.retry = retry;
        this.sink = sink;
        this.clock = clock;
    }

    /** Handles one command addressed to this node; returns once its final event is published. */
    public void handle(DesiredStateCommand command) {
        ApplyContext context = new ApplyContext(node, command.getPolicy(), command.getGeneration(), command.getCommandId());
        try (LogContext ignored = LogContext.of(context.policy(), context.generation(), context.node(), context.commandId())) {
            handle(command, context);
        }
    }

    private void handle(DesiredStateCommand command, ApplyContext context) {
        Optional<AppliedLedger.Entry> applied = ledger.get(command.getPolicy());
        if (applied.isPresent() && applied.get().generation() > command.getGeneration()) {
            LOG.info("[{}] skipped: generation {} is already applied", context, applied.get().generation());
            publish(command, EnactmentPhase.ABORTED, "StaleGeneration", "Generation " + command.getGeneration() + " of policy "
                + command.getPolicy() + " is older than the applied generation " + applied.get().generation() + "; skipped", 0, null, null,
                null);
            return;
        }
        boolean revert = command.getKind() == CommandKind.REVERT;
        CommandTarget target;
        try {
            target = CommandTarget.of(command, applied, backend);
        } catch (CommandTarget.Refused e) {
            LOG.warn("[{}] refused: {}", context, e.getMessage());
            publish(command, EnactmentPhase.FAILING, "FailedToConfigure", e.getMessage(), 0, null, null, null);
            return;
        }
        if (!revert && alreadyApplied(command, applied, target.state())) {
            LOG.info("[{}] already applied and verified; nothing to do", context);
            publish(command, EnactmentPhase.AVAILABLE, "SuccessfullyConfigured", "Already applied; verified without changes", 0, null,
                null, target);
            return;
        }
        apply(command, context, target, revert);
    }

    /**
     * What the node's own interfaces {@code desired} configures are before it is applied (nmstate JSON), kept from an
     * earlier generation of the policy where the ledger has them; null when the host cannot be read now.
     */
    private String priorState(DesiredStateCommand command, NetworkState desired) {
        NetworkState earlier = RevertPlanner.readPrior(ledger.get(command.getPolicy()).map(AppliedLedger.Entry::priorState).orElse(null));
        try {
            return NmstateWriter.toJson(RevertPlanner.priorOf(desired, backend.currentState(), earlier));
        } catch (BackendException e) {
            LOG.warn("Cannot read this node's state to record what a revert of policy {} would restore: {}", command.getPolicy(),
                e.getMessage());
            return earlier == null ? null : NmstateWriter.toJson(earlier);
        }
    }

    private boolean alreadyApplied(DesiredStateCommand command, Optional<AppliedLedger.Entry> applied, NetworkState desired) {
        if (applied.isEmpty() || !applied.get().isOf(command)) {
            return false;
        }
        try {
            return StateVerifier.mismatches(desired, backend.currentState()).isEmpty();
        } catch (BackendException e) {
            return false;
        }
    }

    private void apply(DesiredStateCommand command, ApplyContext context, CommandTarget target, boolean revert) {
        ApplyRequest request = ApplyRequest.defaults()
            .withCheckpointTimeout(Duration.ofSeconds(command.getCheckpointTimeoutSeconds()))
            .withProbes(command.getProbes().getDefaultGateway(), command.getProbes().getDns(),
                Duration.ofMillis(command.getProbes().getTimeoutMillis()));
        Instant started = clock.instant();
        publish(command, EnactmentPhase.PROGRESSING, "ConfigurationProgressing", revert ? "Removing the policy's configuration"
            : "Applying desired state", 1, started, null, target);
        String prior = revert ? null : priorState(command, target.state());
        for (int attempt = 1; ; attempt++) {
            try {
                ApplyResult result = applier.apply(context, target.state(), request);
                if (revert) {
                    ledger.forget(command.getPolicy());
                    publish(command, EnactmentPhase.REMOVED, "SuccessfullyRemoved", "Policy configuration removed: "
                        + target.revertSummary(), attempt, started, null, target);
                } else {
                    ledger.record(command.getPolicy(), new AppliedLedger.Entry(command.getGeneration(), command.getDesiredStateDigest(),
                        command.getCommandId(), target.resolvedState(), target.resolvedDigest(), prior));
                    publish(command, EnactmentPhase.AVAILABLE, "SuccessfullyConfigured", "Successfully configured in "
                        + result.duration().toMillis() + " ms", attempt, started, null, target);
                }
                return;
            } catch (ApplyException e) {
                LOG.warn("Attempt {}/{} failed: {}", attempt, retry.attempts(), e.getMessage());
                if (!e.retriable() || attempt >= retry.attempts()) {
                    publish(command, EnactmentPhase.FAILING, "FailedToConfigure", e.userMessage(), attempt, started, detail(e),
                        target);
                    return;
                }
                Duration backoff = retry.backoffAfter(attempt);
                publish(command, EnactmentPhase.RETRYING, "RetryingAfterFailure", e.userMessage() + " (attempt " + attempt + " of "
                    + retry.attempts() + "; next in " + backoff.toMillis() + " ms)", attempt, started, detail(e), target);
                if (!pause(backoff)) {
                    return;
                }
            }
        }
    }

    private static String detail(ApplyException e) {
        return e.step().name() + (e.rolledBack() ? ", rolled back" : "") + (e.detail() == null ? "" : ": " + e.detail());
    }

    private static boolean pause(Duration backoff) {
        try {
            Thread.sleep(backoff.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Publishes one step of {@code command}; {@code target} is what it applies, null before that is known. */
    private void publish(DesiredStateCommand command, EnactmentPhase phase, String reason, String message, int attempt, Instant started,
                         String errorDetail, CommandTarget target) {
        Instant now = clock.instant();
        boolean finished = phase == EnactmentPhase.AVAILABLE || phase == EnactmentPhase.FAILING || phase == EnactmentPhase.REMOVED;
        EnactmentEvent event = EnactmentEvent.newBuilder()
            .setEventId(UUID.randomUUID().toString())
            .setNode(node)
            .setPolicy(command.getPolicy())
            .setGeneration(command.getGeneration())
            .setCommandId(command.getCommandId())
            .setPhase(phase)
            .setReason(reason)
            .setMessage(message)
            .setAttempt(attempt)
            .setStartedAt(started)
            .setFinishedAt(finished && started != null ? now : null)
            .setDurationMillis(finished && started != null ? Duration.between(started, now).toMillis() : null)
            .setDesiredStateDigest(command.getDesiredStateDigest())
            .setErrorDetail(errorDetail)
            .setResolvedStateDigest(target == null ? null : target.resolvedDigest())
            // what the captures rendered, as an NNCE shows it; the signed digest above vouches for it
            .setResolvedState(target == null ? null : target.resolvedState())
            .setTimestamp(now)
            .build();
        sink.publish(event);
    }
}
