package io.nmstream.status.fold;

import static io.nmstream.status.fold.ConditionList.FALSE;
import static io.nmstream.status.fold.ConditionList.TRUE;
import static io.nmstream.status.fold.ConditionList.UNKNOWN;
import static io.nmstream.status.fold.Nmstate.ABORTED;
import static io.nmstream.status.fold.Nmstate.AVAILABLE;
import static io.nmstream.status.fold.Nmstate.CONFIGURATION_ABORTED;
import static io.nmstream.status.fold.Nmstate.CONFIGURATION_PROGRESSING;
import static io.nmstream.status.fold.Nmstate.FAILED_TO_CONFIGURE;
import static io.nmstream.status.fold.Nmstate.FAILING;
import static io.nmstream.status.fold.Nmstate.MAX_UNAVAILABLE_LIMIT_REACHED;
import static io.nmstream.status.fold.Nmstate.PENDING;
import static io.nmstream.status.fold.Nmstate.PROGRESSING;
import static io.nmstream.status.fold.Nmstate.QUEUED_FOR_ROLLOUT;
import static io.nmstream.status.fold.Nmstate.SUCCESSFULLY_CONFIGURED;

import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;

/**
 * The conditions of an NNCE in each enactment phase, as kubernetes-nmstate's handler sets them.
 *
 * <p>Every phase sets all five condition types (Available, Failing, Progressing, Pending, Aborted), so that exactly the
 * one that describes the phase is True. A retrying enactment is Failing and Progressing at once, as in
 * kubernetes-nmstate; the policy therefore counts it as failed until a later attempt succeeds.
 */
public final class EnactmentConditions {

    private static final String WAITING = "Waiting for progressing nodes to finish";
    private static final String QUEUED = "Queued for a rollout slot";
    /** The reason the reconciler wrote, before it leased slots to node partitions, for every node queued for a slot. */
    private static final String LEGACY_SLOT_REQUEST = "AwaitingRolloutSlot";
    private static final String APPLYING = "Applying desired state";
    private static final String RECONCILED = "successfully reconciled";
    private static final String ABORTED_BY_DEFAULT = "Configuration aborted";

    // kubernetes-nmstate's reason for a node held back by maxUnavailable; a node only queued for its slot says so
    private static final ConditionList WHEN_PENDING = pending(MAX_UNAVAILABLE_LIMIT_REACHED, WAITING);
    private static final ConditionList WHEN_QUEUED = pending(QUEUED_FOR_ROLLOUT, QUEUED);
    private static final ConditionList WHEN_PROGRESSING = ConditionList.EMPTY
        .set(PROGRESSING, TRUE, CONFIGURATION_PROGRESSING, APPLYING)
        .set(FAILING, UNKNOWN, CONFIGURATION_PROGRESSING, "")
        .set(AVAILABLE, UNKNOWN, CONFIGURATION_PROGRESSING, "")
        .set(PENDING, FALSE, CONFIGURATION_PROGRESSING, "")
        .set(ABORTED, FALSE, CONFIGURATION_PROGRESSING, "");
    private static final ConditionList WHEN_RETRYING = ConditionList.EMPTY
        .set(FAILING, TRUE, FAILED_TO_CONFIGURE, "")
        .set(PROGRESSING, TRUE, CONFIGURATION_PROGRESSING, "")
        .set(AVAILABLE, FALSE, FAILED_TO_CONFIGURE, "")
        .set(PENDING, FALSE, FAILED_TO_CONFIGURE, "")
        .set(ABORTED, FALSE, FAILED_TO_CONFIGURE, "");
    private static final ConditionList WHEN_AVAILABLE = ConditionList.EMPTY
        .set(AVAILABLE, TRUE, SUCCESSFULLY_CONFIGURED, RECONCILED)
        .set(FAILING, FALSE, SUCCESSFULLY_CONFIGURED, "")
        .set(PROGRESSING, FALSE, SUCCESSFULLY_CONFIGURED, "")
        .set(PENDING, FALSE, SUCCESSFULLY_CONFIGURED, "")
        .set(ABORTED, FALSE, SUCCESSFULLY_CONFIGURED, "");
    private static final ConditionList WHEN_FAILING = ConditionList.EMPTY
        .set(FAILING, TRUE, FAILED_TO_CONFIGURE, "")
        .set(AVAILABLE, FALSE, FAILED_TO_CONFIGURE, "")
        .set(PROGRESSING, FALSE, FAILED_TO_CONFIGURE, "")
        .set(PENDING, FALSE, FAILED_TO_CONFIGURE, "")
        .set(ABORTED, FALSE, SUCCESSFULLY_CONFIGURED, "");
    private static final ConditionList WHEN_ABORTED = ConditionList.EMPTY
        .set(FAILING, FALSE, CONFIGURATION_ABORTED, "")
        .set(AVAILABLE, FALSE, CONFIGURATION_ABORTED, "")
        .set(PROGRESSING, FALSE, CONFIGURATION_ABORTED, "")
        .set(PENDING, FALSE, CONFIGURATION_ABORTED, "")
        .set(ABORTED, TRUE, CONFIGURATION_ABORTED, ABORTED_BY_DEFAULT);

