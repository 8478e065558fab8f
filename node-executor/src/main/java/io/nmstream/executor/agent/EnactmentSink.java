package io.nmstream.executor.agent;

import io.nmstream.schemas.avro.EnactmentEvent;

/** Where a node's enactment events go; {@link #publish} returns once the event is durably written. */
@FunctionalInterface
public interface EnactmentSink {

    void publish(EnactmentEvent event);
}
