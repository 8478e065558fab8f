package io.nmstream.reconciler.rollout;

import io.nmstream.reconciler.PolicySpec;

/** One input of the rollout coordinator, keyed by policy name: a policy change, or a node partition's slot request. */
public sealed interface CoordinatorInput {

    /** The policy was created, changed or deleted. */
    record PolicyChange(PolicySpec spec) implements CoordinatorInput {
    }

    /** A node partition's share of the policy's rollout. */
    record Request(SlotRequest request) implements CoordinatorInput {
    }
}
