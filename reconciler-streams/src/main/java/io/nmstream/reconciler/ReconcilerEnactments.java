package io.nmstream.reconciler;

import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;
import java.time.Instant;
import java.util.UUID;

/**
 * Builds the enactment events the reconciler itself writes, and names their reasons: the one place where the
 * reconciler's side of the audit log is defined. Node agents write the PROGRESSING, RETRYING, AVAILABLE and FAILING
 * events of the commands they run.
 */
public final class ReconcilerEnactments {

    /** PENDING: the node matches and asked the rollout for a slot; this also tells the rollout the node exists. */
    public static final String AWAITING_ROLLOUT_SLOT = "AwaitingRolloutSlot";
    /** PENDING: maxUnavailable nodes are already applying this generation. */
    public static final String MAX_UNAVAILABLE_LIMIT_REACHED = "MaxUnavailableLimitReached";
    /** ABORTED: failures of this generation reached maxUnavailable; the node gets no command. */
    public static final String CONFIGURATION_ABORTED = "ConfigurationAborted";
    /** FAILING: the node's command passed its deadline without a result. Agents must not use this reason. */
    public static final String TIMEOUT = "Timeout";
    /** REMOVED: the policy was deleted. */
    public static final String POLICY_DELETED = "PolicyDeleted";
    /** REMOVED: the policy was deleted and the node reverted what it had applied. */
    public static final String REVERTED = "Reverted";
    /** REMOVED: the policy was deleted, but the node's revert failed or timed out. */
    public static final String REVERT_FAILED = "RevertFailed";
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

    /** Whether an event is the reconciler's own "node wants a slot" announcement. */
    public static boolean isSlotRequest(EnactmentEvent event) {
        return event.getPhase() == EnactmentPhase.PENDING && AWAITING_ROLLOUT_SLOT.equals(event.getReason());
    }

    /**
     * Whether an event says a node let go of a policy (deleted, no longer matching, node removed): the reconciler writes
     * those without a command id. A REMOVED about a command (a revert's outcome, the agent's or the reconciler's) is not.
     */
    public static boolean releasesMembership(EnactmentEvent event) {
        return event.getPhase() == EnactmentPhase.REMOVED && event.getCommandId() == null;
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
}
