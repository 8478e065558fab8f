package io.nmstream.common.status;

import io.nmstream.schemas.avro.ResourceKind;
import io.nmstream.schemas.avro.ResourceStatus;
import io.nmstream.schemas.avro.StatusCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Waits, as {@code kubectl wait nncp/NAME --for=condition=Available} does, until a policy's status has a condition,
 * and does better in two ways a pipeline needs: only the status of the policy's generation (or a later one) counts,
 * so an earlier generation's Available never ends the wait of a change just applied; and a Degraded policy ends the
 * wait as soon as none of its failed nodes is still retrying, with the failing nodes' messages, instead of running into
 * the timeout.
 */
public final class PolicyWait {

    /** How a wait ended. */
    public enum Outcome {
        /** The condition holds for the generation. */
        MET,
        /** The policy is Degraded: some nodes failed, or were aborted. */
        DEGRADED,
        /** The policy was deleted while it was waited for. */
        DELETED,
        /** Neither within the timeout. */
        TIMED_OUT
    }

    /**
     * What a wait ended with.
     *
     * @param outcome how it ended
     * @param policy the policy's status last read; null when none was read for the generation
     * @param failures for a Degraded policy, {@code <node>: <message>} of each node that failed the generation; for a
     *     deletion that timed out, the enactments still there
     */
    public record Result(Outcome outcome, ResourceStatus policy, List<String> failures) {
    }

    /**
     * How far the rollout is, from the counts in the policy's message
     * ({@code Policy is progressing 3/10 nodes finished}, {@code 10/10 nodes successfully configured}).
     *
     * @param done nodes finished (or, for a Degraded policy, failed)
     * @param total nodes the policy matches; 0 while unknown
     */
    public record Progress(int done, int total) {
    }

    private static final String POLICY_LABEL = "nmstate.io/policy";
    private static final String DEGRADED = "Degraded";
    private static final String FAILING = "Failing";
    private static final String PROGRESSING = "Progressing";
    private static final String TRUE = "True";
    private static final String UNKNOWN = "Unknown";
    private static final Pattern COUNTS = Pattern.compile("(\\d+)/(\\d+) nodes");
    private static final Duration POLL = Duration.ofMillis(250);

    private final String policy;
    private final long generation;
    private final String conditionType;
    private final String conditionStatus;

    /**
     * @param policy the policy's name
     * @param generation the generation whose status counts (a later one counts too)
     * @param conditionType e.g. {@code Available}
     * @param conditionStatus {@code True} or {@code False}, as in {@code --for=condition=Available=False}
     */
    public PolicyWait(String policy, long generation, String conditionType, String conditionStatus) {
        this.policy = policy;
        this.generation = generation;
        this.conditionType = conditionType;
        this.conditionStatus = conditionStatus;
    }

    /**
     * Reads {@code follower} until the condition holds, the policy is Degraded (unless Degraded is what is awaited), it is
     * deleted, or {@code timeout} passes. {@code onChange} sees every new status of the policy for the generation.
     *
     * <p>A deletion ends it when it is of the generation awaited or a later one, or was published after the wait caught
     * up. A status does not carry the policy's uid, but generations go on across a name's incarnations, so the deletion
     * of an earlier incarnation (whose new one the projector may not have shown yet) shows an earlier generation.
     */
    public Result await(StatusFollower follower, Duration timeout, Consumer<ResourceStatus> onChange) {
        Instant deadline = Instant.now().plus(timeout);
        Map<String, ResourceStatus> enactments = new LinkedHashMap<>();
        ResourceStatus current = null;
        List<ResourceStatus> batch = new ArrayList<>(follower.catchUp(timeout).values());
        boolean caughtUp = false;
        while (true) {
            for (ResourceStatus status : batch) {
                if (isThePolicyDeleted(status) && (caughtUp || status.getGeneration() >= generation)) {
                    return new Result(Outcome.DELETED, current, List.of());
                }
                if (isEnactmentOfThePolicy(status)) {
                    enactments.put(status.getName(), status);
                } else if (isThePolicy(status)) {
                    current = status;
                    onChange.accept(status);
                }
            }
            if (current != null) {
                if (holds(current, conditionType, conditionStatus)) {
                    return new Result(Outcome.MET, current, List.of());
                }
                if (!conditionType.equalsIgnoreCase(DEGRADED) && holds(current, DEGRADED, TRUE)
                    && degradedForGood(current, enactments.values())) {
                    return new Result(Outcome.DEGRADED, current, failures(enactments.values()));
                }
            }
            Duration left = Duration.between(Instant.now(), deadline);
            if (left.isNegative() || left.isZero()) {
                return new Result(Outcome.TIMED_OUT, current, List.of());
            }
            batch = follower.poll(left.compareTo(POLL) < 0 ? left : POLL);
            caughtUp = true;
        }
    }

