/**
 * The policy-partitioned half of the reconciler: one rollout per policy generation, granting at most maxUnavailable
 * slots at a time, derived from the policy's enactment events.
 */
package io.nmstream.reconciler.rollout;
