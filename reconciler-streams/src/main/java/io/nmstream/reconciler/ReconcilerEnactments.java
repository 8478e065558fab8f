package io.nmstream.reconciler;

import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;
import io.nmstream.schemas.contract.EventContract;
import java.time.Instant;
import java.util.UUID;

/**
 * Builds the enactment events the reconciler itself writes, and names their reasons: the one place where the
 * reconciler's side of the audit log is defined. Node agents write the PROGRESSING, RETRYING, AVAILABLE and FAILING
 * events of the commands they run.
 */
public final class ReconcilerEnactments {

    /** PENDING: every slot of the rollout is taken (maxUnavailable nodes are applying or failed this generation). */
    public static final String MAX_UNAVAILABLE_LIMIT_REACHED = "MaxUnavailableLimitReached";
    /** PENDING: the node is queued for a rollout slot, and the limit is not (known to be) reached. */
    public static final String QUEUED_FOR_ROLLOUT = "QueuedForRollout";
    /** ABORTED: failures of this generation reached maxUnavailable; the node gets no command. */
    public static final String CONFIGURATION_ABORTED = "ConfigurationAborted";
    /** FAILING: the node's command passed its deadline without a result. Agents must not use this reason. */
    public static final String TIMEOUT = EventContract.TIMEOUT;
    /** REMOVED: the policy was deleted. */
    public static final String POLICY_DELETED = "PolicyDeleted";
    /** REMOVED: the policy was deleted and the node reverted what it had applied. */
    public static final String REVERTED = EventContract.REVERTED;
    /** REMOVED: the policy was deleted, but the node's revert failed or timed out. */
    public static final String REVERT_FAILED = EventContract.REVERT_FAILED;
    /** REMOVED: the node's labels no longer match the policy's nodeSelector. */
    public static final String NODE_SELECTOR_NOT_MATCHING = "NodeSelectorNotMatching";
    /** REMOVED: the node left the inventory. */
    public static final String NODE_REMOVED = "NodeRemoved";

    private ReconcilerEnactments() {
    }

    /** An enactment event the reconciler writes about {@code node} and {@code policy}. */
    public static EnactmentEvent event(String node, String policy, long generation, String commandId, EnactmentPhase phase,
                                       String reason, String message, long nowMillis) {
        return EnactmentEvent.newBuilder()
            .setEventId(UUID.randomUUID().toString())
            .setNode(node)
            .setPolicy(policy)
            .setGeneration(generation)
            .setCommandId(commandId)
            .setPhase(phase)
            .setReason(reason)
            .setMessage(message)
            .setTimestamp(Instant.ofEpochMilli(nowMillis))
            .build();
    }

    /**
     * Whether an event is a node agent's report on a command: PROGRESSING, RETRYING, or a result (AVAILABLE, FAILING,
     * ABORTED when the agent skipped it, REMOVED when a revert removed the policy's state).
     */
    public static boolean isAgentReport(EnactmentEvent event) {
        if (event.getCommandId() == null) {
            return false;
        }
        return switch (event.getPhase()) {
            case PROGRESSING, RETRYING, AVAILABLE, ABORTED -> true;
            case FAILING -> !TIMEOUT.equals(event.getReason());
            case REMOVED -> !REVERTED.equals(event.getReason()) && !REVERT_FAILED.equals(event.getReason());
            default -> false;
        };
    }

    /**
     * Whether an event is a node agent's result of a command, the only reports the reconciler acts on: AVAILABLE,
     * FAILING, ABORTED when the agent skipped it, REMOVED when a revert removed the policy's state.
     */
    public static boolean isAgentResult(EnactmentEvent event) {
        return isAgentReport(event) && event.getPhase() != EnactmentPhase.PROGRESSING && event.getPhase() != EnactmentPhase.RETRYING;
    }
}
