package io.nmstream.ingest.publish;

import io.nmstream.schemas.avro.PolicyAction;
import io.nmstream.schemas.avro.PolicyEvent;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The latest event per policy name on the policies topic: the state every publisher derives generations, uids and
 * "unchanged" from, so that several ingest replicas agree with each other.
 */
public final class PublishedPolicies {

    private final Map<String, PolicyEvent> latest;

    public PublishedPolicies(Map<String, PolicyEvent> latest) {
        this.latest = new TreeMap<>(latest);
    }

    /** Folds events in topic order, later events for a name replacing earlier ones. */
    public static PublishedPolicies fold(Collection<PolicyEvent> eventsInOrder) {
        Map<String, PolicyEvent> latest = new TreeMap<>();
        eventsInOrder.forEach(event -> latest.put(event.getName(), event));
        return new PublishedPolicies(latest);
    }

    /** The latest event of {@code name}, an upsert or a delete, if any was ever published. */
    public Optional<PolicyEvent> latest(String name) {
        return Optional.ofNullable(latest.get(name));
    }

    /** The policy as currently in force: its latest event when that is an upsert. */
    public Optional<PolicyEvent> live(String name) {
        return latest(name).filter(event -> event.getAction() == PolicyAction.UPSERT);
    }

    /** Every policy currently in force, by name. */
    public List<PolicyEvent> live() {
        return latest.values().stream().filter(event -> event.getAction() == PolicyAction.UPSERT).toList();
    }
}
