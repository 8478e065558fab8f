package io.nmstream.executor.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nmstream.common.logging.LogContext;
import io.nmstream.executor.apply.ApplyContext;
import io.nmstream.executor.apply.ApplyException;
import io.nmstream.executor.apply.ApplyRequest;
import io.nmstream.executor.apply.ApplyResult;
import io.nmstream.executor.apply.NodeApplier;
import io.nmstream.executor.backend.BackendException;
import io.nmstream.executor.backend.NetworkBackend;
import io.nmstream.nmstate.CanonicalForm;
import io.nmstream.nmstate.InvalidStateException;
import io.nmstream.nmstate.NetworkState;
import io.nmstream.nmstate.NmstateParser;
import io.nmstream.nmstate.StateVerifier;
import io.nmstream.nmstate.capture.CaptureException;
import io.nmstream.nmstate.capture.CaptureResolver;
import io.nmstream.schemas.avro.CommandKind;
import io.nmstream.schemas.avro.DesiredStateCommand;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out one node's commands, one at a time: skips stale generations, answers an already-applied generation that
 * still verifies without touching the host, and otherwise applies with retries (PROGRESSING, RETRYING between
 * attempts with a doubling backoff, then AVAILABLE, REMOVED or FAILING). Every step is reported as an enactment event.
 *
 * <p>A command with captures is resolved here, on the node, as kubernetes-nmstate's handler does: the captures are
 * evaluated against this host's current state and fill the desired state's templates; the result is parsed strictly,
 * applied, remembered in the {@link AppliedLedger} and its digest reported in every enactment of the command. A capture
 * that cannot be resolved fails the command before the host is touched. The captures of one generation are resolved
 * once (the host they described has changed after the apply); a revert removes the state that was resolved.
 */
