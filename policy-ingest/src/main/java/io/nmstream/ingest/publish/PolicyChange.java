package io.nmstream.ingest.publish;

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

    /** One line for a terminal: {@code policy/bond updated (generation 3)}. */
    public String describe() {
        return switch (kind) {
            case CREATE -> "policy/" + name + " created (generation " + event.getGeneration() + ")";
            case UPDATE -> "policy/" + name + " updated (generation " + previous.getGeneration() + " -> " + event.getGeneration() + ")";
            case UNCHANGED -> "policy/" + name + " unchanged (generation " + previous.getGeneration() + ")";
            case DELETE -> "policy/" + name + " deleted";
        };
    }
}
