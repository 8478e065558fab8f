package io.nmstream.reconciler.node;

import io.nmstream.reconciler.PolicySpec;
import io.nmstream.reconciler.rollout.SlotLease;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.NodeEvent;
import java.util.Map;

/** One input of the node reconciler: inventory (keyed by node), a broadcast policy (keyed by policy), a report or a lease. */
public sealed interface NodeInput {

    /**
     * The node joined, changed labels, or left ({@code removed}).
     *
     * @param registration the record as read, for its signature (null for a tombstone)
     */
    record Inventory(Map<String, String> labels, boolean removed, NodeEvent registration) implements NodeInput {
    }

    /** An operator's re-key: one more key the node may sign with. */
    record Identity(String publicKey) implements NodeInput {
    }

    /** A policy change, copied to every partition. The record key is the policy name. */
    record PolicyChange(PolicySpec spec) implements NodeInput {
    }

    /** A node agent's result of a command. */
    record Report(EnactmentEvent event) implements NodeInput {
    }

    /** A rollout coordinator's lease to this partition. The record key is the policy name. */
    record Lease(SlotLease lease) implements NodeInput {
    }
}
