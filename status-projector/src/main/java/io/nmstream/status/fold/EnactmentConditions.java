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

    private EnactmentConditions() {
    }

    /**
     * The conditions for the phase of {@code event}; messages come from the event, the node's own error message for a
     * failure.
     *
     * @throws IllegalArgumentException for UNKNOWN and REMOVED, which have no conditions
     */
    public static ConditionList forEvent(EnactmentEvent event) {
        ConditionList conditions = new ConditionList();
        EnactmentPhase phase = event.getPhase();
        switch (phase) {
            case PENDING -> {
                // kubernetes-nmstate's one reason for waiting; the reconciler's own reason (AwaitingRolloutSlot, ...)
                // stays in the audit trail and its message here
                String reason = MAX_UNAVAILABLE_LIMIT_REACHED;
                String message = orDefault(event.getMessage(), "Waiting for progressing nodes to finish");
                conditions.set(PENDING, TRUE, reason, message)
                    .set(ABORTED, FALSE, reason, "")
                    .set(PROGRESSING, FALSE, reason, message)
                    .set(FAILING, FALSE, reason, "")
                    .set(AVAILABLE, FALSE, reason, "");
            }
            case PROGRESSING -> conditions
                .set(PROGRESSING, TRUE, CONFIGURATION_PROGRESSING, orDefault(event.getMessage(), "Applying desired state"))
                .set(FAILING, UNKNOWN, CONFIGURATION_PROGRESSING, "")
                .set(AVAILABLE, UNKNOWN, CONFIGURATION_PROGRESSING, "")
                .set(PENDING, FALSE, CONFIGURATION_PROGRESSING, "")
                .set(ABORTED, FALSE, CONFIGURATION_PROGRESSING, "");
            case RETRYING -> {
                String error = failureMessage(event);
                conditions.set(FAILING, TRUE, FAILED_TO_CONFIGURE, error)
                    .set(PROGRESSING, TRUE, CONFIGURATION_PROGRESSING,
                        "Retrying after attempt " + event.getAttempt() + " failed: " + error)
                    .set(AVAILABLE, FALSE, FAILED_TO_CONFIGURE, "")
                    .set(PENDING, FALSE, FAILED_TO_CONFIGURE, "")
                    .set(ABORTED, FALSE, FAILED_TO_CONFIGURE, "");
            }
            case AVAILABLE -> conditions
                .set(AVAILABLE, TRUE, SUCCESSFULLY_CONFIGURED, orDefault(event.getMessage(), "successfully reconciled"))
                .set(FAILING, FALSE, SUCCESSFULLY_CONFIGURED, "")
                .set(PROGRESSING, FALSE, SUCCESSFULLY_CONFIGURED, "")
                .set(PENDING, FALSE, SUCCESSFULLY_CONFIGURED, "")
                .set(ABORTED, FALSE, SUCCESSFULLY_CONFIGURED, "");
            case FAILING -> conditions.set(FAILING, TRUE, FAILED_TO_CONFIGURE, failureMessage(event))
                .set(AVAILABLE, FALSE, FAILED_TO_CONFIGURE, "")
                .set(PROGRESSING, FALSE, FAILED_TO_CONFIGURE, "")
                .set(PENDING, FALSE, FAILED_TO_CONFIGURE, "")
                .set(ABORTED, FALSE, SUCCESSFULLY_CONFIGURED, "");
            case ABORTED -> conditions.set(FAILING, FALSE, CONFIGURATION_ABORTED, "")
                .set(AVAILABLE, FALSE, CONFIGURATION_ABORTED, "")
                .set(PROGRESSING, FALSE, CONFIGURATION_ABORTED, "")
                .set(PENDING, FALSE, CONFIGURATION_ABORTED, "")
                .set(ABORTED, TRUE, CONFIGURATION_ABORTED, orDefault(event.getMessage(), "Configuration aborted"));
            default -> throw new IllegalArgumentException("Enactment phase " + phase + " of " + event.getNode() + "."
                + event.getPolicy() + " has no conditions");
        }
        return conditions;
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
