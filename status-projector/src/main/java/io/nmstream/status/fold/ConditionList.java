package io.nmstream.status.fold;

import io.nmstream.schemas.avro.StatusCondition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one helper that builds conditions: a resource's next condition list from its previous one and the conditions it
 * should now carry.
 *
 * <p>As in kubernetes-nmstate's {@code ConditionList.Set}, a condition keeps its {@code lastTransitionTime} unless its
 * status changes; reason and message may change without a transition. A condition type seen for the first time takes
 * {@code now}. The result is in the order the desired conditions are given, so that equal states compare equal.
 */
public final class ConditionList {

    /** Condition status values, as Kubernetes spells them. */
    public static final String TRUE = "True";
    public static final String FALSE = "False";
    public static final String UNKNOWN = "Unknown";

    private final List<Desired> desired = new ArrayList<>();

    /** One condition a resource should carry. */
    private record Desired(String type, String status, String reason, String message) {
    }

    /** Adds (or replaces) the desired condition of {@code type}. */
    public ConditionList set(String type, String status, String reason, String message) {
        desired.removeIf(d -> d.type().equals(type));
        desired.add(new Desired(type, status, reason, message == null ? "" : message));
        return this;
    }

    /**
     * The conditions to store: the desired ones, each keeping the previous {@code lastTransitionTime} of its type when
     * its status did not change.
     */
    public List<StatusCondition> buildFrom(List<StatusCondition> previous, Instant now) {
        Map<String, StatusCondition> byType = new HashMap<>();
        for (StatusCondition condition : previous) {
            byType.put(condition.getType(), condition);
        }
        List<StatusCondition> next = new ArrayList<>(desired.size());
        for (Desired d : desired) {
            StatusCondition before = byType.get(d.type());
            Instant transition = before != null && before.getStatus().equals(d.status()) ? before.getLastTransitionTime() : now;
            next.add(new StatusCondition(d.type(), d.status(), d.reason(), d.message(), transition));
        }
        return next;
    }
}
