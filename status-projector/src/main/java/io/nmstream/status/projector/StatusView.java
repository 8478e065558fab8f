package io.nmstream.status.projector;

import io.nmstream.schemas.avro.ResourceKind;
import io.nmstream.schemas.avro.ResourceStatus;
import io.nmstream.status.fold.StatusKey;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The projection as other threads query it: the current status of every existing NNCP, NNCE and NNS.
 *
 * <p>The projector thread writes it after each batch is published; any thread may read it.
 */
public final class StatusView {

    private final ConcurrentSkipListMap<String, ResourceStatus> byKey = new ConcurrentSkipListMap<>();

    /** Records a status; a deleted one is removed. */
    void put(ResourceStatus status) {
        if (status.getDeleted()) {
            byKey.remove(StatusKey.of(status));
        } else {
            byKey.put(StatusKey.of(status), status);
        }
    }

    void putAll(Collection<ResourceStatus> statuses) {
        statuses.forEach(this::put);
    }

    /** The status of one resource. */
    public Optional<ResourceStatus> get(ResourceKind kind, String name) {
        return Optional.ofNullable(byKey.get(StatusKey.of(kind, name)));
    }

    /** The statuses of one kind, by name. */
    public List<ResourceStatus> list(ResourceKind kind) {
        String prefix = StatusKey.of(kind, "");
        return List.copyOf(byKey.subMap(prefix, prefix + Character.MAX_VALUE).values());
    }

    /** Every status by key. */
    public Map<String, ResourceStatus> snapshot() {
        return Map.copyOf(byKey);
    }
}
