package io.nmstream.status.fold;

import static io.nmstream.status.fold.ConditionList.FALSE;
import static io.nmstream.status.fold.ConditionList.TRUE;
import static io.nmstream.status.fold.ConditionList.UNKNOWN;
import static io.nmstream.status.fold.Nmstate.AVAILABLE;
import static io.nmstream.status.fold.Nmstate.CONFIGURATION_PROGRESSING;
import static io.nmstream.status.fold.Nmstate.DEGRADED;
import static io.nmstream.status.fold.Nmstate.FAILED_TO_CONFIGURE;
import static io.nmstream.status.fold.Nmstate.IGNORED;
import static io.nmstream.status.fold.Nmstate.NO_MATCHING_NODE;
import static io.nmstream.status.fold.Nmstate.PROGRESSING;
import static io.nmstream.status.fold.Nmstate.SUCCESSFULLY_CONFIGURED;

/**
 * The aggregate conditions of an NNCP from the counts of its enactments and the nodes the reconciler matched, with
 * kubernetes-nmstate's rules and messages.
 *
 * <p>In order: before anything says which nodes it matches, every condition is Unknown (as kubernetes-nmstate resets
 * a policy it has not evaluated yet); no matching node makes the policy Ignored; any failed or aborted enactment of the
 * current generation makes it Degraded; nodes that did not finish keep it Progressing, and those that did not start
 * are its pending ones; otherwise it is Available.
 */
final class PolicyConditions {

    // one list per case; each event only sets the message that carries the counts
    private static final ConditionList NOT_EVALUATED = ConditionList.EMPTY
        .set(AVAILABLE, UNKNOWN, "", "")
        .set(DEGRADED, UNKNOWN, "", "")
        .set(PROGRESSING, UNKNOWN, "", "")
        .set(IGNORED, UNKNOWN, "", "");
    private static final ConditionList NOT_MATCHING = ConditionList.EMPTY
        .set(AVAILABLE, FALSE, NO_MATCHING_NODE, "")
        .set(DEGRADED, FALSE, NO_MATCHING_NODE, "")
        .set(PROGRESSING, FALSE, NO_MATCHING_NODE, "")
        .set(IGNORED, TRUE, NO_MATCHING_NODE, "");
    private static final ConditionList FAILED = ConditionList.EMPTY
        .set(AVAILABLE, FALSE, FAILED_TO_CONFIGURE, "")
        .set(DEGRADED, TRUE, FAILED_TO_CONFIGURE, "")
        .set(PROGRESSING, FALSE, CONFIGURATION_PROGRESSING, "")
        .set(IGNORED, FALSE, FAILED_TO_CONFIGURE, "");
    private static final ConditionList IN_PROGRESS = ConditionList.EMPTY
        .set(AVAILABLE, UNKNOWN, CONFIGURATION_PROGRESSING, "")
        .set(DEGRADED, UNKNOWN, CONFIGURATION_PROGRESSING, "")
        .set(PROGRESSING, TRUE, CONFIGURATION_PROGRESSING, "")
        .set(IGNORED, FALSE, CONFIGURATION_PROGRESSING, "");
    private static final ConditionList SUCCESS = ConditionList.EMPTY
        .set(AVAILABLE, TRUE, SUCCESSFULLY_CONFIGURED, "")
        .set(DEGRADED, FALSE, SUCCESSFULLY_CONFIGURED, "")
        .set(PROGRESSING, FALSE, SUCCESSFULLY_CONFIGURED, "")
        .set(IGNORED, FALSE, SUCCESSFULLY_CONFIGURED, "");

    private PolicyConditions() {
    }

    /**
     * @param counts the policy's enactments
     * @param matching nodes the policy matches
     * @param known whether anything said yet which nodes the policy matches (the reconciler's count, or enactments)
     */
    static ConditionList of(PhaseCounts counts, int matching, boolean known) {
        if (!known) {
            return NOT_EVALUATED;
        }
        if (matching == 0) {
            return NOT_MATCHING.withMessage(IGNORED, "Policy does not match any node");
        }
        if (counts.failed() > 0 || counts.aborted() > 0) {
            String message = counts.failed() + "/" + matching + " nodes failed to configure";
            if (counts.aborted() > 0) {
                message += ", " + counts.aborted() + " nodes aborted configuration";
            }
            return FAILED.withMessage(DEGRADED, message);
        }
        if (counts.finished() < matching) {
            String message = "Policy is progressing " + counts.finished() + "/" + matching + " nodes finished";
            int pending = matching - counts.started();
            if (pending > 0) {
                message += ", " + pending + " pending";
            }
            return IN_PROGRESS.withMessage(PROGRESSING, message);
        }
        return SUCCESS.withMessage(AVAILABLE, counts.available() + "/" + matching + " nodes successfully configured");
    }
}
