package io.nmstream.reconciler.node;

import io.nmstream.reconciler.rollout.SlotRequest;
import io.nmstream.schemas.avro.DesiredStateCommand;
import io.nmstream.schemas.avro.EnactmentEvent;

/** What the node reconciler writes: commands to nodes, enactment events, and slot requests to rollout coordinators. */
public sealed interface NodeOutput {

    /** A command, keyed by node. */
    record Command(DesiredStateCommand command) implements NodeOutput {
    }

    /** An enactment event, keyed by {@code node.policy}. */
    record Enactment(EnactmentEvent event) implements NodeOutput {
    }

    /** This partition's share of a policy's rollout, keyed by policy name, for the policy's coordinator. */
    record Request(SlotRequest request) implements NodeOutput {
    }
}
