package io.nmstream.reconciler.node;

import io.nmstream.schemas.avro.DesiredStateCommand;
import io.nmstream.schemas.avro.EnactmentEvent;

/** What the node reconciler writes: commands to nodes, and enactment events. */
public sealed interface NodeOutput {

    /** A command, keyed by node. */
    record Command(DesiredStateCommand command) implements NodeOutput {
    }

    /** An enactment event, keyed by {@code node.policy}. */
    record Enactment(EnactmentEvent event) implements NodeOutput {
    }
}
