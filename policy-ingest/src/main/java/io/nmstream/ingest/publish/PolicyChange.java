package io.nmstream.ingest.publish;

import io.nmstream.common.status.NmstateKind;
import io.nmstream.schemas.avro.PolicyEvent;
import java.util.Objects;

/**
 * What publishing one policy would do: create it, change it, leave it as it is, or delete it.
 *
 * @param kind the kind of change
 * @param name the policy's name
 * @param previous the latest event already published for the name, or null
 * @param event the event to publish, or null when the change is {@link Kind#UNCHANGED}
 */
public record PolicyChange(Kind kind, String name, PolicyEvent previous, PolicyEvent event) {

    /** The kinds of change, as {@code diff} and {@code apply} print them. */
    public enum Kind {
        CREATE, UPDATE, UNCHANGED, DELETE
    }

    public PolicyChange {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        if ((kind == Kind.UNCHANGED) != (event == null)) {
            throw new IllegalArgumentException("only an unchanged policy has no event to publish");
        }
    }

    /** True when there is an event to publish. */
    public boolean publishes() {
        return event != null;
    }

    /**
     * One line for a terminal, in the words of {@code kubectl apply} (and of {@code kubectl delete} for a deletion), so
     * that a script written against kubectl's output reads it, with the generation added:
     * {@code nodenetworkconfigurationpolicy.nmstate.io/bond configured (generation 2 -> 3)}.
     */
    public String describe() {
        return describe("");
    }

    /**
     * As {@link #describe()}, with {@code mood} before the verb of a change: {@code "would be "} for what {@code policy
     * diff} prints ({@code nodenetworkconfigurationpolicy.nmstate.io/bond would be configured (generation 2 -> 3)}).
     */
    public String describe(String mood) {
        String object = NmstateKind.NNCP.objectName(name);
        return switch (kind) {
            case CREATE -> object + " " + mood + "created (generation " + event.getGeneration() + ")";
            case UPDATE -> object + " " + mood + "configured (generation " + previous.getGeneration() + " -> " + event.getGeneration()
                + ")";
            case UNCHANGED -> object + " unchanged (generation " + previous.getGeneration() + ")";
            case DELETE -> NmstateKind.NNCP.quotedName(name) + " " + mood + "deleted";
        };
    }
}
