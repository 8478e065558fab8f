package io.nmstream.executor.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nmstream.executor.backend.BackendException;
import io.nmstream.executor.backend.NetworkBackend;
import io.nmstream.nmstate.CanonicalForm;
import io.nmstream.nmstate.InvalidStateException;
import io.nmstream.nmstate.NetworkState;
import io.nmstream.nmstate.NmstateParser;
import io.nmstream.nmstate.capture.CaptureException;
import io.nmstream.nmstate.capture.CaptureResolver;
import io.nmstream.schemas.avro.CommandKind;
import io.nmstream.schemas.avro.DesiredStateCommand;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What one command asks of this host: the state to apply, worked out from the command and what the node has applied.
 *
 * <p>Without captures it is the command's desired state (for a REVERT, the state that removes it). With captures, as
 * kubernetes-nmstate's handler does, the captures are resolved against this host's current state and fill the desired
 * state's templates; the result is parsed strictly and its canonical form and digest kept, for the ledger and the
 * enactments. The captures of one generation are resolved once (nmpolicy caches them too): after the apply the host
 * they described has changed, so the same generation again, and a REVERT, use the resolved state the ledger kept.
 *
 * @param state the state to apply (for a REVERT, the one that removes the policy's)
 * @param resolvedState canonical JSON of the desired state resolved from the policy's captures; null without captures
 * @param resolvedDigest SHA-256 of {@code resolvedState}; null without captures
 * @param revertSummary for a REVERT, what the removal undoes and what it leaves ({@link RevertPlanner#describe}); null
 *     otherwise
 */
record CommandTarget(NetworkState state, String resolvedState, String resolvedDigest, String revertSummary) {

    CommandTarget(NetworkState state, String resolvedState, String resolvedDigest) {
        this(state, resolvedState, resolvedDigest, null);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A command this node cannot carry out as given; the message is the one the user reads. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    /**
     * The target of {@code command} on the host behind {@code backend}.
     *
     * @param applied what the ledger holds for the command's policy
     * @throws Refused when the command cannot be carried out: an invalid desired state, a capture that cannot be
     *     resolved on this host, or a REVERT of captured state this node has no record of
     */
    static CommandTarget of(DesiredStateCommand command, Optional<AppliedLedger.Entry> applied, NetworkBackend backend)
        throws Refused {
        boolean captured = !command.getCapture().isEmpty();
        if (command.getKind() == CommandKind.REVERT) {
            CommandTarget removed = captured ? remembered(command, applied)
                .orElseThrow(() -> new Refused("Cannot revert policy " + command.getPolicy() + ": its desired state is resolved from"
                    + " captures " + names(command) + ", and this node has no record of a state it resolved and applied"))
                : new CommandTarget(parse(command.getDesiredState(), "Invalid desired state: "), null, null);
            NetworkState prior = RevertPlanner.readPrior(applied.map(AppliedLedger.Entry::priorState).orElse(null));
            return new CommandTarget(RevertPlanner.removalOf(removed.state(), prior), removed.resolvedState(), removed.resolvedDigest(),
                RevertPlanner.describe(removed.state(), prior));
        }
        if (!captured) {
            return new CommandTarget(parse(command.getDesiredState(), "Invalid desired state: "), null, null);
        }
        Optional<CommandTarget> remembered = remembered(command, applied);
        return remembered.isPresent() ? remembered.get() : resolve(command, backend);
    }

    /** The resolved state the ledger kept for the command's policy, when it kept one. */
    private static Optional<CommandTarget> remembered(DesiredStateCommand command, Optional<AppliedLedger.Entry> applied)
        throws Refused {
        boolean kept = applied.isPresent() && applied.get().resolvedState() != null
            && (command.getKind() == CommandKind.REVERT || applied.get().isOf(command));
        if (!kept) {
            return Optional.empty();
        }
        return Optional.of(new CommandTarget(parse(applied.get().resolvedState(), "Invalid resolved state: "),
            applied.get().resolvedState(), applied.get().resolvedDigest()));
    }

    /** Resolves the command's captures against this host's current state and fills the desired state's templates. */
    private static CommandTarget resolve(DesiredStateCommand command, NetworkBackend backend) throws Refused {
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
            throw new Refused("Invalid desired state after resolving captures " + names(command) + ": " + e.getMessage());
        }
        // the canonical form ingest digests a policy's desired state in, so equal resolved states have equal digests
        String json = CanonicalForm.canonicalJson(resolved);
        return new CommandTarget(state, json, CanonicalForm.sha256Hex(json));
    }

    private static NetworkState parse(String json, String problem) throws Refused {
        try {
            return NmstateParser.parse(json);
        } catch (InvalidStateException e) {
            throw new Refused(problem + e.getMessage());
        }
    }

    private static String names(DesiredStateCommand command) {
        return new TreeSet<>(command.getCapture().keySet()).toString();
    }
}
