package io.nmstream.reconciler.rollout;

/**
 * One node partition's share of one policy's rollout, as the partition sends it to the policy's
 * {@link RolloutCoordinator}: the partition's slot request, its slot returns and its report in one message.
 *
 * <p>Every field is the partition's state at the time, not a change: the counters {@code granted} and {@code returned}
 * only grow, so a request read twice or out of date never counts twice, and the latest one says all.
 *
 * @param policy policy name
 * @param uid policy uid the partition holds
 * @param generation policy generation the partition holds
 * @param partition the node partition (the reconciler's task) the share is of
 * @param matched nodes of the partition that match the policy
 * @param waiting nodes of the partition queued for a slot of {@code generation}
 * @param holding slots the partition uses: nodes granted or applying under a slot, and nodes that failed this generation
 * @param failures nodes of the partition that failed this generation (a failure keeps its slot)
 * @param granted slots granted to the partition so far, as far as it has heard
 * @param returned slots the partition has given back so far
 * @param gone the partition let go of the policy (it was deleted): the coordinator forgets the partition's share
 */
public record SlotRequest(String policy, String uid, long generation, int partition, int matched, int waiting, int holding, int failures,
                          long granted, long returned, boolean gone) {
}
