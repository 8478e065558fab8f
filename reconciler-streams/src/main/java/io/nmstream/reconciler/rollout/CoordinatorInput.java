package io.nmstream.reconciler.rollout;

import io.nmstream.reconciler.PolicySpec;
import io.nmstream.schemas.avro.EnactmentEvent;

/** One input of the rollout coordinator, keyed by policy name: a policy change, or an enactment event of that policy. */
public sealed interface CoordinatorInput {

    /** The policy was created, changed or deleted. */
    record PolicyChange(PolicySpec spec) implements CoordinatorInput {
    }

    /** A node asked for a slot, reported a result, timed out or let go of the policy. */
    record Enactment(EnactmentEvent event) implements CoordinatorInput {
    }
}
