package io.nmstream.reconciler.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.schemas.avro.RolloutEvent;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The coordinator's ledger on its own, with several node partitions, as only a real cluster has them: leases never add
 * up to more than maxUnavailable, freed slots go where nodes wait, failures abort exactly, and the matched count is
 * published once every partition has matched.
 */
class RolloutStateTest {

    private static final String UID = "uid-1";

    private final RolloutState state = RolloutState.unknownPolicy("eth1");
    /** What each partition was leased so far, as the leases say. */
    private final Map<Integer, Long> granted = new TreeMap<>();
    private final Map<Integer, Long> returned = new TreeMap<>();
    /** Node partitions of the test's cluster: the generation is matched everywhere once each of them has asked. */
    private int partitionCount = 1;

    @Test
    void leasesAddUpToAtMostTheLimitWhateverThePartitionsAsk() {
        partitionCount = 6;
        state.startGeneration(UID, 1, "10%");
        for (int partition = 0; partition < 6; partition++) {
            request(partition, 1, 100, 100, 0, 0);
            assertThat(total()).as("leased after partition %d asked", partition).isLessThanOrEqualTo(state.limit());
        }
        assertThat(state.limit()).isEqualTo(60);
        assertThat(total()).as("every slot leased: all partitions have nodes waiting").isEqualTo(60);
    }

    @Test
    void slotsGivenBackGoToPartitionsWithNodesWaitingTakingTurns() {
        partitionCount = 3;
        state.startGeneration(UID, 1, "2");
        request(0, 1, 3, 3, 0, 0);
        request(1, 1, 3, 3, 0, 0);
        request(2, 1, 3, 3, 0, 0);
        assertThat(granted).containsEntry(0, 2L).doesNotContainKeys(1, 2);

        // partition 0 finished two nodes and has one left waiting; it reuses one slot and gives one back
        request(0, 1, 3, 0, 1, 1);
        assertThat(granted).containsEntry(1, 1L).doesNotContainKey(2);
        request(0, 1, 3, 0, 0, 2);
        assertThat(granted).as("the next slot goes to the partition whose turn it is").containsEntry(2, 1L).containsEntry(1, 1L);
        assertThat(total()).isEqualTo(2);
    }

    @Test
    void aPartitionLeftWaitingIsToldTheLimitIsReachedOnceEveryPartitionMatchedAndOneServedIsNot() {
        partitionCount = 2;
        state.startGeneration(UID, 1, "1");
        List<SlotLease> first = request(0, 1, 2, 2, 0, 0);
        assertThat(first).singleElement().satisfies(lease -> {
            assertThat(lease.granted()).isEqualTo(1);
            assertThat(lease.everyPartitionMatched()).isFalse();
            assertThat(lease.limitReached()).as("not said before every partition matched the generation").isFalse();
        });

        List<SlotLease> second = request(1, 1, 1, 1, 0, 0);

        assertThat(second).extracting(SlotLease::partition).containsExactly(0, 1);
        assertThat(second).allSatisfy(lease -> {
            assertThat(lease.everyPartitionMatched()).isTrue();
            assertThat(lease.limitReached()).as("a node still waits in each and the only slot is leased").isTrue();
        });
        assertThat(second.get(0).granted()).isEqualTo(1);
        assertThat(second.get(1).granted()).isZero();
    }

    @Test
    void beforeEveryPartitionMatchedANewGenerationItLeasesWithinTheNewLimitNotTheOldSelectorsCount() {
        partitionCount = 3;
        state.startGeneration(UID, 1, "50%");
        for (int partition = 0; partition < 3; partition++) {
            request(partition, 1, 100, 0, 0, 0);
        }
        assertThat(state.limit()).isEqualTo(150);

        // generation 2 narrows the selector to 10 nodes, all in partition 0, which matches it first
        state.startGeneration(UID, 2, "50%");
        request(0, 2, 10, 10, 0, 0);
        assertThat(total()).as("leased while partitions 1 and 2 still count generation 1's 200 nodes").isLessThanOrEqualTo(5);

        request(1, 2, 0, 0, 0, 0);
        request(2, 2, 0, 0, 0, 0);
        assertThat(state.limit()).isEqualTo(5);
        assertThat(total()).isEqualTo(5);
    }

