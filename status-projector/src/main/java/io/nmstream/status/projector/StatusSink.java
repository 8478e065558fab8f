package io.nmstream.status.projector;

import io.nmstream.schemas.avro.ResourceStatus;

/**
 * Something the projector hands each status to after it is published: first every status of the rebuilt projection,
 * then each change (a deleted resource comes with {@code deleted = true}).
 *
 * <p>Called on the projector thread: an implementation must return quickly and do its own slow work elsewhere.
 */
public interface StatusSink extends AutoCloseable {

    void accept(ResourceStatus status);

    @Override
    default void close() {
    }
}
