package io.nmstream.reconciler.rollout;

import io.nmstream.schemas.avro.RolloutEvent;

/** What the rollout coordinator writes: slot leases to node partitions, and the public count of matched nodes. */
public sealed interface CoordinatorOutput {

    /** A lease for one node partition. */
    record Lease(SlotLease lease) implements CoordinatorOutput {
    }

    /** What the reconciler matched for a policy generation; null (a tombstone) once the policy is deleted. */
    record Rollout(RolloutEvent event) implements CoordinatorOutput {
    }
}
