package io.nmstream.reconciler.rollout;

/**
 * A rollout coordinator's word to one node partition about one policy: how many slots it has leased to the partition so
 * far, and what the partition needs to tell its waiting nodes.
 *
 * <p>{@code granted} only grows: the partition takes the highest it has heard, so a lease read twice grants nothing
 * twice.
 *
 * @param policy policy name
 * @param uid policy uid the lease is for; a partition holding another incarnation ignores it
 * @param generation generation the coordinator is rolling out; {@code limitReached} and {@code aborted} are about it
 * @param partition the node partition the lease is for (the record is written to that partition)
 * @param granted slots leased to the partition so far
 * @param limit maxUnavailable as a number of nodes, for the nodes matched so far
 * @param limitReached every slot is leased: the partition's nodes still waiting wait for a slot to come free (said only
 *     once every partition matched the generation)
 * @param aborted failures of this generation reached maxUnavailable: no more nodes start it
 * @param overLimit the slots leased add up to more than the limit (it shrank): the partition gives back every slot that
 *     frees instead of giving it to its next queued node
 * @param everyPartitionMatched every node partition has matched {@code generation}: {@code limit} counts all of the
 *     policy's nodes, so the partition may tell its waiting nodes why they wait (before, the limit is a lower bound)
 */
public record SlotLease(String policy, String uid, long generation, int partition, long granted, int limit, boolean limitReached,
                        boolean aborted, boolean overLimit, boolean everyPartitionMatched) {
}