    @Test
    void failuresBeforeEveryPartitionMatchedTheGenerationDoNotAbortItAgainstAPartialLimit() {
        partitionCount = 3;
        state.startGeneration(UID, 1, "10%");
        request(0, 1, 100, 100, 0, 0);
        assertThat(total()).as("10%% of the 100 nodes matched so far").isEqualTo(10);

        List<SlotLease> afterTenFailures = request(0, 1, 100, 90, 10, 0, 10);
        assertThat(afterTenFailures).noneMatch(SlotLease::aborted);
        assertThat(state.aborted()).isFalse();

        request(1, 1, 100, 100, 0, 0);
        request(2, 1, 100, 100, 0, 0);
        assertThat(state.limit()).isEqualTo(30);
        assertThat(state.aborted()).as("10 failures of a limit of 30").isFalse();
        assertThat(total()).as("the slots the failures do not hold are leased").isEqualTo(30);

        // the nodes admitted in partitions 1 and 2 fail too: 30 failures
        request(1, 1, 100, 90, 10, 0, 10);
        assertThat(state.aborted()).isFalse();
        List<SlotLease> atTheLimit = request(2, 1, 100, 90, 10, 0, 10);
        assertThat(atTheLimit).extracting(SlotLease::partition).containsExactlyInAnyOrder(0, 1, 2);
        assertThat(atTheLimit).allMatch(SlotLease::aborted);
    }

    @Test
    void failuresReachingTheLimitAbortEveryPartitionAndLeaseNothingMore() {
        partitionCount = 2;
        state.startGeneration(UID, 1, "2");
        request(0, 1, 4, 4, 0, 0);
        request(1, 1, 4, 4, 0, 0);
        assertThat(granted).containsEntry(0, 2L);

        List<SlotLease> afterOneFailure = request(0, 1, 4, 2, 2, 0, 1);
        assertThat(afterOneFailure).noneMatch(SlotLease::aborted);
        List<SlotLease> afterTwo = request(0, 1, 4, 2, 2, 0, 2);

        assertThat(afterTwo).extracting(SlotLease::partition).containsExactlyInAnyOrder(0, 1);
        assertThat(afterTwo).allMatch(SlotLease::aborted);
        assertThat(state.leased()).as("every slot is held by a failure: no partition could admit a node").isEqualTo(state.limit());
        request(0, 1, 4, 2, 2, 2, 2);
        assertThat(granted).as("slots given back after the abort are leased to no one").doesNotContainKey(1);
    }

    @Test
    void aNewGenerationLiftsTheAbortAndForgetsOldFailures() {
        state.startGeneration(UID, 1, "1");
        request(0, 1, 3, 3, 0, 0);
        List<SlotLease> aborted = request(0, 1, 3, 2, 1, 0, 1);
        assertThat(aborted).singleElement().satisfies(lease -> assertThat(lease.aborted()).isTrue());

        state.startGeneration(UID, 2, "1");
        // the failed node's slot is free again for generation 2: the partition admitted a node with it and two wait
        List<SlotLease> answer = request(0, 2, 3, 2, 1, 0, 0);

        assertThat(state.aborted()).isFalse();
        assertThat(answer).singleElement().satisfies(lease -> {
            assertThat(lease.aborted()).isFalse();
            assertThat(lease.limitReached()).isTrue();
            assertThat(lease.granted()).as("the one slot it already had").isEqualTo(1);
        });
    }

