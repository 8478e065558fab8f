package io.nmstream.status.fold;

import java.util.List;

/**
 * The vocabulary of kubernetes-nmstate status that users and tools already read: condition types, reasons, labels.
 */
public final class Nmstate {

    /** Label of an NNCE naming its node. */
    public static final String NODE_LABEL = "nmstate.io/node";
    /** Label of an NNCE naming its policy. */
    public static final String POLICY_LABEL = "nmstate.io/policy";

    /**
     * Key of an NNCE status's detail holding the desired state its node resolved from the policy's captures, shown as
     * the NNCE's {@code status.desiredState}; the detail's other keys are its {@code status.desiredStateMetaInfo}.
     */
    public static final String DESIRED_STATE = "desiredState";

    /** Condition types of an NNCE. */
    public static final String AVAILABLE = "Available";
    public static final String FAILING = "Failing";
    public static final String PROGRESSING = "Progressing";
    public static final String PENDING = "Pending";
    public static final String ABORTED = "Aborted";

    /** Condition types of an NNCP besides Available and Progressing. */
    public static final String DEGRADED = "Degraded";
    public static final String IGNORED = "Ignored";
    /** Every condition type an NNCP has. */
    public static final List<String> NNCP_CONDITIONS = List.of(AVAILABLE, DEGRADED, PROGRESSING, IGNORED);

    /** Reasons. */
    public static final String SUCCESSFULLY_CONFIGURED = "SuccessfullyConfigured";
    public static final String FAILED_TO_CONFIGURE = "FailedToConfigure";
    public static final String CONFIGURATION_PROGRESSING = "ConfigurationProgressing";
    public static final String MAX_UNAVAILABLE_LIMIT_REACHED = "MaxUnavailableLimitReached";
    /** nmstream's reason for a node queued for a rollout slot while the limit is not reached. */
    public static final String QUEUED_FOR_ROLLOUT = "QueuedForRollout";
    public static final String CONFIGURATION_ABORTED = "ConfigurationAborted";
    public static final String NO_MATCHING_NODE = "NoMatchingNode";

    private Nmstate() {
    }
}