    private EnactmentConditions() {
    }

    /**
     * The conditions for the phase of {@code event}; messages come from the event, the node's own error message for a
     * failure.
     *
     * @throws IllegalArgumentException for UNKNOWN and REMOVED, which have no conditions
     */
    public static ConditionList forEvent(EnactmentEvent event) {
        EnactmentPhase phase = event.getPhase();
        return switch (phase) {
            case PENDING -> {
                boolean queued = QUEUED_FOR_ROLLOUT.equals(event.getReason()) || LEGACY_SLOT_REQUEST.equals(event.getReason());
                String message = orDefault(event.getMessage(), queued ? QUEUED : WAITING);
                yield (queued ? WHEN_QUEUED : WHEN_PENDING).withMessage(PENDING, message).withMessage(PROGRESSING, message);
            }
            case PROGRESSING -> WHEN_PROGRESSING.withMessage(PROGRESSING, orDefault(event.getMessage(), APPLYING));
            case RETRYING -> {
                String error = failureMessage(event);
                yield WHEN_RETRYING.withMessage(FAILING, error)
                    .withMessage(PROGRESSING, "Retrying after attempt " + event.getAttempt() + " failed: " + error);
            }
            case AVAILABLE -> WHEN_AVAILABLE.withMessage(AVAILABLE, orDefault(event.getMessage(), RECONCILED));
            case FAILING -> WHEN_FAILING.withMessage(FAILING, failureMessage(event));
            case ABORTED -> WHEN_ABORTED.withMessage(ABORTED, orDefault(event.getMessage(), ABORTED_BY_DEFAULT));
            default -> throw new IllegalArgumentException("Enactment phase " + phase + " of " + event.getNode() + "."
                + event.getPolicy() + " has no conditions");
        };
    }

    private static ConditionList pending(String reason, String message) {
        return ConditionList.EMPTY
            .set(PENDING, TRUE, reason, message)
            .set(ABORTED, FALSE, reason, "")
            .set(PROGRESSING, FALSE, reason, message)
            .set(FAILING, FALSE, reason, "")
            .set(AVAILABLE, FALSE, reason, "");
    }

    /** The node's own message for a failure; the technical detail, then the reason, when the node gave none. */
    private static String failureMessage(EnactmentEvent event) {
        if (!event.getMessage().isEmpty()) {
            return event.getMessage();
        }
        if (event.getErrorDetail() != null && !event.getErrorDetail().isEmpty()) {
            return event.getErrorDetail();
        }
        return event.getReason().isEmpty() ? "failed to configure" : event.getReason();
    }

    private static String orDefault(String message, String fallback) {
        return message.isEmpty() ? fallback : message;
    }
}
