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
 *
 * <p>A list is immutable: {@link #set} and {@link #withMessage} return a new one. The fold builds the desired conditions
 * of every event, so the rules keep a list per case and change only the messages an event brings.
 */
public final class ConditionList {

    /** Condition status values, as Kubernetes spells them. */
    public static final String TRUE = "True";
    public static final String FALSE = "False";
    public static final String UNKNOWN = "Unknown";

    /** The list with no conditions, to {@link #set} them on. */
    public static final ConditionList EMPTY = new ConditionList(new Desired[0]);

    private final Desired[] desired;

    /** One condition a resource should carry. */
    private record Desired(String type, String status, String reason, String message) {

        /** True when {@code condition} already says exactly this (its transition time then stays too). */
        boolean saidBy(StatusCondition condition) {
            return condition.getStatus().equals(status) && condition.getReason().equals(reason) && condition.getMessage().equals(message);
        }
    }

    private ConditionList(Desired[] desired) {
        this.desired = desired;
    }

    /** This list with the desired condition of {@code type} added last, or moved last and replaced when it was there. */
    public ConditionList set(String type, String status, String reason, String message) {
        List<Desired> next = new ArrayList<>(desired.length + 1);
        for (Desired d : desired) {
            if (!d.type().equals(type)) {
                next.add(d);
            }
        }
        next.add(new Desired(type, status, reason, message == null ? "" : message));
        return new ConditionList(next.toArray(new Desired[0]));
    }

    /**
     * This list with the message of the condition of {@code type} replaced, in its place; this list itself when it already
     * has that message.
     *
     * @throws IllegalArgumentException when the list has no condition of {@code type}
     */
    public ConditionList withMessage(String type, String message) {
        String text = message == null ? "" : message;
        for (int i = 0; i < desired.length; i++) {
            Desired d = desired[i];
            if (d.type().equals(type)) {
                if (d.message().equals(text)) {
                    return this;
                }
                Desired[] next = desired.clone();
                next[i] = new Desired(type, d.status(), d.reason(), text);
                return new ConditionList(next);
            }
        }
        throw new IllegalArgumentException("No condition of type " + type + " to set the message of");
    }

    /**
     * The conditions to store: the desired ones, each keeping the previous {@code lastTransitionTime} of its type when
     * its status did not change. A condition that did not change at all is the previous one itself, and when none
     * changed the result is {@code previous}: the fold builds conditions for every event, and most events change few.
     */
    public List<StatusCondition> buildFrom(List<StatusCondition> previous, Instant now) {
        List<StatusCondition> next = new ArrayList<>(desired.length);
        boolean unchanged = previous.size() == desired.length;
        for (int i = 0; i < desired.length; i++) {
            Desired d = desired[i];
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