    @Test
    void aLimitThatShrankIsOverUntilTheSlotsInUseAreGivenBackAndNothingIsLeasedMeanwhile() {
        state.startGeneration(UID, 1, "4");
        request(0, 1, 10, 10, 0, 0);
        assertThat(granted).containsEntry(0, 4L);

        state.startGeneration(UID, 2, "1");
        List<SlotLease> told = request(0, 2, 10, 10, 4, 0);
        assertThat(told).singleElement().satisfies(lease -> {
            assertThat(lease.overLimit()).as("4 slots in use, the limit is now 1").isTrue();
            assertThat(lease.granted()).isEqualTo(4);
        });

        // three of generation 1's nodes finished and their slots went back
        told = request(0, 2, 10, 10, 1, 3);
        assertThat(told).singleElement().satisfies(lease -> {
            assertThat(lease.overLimit()).isFalse();
            assertThat(lease.limitReached()).isTrue();
            assertThat(lease.granted()).as("nothing more: the last slot is still in use").isEqualTo(4);
        });
    }

    @Test
    void nodesWaitingForAGenerationTheCoordinatorHasNotSeenGetSlotsWhenItArrives() {
        state.startGeneration(UID, 1, "1");
        request(0, 2, 1, 1, 0, 0);
        assertThat(granted).isEmpty();

        state.startGeneration(UID, 2, "1");
        List<SlotLease> leases = state.distribute(-1, partitionCount);

        assertThat(leases).singleElement().satisfies(lease -> assertThat(lease.granted()).isEqualTo(1));
    }

    @Test
    void requestsOfAnotherIncarnationAreIgnoredAndANewOneStartsAfresh() {
        state.startGeneration(UID, 1, "1");
        request(0, 1, 1, 1, 0, 0);
        assertThat(state.record(new SlotRequest("eth1", "old-uid", 1, 1, 5, 5, 0, 0, 0, 0, false))).isFalse();

        state.startGeneration("uid-2", 1, "1");

        assertThat(state.leased()).as("the old incarnation's leases are gone with it").isZero();
        assertThat(state.matched()).isZero();
    }

    @Test
    void theMatchedCountIsPublishedOnceEveryPartitionMatchedTheGeneration() {
        state.startGeneration(UID, 1, "50%");
        request(0, 1, 3, 0, 0, 0);
        assertThat(state.publication(3, 0)).isNull();
        request(1, 1, 0, 0, 0, 0);
        request(2, 1, 4, 0, 0, 0);

        RolloutEvent published = state.publication(3, 0);
        assertThat(published).isNotNull();
        assertThat(published.getMatchedNodes()).isEqualTo(7);
        assertThat(published.getMaxUnavailableNodes()).isEqualTo(4);
        assertThat(state.publication(3, 0)).as("published once").isNull();
        request(1, 1, 1, 0, 0, 0);
        assertThat(state.publication(3, 0).getMatchedNodes()).isEqualTo(8);
    }

    @Test
    void aPartitionThatLetGoOfThePolicyIsForgotten() {
        state.startGeneration(UID, 1, "1");
        request(0, 1, 1, 1, 0, 0);
        assertThat(state.leased()).isEqualTo(1);

        state.record(new SlotRequest("eth1", UID, 1, 0, 0, 0, 0, 0, 1, 0, true));

        assertThat(state.leased()).isZero();
        assertThat(state.matched()).isZero();
    }

    private List<SlotLease> request(int partition, long generation, int matched, int waiting, int holding, long returnedSoFar) {
        return request(partition, generation, matched, waiting, holding, returnedSoFar, 0);
    }

    /** A partition's request as a partition builds it: what it heard so far, and what it gave back so far in all. */
    private List<SlotLease> request(int partition, long generation, int matched, int waiting, int holding, long returnedSoFar,
                                    int failures) {
        returned.put(partition, returnedSoFar);
        state.record(new SlotRequest("eth1", UID, generation, partition, matched, waiting, holding, failures,
            granted.getOrDefault(partition, 0L), returnedSoFar, false));
        List<SlotLease> leases = state.distribute(partition, partitionCount);
        leases.forEach(lease -> granted.merge(lease.partition(), lease.granted(), Math::max));
        granted.values().removeIf(g -> g == 0);
        return leases;
    }

    /** Slots leased and not given back, as the partitions would count them. */
    private long total() {
        return granted.entrySet().stream().mapToLong(e -> e.getValue() - returned.getOrDefault(e.getKey(), 0L)).sum();
    }
}