    /**
     * Waits, as {@code kubectl wait --for=delete} does, until the policy's status is deleted, and also its enactments:
     * a node that reverts the policy (revertOnDelete) keeps its NNCE until it has. The policy's deletion must show the
     * generation awaited or a later one (an earlier incarnation's deletion shows an earlier one); for a policy whose
     * latest event is already its deletion ({@code alreadyDeleted}), any deletion does, and so does no status at all.
     *
     * @param policy the policy's name
     * @param generation the policy's latest generation (ignored when {@code alreadyDeleted})
     * @return {@link Outcome#MET} or {@link Outcome#TIMED_OUT}, with the policy's last status read (null when none was)
     */
    public static Result awaitDeletion(String policy, long generation, boolean alreadyDeleted, StatusFollower follower,
                                       Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        long deletedAt = alreadyDeleted ? 0 : generation;
        ResourceStatus current = null;
        boolean policyGone = alreadyDeleted;
        Map<String, ResourceStatus> enactments = new LinkedHashMap<>();
        List<ResourceStatus> batch = new ArrayList<>(follower.catchUp(timeout).values());
        while (true) {
            for (ResourceStatus status : batch) {
                if (status.getKind() == ResourceKind.NNCP && status.getName().equals(policy)) {
                    current = status;
                    policyGone = status.getDeleted() && status.getGeneration() >= deletedAt;
                } else if (status.getKind() == ResourceKind.NNCE && policy.equals(status.getLabels().get(POLICY_LABEL))) {
                    if (status.getDeleted()) {
                        enactments.remove(status.getName());
                    } else {
                        enactments.put(status.getName(), status);
                    }
                }
            }
            if (policyGone && enactments.isEmpty()) {
                return new Result(Outcome.MET, current, List.of());
            }
            Duration left = Duration.between(Instant.now(), deadline);
            if (left.isNegative() || left.isZero()) {
                return new Result(Outcome.TIMED_OUT, current, List.of(enactments.keySet().toArray(String[]::new)));
            }
            batch = follower.poll(left.compareTo(POLL) < 0 ? left : POLL);
        }
    }

    /** The counts the policy's condition message gives. */
    public static Progress progress(ResourceStatus policy) {
        for (StatusCondition condition : policy.getConditions()) {
            if (condition.getStatus().equals(TRUE)) {
                Optional<Progress> counts = counts(condition);
                if (counts.isPresent()) {
                    return counts.get();
                }
            }
        }
        return new Progress(0, 0);
    }

    /** The {@code done/total nodes} counts a condition's message gives, if it gives them. */
    private static Optional<Progress> counts(StatusCondition condition) {
        Matcher counts = COUNTS.matcher(condition.getMessage());
        return counts.find() ? Optional.of(new Progress(Integer.parseInt(counts.group(1)), Integer.parseInt(counts.group(2))))
            : Optional.empty();
    }

    /**
     * The first True condition and its message, e.g. {@code Progressing: Policy is progressing 0/3 nodes finished}; for a
     * policy the reconciler has not matched yet (every condition Unknown, as a new NNCP starts), says so.
     */
    public static String summary(ResourceStatus policy) {
        Optional<StatusCondition> first = policy.getConditions().stream().filter(c -> c.getStatus().equals(TRUE)).findFirst();
        return first.map(c -> c.getType() + (c.getMessage().isEmpty() ? "" : ": " + c.getMessage()))
            .orElseGet(() -> policy.getConditions().stream().allMatch(c -> c.getStatus().equals(UNKNOWN))
                ? UNKNOWN + ": the reconciler has not matched it to nodes yet" : UNKNOWN);
    }

    /** True when {@code status} has condition {@code type} with {@code wanted} status (names compared as kubectl does). */
    public static boolean holds(ResourceStatus status, String type, String wanted) {
        return status.getConditions().stream().anyMatch(c -> c.getType().equalsIgnoreCase(type)
            && c.getStatus().toLowerCase(Locale.ROOT).equals(wanted.toLowerCase(Locale.ROOT)));
    }

    private boolean isThePolicy(ResourceStatus status) {
        return status.getKind() == ResourceKind.NNCP && status.getName().equals(policy) && !status.getDeleted()
            && status.getGeneration() >= generation;
    }

    private boolean isThePolicyDeleted(ResourceStatus status) {
        return status.getKind() == ResourceKind.NNCP && status.getName().equals(policy) && status.getDeleted();
    }

    private boolean isEnactmentOfThePolicy(ResourceStatus status) {
        return status.getKind() == ResourceKind.NNCE && policy.equals(status.getLabels().get(POLICY_LABEL))
            && status.getGeneration() >= generation;
    }

    /**
     * Whether the Degraded {@code policy} stays so: every node it counts as failed has been read (NNCEs and the NNCP are on
     * different partitions of the status topic, so the policy's count may come first), and none of them is still
     * retrying. A retrying node is Failing and Progressing at once: the policy is Degraded meanwhile, as in
     * kubernetes-nmstate, but a later attempt may still succeed, so the wait goes on.
     */
    private static boolean degradedForGood(ResourceStatus policy, Iterable<ResourceStatus> enactments) {
        int failing = 0;
        for (ResourceStatus nnce : enactments) {
            if (holds(nnce, FAILING, TRUE)) {
                if (holds(nnce, PROGRESSING, TRUE)) {
                    return false;
                }
                failing++;
            }
        }
        return failing >= failedCount(policy);
    }

    /** The count of failed nodes the policy's Degraded condition gives ({@code 2/3 nodes failed to configure}); 0 if none. */
    private static int failedCount(ResourceStatus policy) {
        return policy.getConditions().stream().filter(c -> c.getType().equals(DEGRADED) && c.getStatus().equals(TRUE)).findFirst()
            .flatMap(PolicyWait::counts).map(Progress::done).orElse(0);
    }

    private static List<String> failures(Iterable<ResourceStatus> enactments) {
        List<String> failures = new ArrayList<>();
        for (ResourceStatus nnce : enactments) {
            nnce.getConditions().stream().filter(c -> c.getType().equals(FAILING) && c.getStatus().equals(TRUE)).findFirst()
                .ifPresent(c -> failures.add(nodeOf(nnce) + ": " + c.getMessage()));
        }
        return failures;
    }

    private static String nodeOf(ResourceStatus nnce) {
        String node = nnce.getLabels().get("nmstate.io/node");
        return node != null ? node : nnce.getName();
    }
}
