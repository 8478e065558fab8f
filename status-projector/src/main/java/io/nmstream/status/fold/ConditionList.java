package io.nmstream.status.fold;

import io.nmstream.schemas.avro.StatusCondition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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

    private final List<Desired> desired = new ArrayList<>(5);

    /** One condition a resource should carry. */
    private record Desired(String type, String status, String reason, String message) {

        /** True when {@code condition} already says exactly this (its transition time then stays too). */
        boolean saidBy(StatusCondition condition) {
            return condition.getStatus().equals(status) && condition.getReason().equals(reason) && condition.getMessage().equals(message);
        }
    }

    /** Adds (or replaces) the desired condition of {@code type}. */
    public ConditionList set(String type, String status, String reason, String message) {
        for (int i = 0; i < desired.size(); i++) {
            if (desired.get(i).type().equals(type)) {
                desired.remove(i);
                break;
            }
        }
        desired.add(new Desired(type, status, reason, message == null ? "" : message));
        return this;
    }

    /**
     * The conditions to store: the desired ones, each keeping the previous {@code lastTransitionTime} of its type when
     * its status did not change. A condition that did not change at all is the previous one itself, and when none
     * changed the result is {@code previous}: the fold builds conditions for every event, and most events change few.
     */
    public List<StatusCondition> buildFrom(List<StatusCondition> previous, Instant now) {
        List<StatusCondition> next = new ArrayList<>(desired.size());
        boolean unchanged = previous.size() == desired.size();
        for (int i = 0; i < desired.size(); i++) {
            Desired d = desired.get(i);
            StatusCondition before = lastOfType(previous, d.type());
            StatusCondition condition;
            if (before != null && d.saidBy(before)) {
                condition = before;
            } else {
                Instant transition = before != null && before.getStatus().equals(d.status()) ? before.getLastTransitionTime() : now;
                condition = new StatusCondition(d.type(), d.status(), d.reason(), d.message(), transition);
            }
            unchanged = unchanged && condition == previous.get(i);
            next.add(condition);
        }
        return unchanged ? previous : next;
    }

    /** The condition of {@code type} in {@code conditions}, the last one should there be several; a handful at most. */
    private static StatusCondition lastOfType(List<StatusCondition> conditions, String type) {
        for (int i = conditions.size() - 1; i >= 0; i--) {
            if (conditions.get(i).getType().equals(type)) {
                return conditions.get(i);
            }
        }
        return null;
    }
}