public final class CommandProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(CommandProcessor.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What a command asks of this host.
     *
     * @param state the state to apply (for a REVERT, the one that removes the policy's)
     * @param resolvedState canonical JSON of the desired state resolved from the policy's captures; null without captures
     * @param resolvedDigest SHA-256 of {@code resolvedState}; null without captures
     */
    private record Target(NetworkState state, String resolvedState, String resolvedDigest) {
    }

    /** A command this node cannot carry out as given; the message is the one the user reads. */
    private static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

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
        Target target;
        try {
            target = revert ? removal(command, applied) : desired(command, applied);
        } catch (Refused e) {
            LOG.warn("[{}] refused: {}", context, e.getMessage());
            publish(command, EnactmentPhase.FAILING, "FailedToConfigure", e.getMessage(), 0, null, null, null);
            return;
        }
        if (!revert && alreadyApplied(command, applied, target.state())) {
            LOG.info("[{}] already applied and verified; nothing to do", context);
            publish(command, EnactmentPhase.AVAILABLE, "SuccessfullyConfigured", "Already applied; verified without changes", 0, null,
                null, target.resolvedDigest());
            return;
        }
        apply(command, context, target, revert);
    }

    /** Manages an APPLY's desired state: the command's own, or the one this host resolves from the policy's captures. */
    private Target desired(DesiredStateCommand command, Optional<AppliedLedger.Entry> applied) throws Refused {
        if (command.getCapture().isEmpty()) {
            return new Target(parse(command.getDesiredState(), "Invalid desired state: "), null, null);
        }
        if (sameGeneration(command, applied) && applied.get().resolvedState() != null) {
            // resolved once per generation, as nmpolicy caches captures: this host's state has changed since it was captured
            return new Target(parse(applied.get().resolvedState(), "Invalid resolved state: "), applied.get().resolvedState(),
                applied.get().resolvedDigest());
        }
        JsonNode templated;
        try {
            templated = JSON.readTree(command.getDesiredState());
        } catch (JsonProcessingException e) {
            throw new Refused("Invalid desired state: not JSON (" + e.getOriginalMessage() + ")");
        }
        NetworkState current;
        try {
            current = backend.currentState();
        } catch (BackendException e) {
            throw new Refused("Cannot read this node's state to resolve the policy's captures: " + e.getMessage());
        }
        JsonNode resolved;
        try {
            resolved = CaptureResolver.resolve(command.getCapture(), templated, current);
        } catch (CaptureException e) {
            throw new Refused(e.getMessage());
        }
        NetworkState state;
        try {
            state = NmstateParser.parse(resolved);
        } catch (InvalidStateException e) {
            throw new Refused("Invalid desired state after resolving captures " + new TreeSet<>(command.getCapture().keySet()) + ": "
                + e.getMessage());
        }
        // the canonical form ingest digests a policy's desired state in, so equal resolved states have equal digests
        String json = CanonicalForm.canonicalJson(resolved);
        return new Target(state, json, CanonicalForm.sha256Hex(json));
    }

    /**
     * Manages a REVERT's state: the one that removes what the policy applied. For a policy with captures that is the
     * state this node resolved and applied, never the templates, and never captures resolved again on the changed host.
     */
    private Target removal(DesiredStateCommand command, Optional<AppliedLedger.Entry> applied) throws Refused {
        if (command.getCapture().isEmpty()) {
            return new Target(RevertPlanner.removalOf(parse(command.getDesiredState(), "Invalid desired state: ")), null, null);
        }
        if (applied.isEmpty() || applied.get().resolvedState() == null) {
            throw new Refused("Cannot revert policy " + command.getPolicy() + ": its desired state is resolved from captures "
                + new TreeSet<>(command.getCapture().keySet()) + ", and this node has no record of a state it resolved and applied");
        }
        NetworkState resolved = parse(applied.get().resolvedState(), "Invalid resolved state: ");
        return new Target(RevertPlanner.removalOf(resolved), applied.get().resolvedState(), applied.get().resolvedDigest());
    }

    private static NetworkState parse(String json, String problem) throws Refused {
        try {
            return NmstateParser.parse(json);
        } catch (InvalidStateException e) {
            throw new Refused(problem + e.getMessage());
        }
    }

    private static boolean sameGeneration(DesiredStateCommand command, Optional<AppliedLedger.Entry> applied) {
        return applied.isPresent() && applied.get().generation() == command.getGeneration()
            && applied.get().digest().equals(command.getDesiredStateDigest());
    }

    private boolean alreadyApplied(DesiredStateCommand command, Optional<AppliedLedger.Entry> applied, NetworkState desired) {
        if (!sameGeneration(command, applied)) {
            return false;
        }
        try {
            return StateVerifier.mismatches(desired, backend.currentState()).isEmpty();
        } catch (BackendException e) {
            return false;
        }
    }

    private void apply(DesiredStateCommand command, ApplyContext context, Target target, boolean revert) {
        String resolvedDigest = target.resolvedDigest();
        ApplyRequest request = ApplyRequest.defaults()
            .withCheckpointTimeout(Duration.ofSeconds(command.getCheckpointTimeoutSeconds()))
            .withProbes(command.getProbes().getDefaultGateway(), command.getProbes().getDns(),
                Duration.ofMillis(command.getProbes().getTimeoutMillis()));
        Instant started = clock.instant();
        publish(command, EnactmentPhase.PROGRESSING, "ConfigurationProgressing", revert ? "Removing the policy's configuration"
            : "Applying desired state", 1, started, null, resolvedDigest);
        for (int attempt = 1; ; attempt++) {
            try {
                ApplyResult result = applier.apply(context, target.state(), request);
                if (revert) {
                    ledger.forget(command.getPolicy());
                    publish(command, EnactmentPhase.REMOVED, "SuccessfullyRemoved", "Policy configuration removed", attempt, started, null,
                        resolvedDigest);
                } else {
                    ledger.record(command.getPolicy(), new AppliedLedger.Entry(command.getGeneration(), command.getDesiredStateDigest(),
                        command.getCommandId(), target.resolvedState(), resolvedDigest));
                    publish(command, EnactmentPhase.AVAILABLE, "SuccessfullyConfigured", "Successfully configured in "
                        + result.duration().toMillis() + " ms", attempt, started, null, resolvedDigest);
                }
                return;
            } catch (ApplyException e) {
                LOG.warn("Attempt {}/{} failed: {}", attempt, retry.attempts(), e.getMessage());
                if (!e.retriable() || attempt >= retry.attempts()) {
                    publish(command, EnactmentPhase.FAILING, "FailedToConfigure", e.userMessage(), attempt, started, detail(e),
                        resolvedDigest);
                    return;
                }
                Duration backoff = retry.backoffAfter(attempt);
                publish(command, EnactmentPhase.RETRYING, "RetryingAfterFailure", e.userMessage() + " (attempt " + attempt + " of "
                    + retry.attempts() + "; next in " + backoff.toMillis() + " ms)", attempt, started, detail(e), resolvedDigest);
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

    private void publish(DesiredStateCommand command, EnactmentPhase phase, String reason, String message, int attempt, Instant started,
                         String errorDetail, String resolvedDigest) {
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
            .setResolvedStateDigest(resolvedDigest)
            .setTimestamp(now)
            .build();
        sink.publish(event);
    }
}
