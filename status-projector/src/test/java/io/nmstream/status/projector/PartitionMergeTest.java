package io.nmstream.status.projector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.nmstream.status.projector.FoldInput.InputTopic;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PartitionMergeTest {

    private static final TopicPartition ENACTMENTS_0 = new TopicPartition("enactments", 0);
    private static final TopicPartition ENACTMENTS_1 = new TopicPartition("enactments", 1);
    private static final TopicPartition POLICIES_0 = new TopicPartition("policies", 0);

    @Test
    void holdsBackRecordsWhilePartitionThatHasNotEndedHasNothingBuffered() {
        PartitionMerge merge = new PartitionMerge(List.of(ENACTMENTS_0, ENACTMENTS_1));
        List<FoldInput> out = new ArrayList<>();

        merge.add(ENACTMENTS_0, List.of(enactment(0, 0, 1), enactment(0, 1, 3)));
        assertThat(merge.drain(out::add)).isZero();

        merge.add(ENACTMENTS_1, List.of(enactment(1, 0, 2)));
        assertThat(merge.drain(out::add)).isEqualTo(2);
        assertThat(out).extracting(FoldInput::partition, FoldInput::offset).containsExactly(tuple(0, 0L), tuple(1, 0L));

        merge.end(ENACTMENTS_1);
        assertThat(merge.drain(out::add)).isEqualTo(1);
        assertThat(out).extracting(FoldInput::time).containsExactly(at(1), at(2), at(3));
        assertThat(merge.finished()).isFalse();

        merge.end(ENACTMENTS_0);
        assertThat(merge.finished()).isTrue();
    }

    @Test
    void aFollowedPartitionHoldsTheOthersBackOnlyWhileItLagsAndTellsWhereItsBufferedRecordsStart() {
        PartitionMerge merge = new PartitionMerge(List.of(ENACTMENTS_0, ENACTMENTS_1));
        List<FoldInput> out = new ArrayList<>();
        merge.caughtUp(ENACTMENTS_0, true);
        merge.caughtUp(ENACTMENTS_1, true);

        // the consumer fetched partition 0 ahead of partition 1, which still has earlier records on the broker
        merge.add(ENACTMENTS_0, List.of(enactment(0, 10, 5), enactment(0, 11, 6)));
        merge.caughtUp(ENACTMENTS_1, false);
        assertThat(merge.drain(out::add)).isZero();
        assertThat(merge.firstBufferedOffset(ENACTMENTS_0)).isEqualTo(10L);
        assertThat(merge.firstBufferedOffset(ENACTMENTS_1)).isNull();

        merge.add(ENACTMENTS_1, List.of(enactment(1, 20, 4)));
        merge.caughtUp(ENACTMENTS_1, true);
        assertThat(merge.drain(out::add)).isEqualTo(3);
        assertThat(out).extracting(FoldInput::time).containsExactly(at(4), at(5), at(6));
        assertThat(merge.firstBufferedOffset(ENACTMENTS_0)).isNull();

        // both caught up: whatever arrives goes out at once
        merge.add(ENACTMENTS_0, List.of(enactment(0, 12, 7)));
        assertThat(merge.drain(out::add)).isEqualTo(1);
    }

    @Test
    void givesTheSameOrderWhateverTheBatchesTheRecordsArriveIn() {
        Random random = new Random(8);
        List<List<FoldInput>> byPartition = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        List<TopicPartition> partitions = List.of(ENACTMENTS_0, ENACTMENTS_1, POLICIES_0);
        long[] clock = new long[3];
        for (int i = 0; i < 3000; i++) {
            int p = random.nextInt(3);
            // times rise within a partition but interleave across partitions, with ties between them
            clock[p] += random.nextInt(3);
            InputTopic source = p == 2 ? InputTopic.POLICIES : InputTopic.ENACTMENTS;
            byPartition.get(p).add(input(source, p == 2 ? 0 : p, byPartition.get(p).size(), clock[p]));
        }
        List<FoldInput> expected = new ArrayList<>();
        byPartition.forEach(expected::addAll);
        expected.sort(FoldInput.ORDER);

        for (int maxBatch : List.of(1, 7, 500, 5000)) {
            PartitionMerge merge = new PartitionMerge(partitions);
            List<FoldInput> out = new ArrayList<>();
            int[] next = new int[3];
            while (!merge.finished()) {
                int p = random.nextInt(3);
                List<FoldInput> records = byPartition.get(p);
                int to = Math.min(records.size(), next[p] + 1 + random.nextInt(maxBatch));
                merge.add(partitions.get(p), records.subList(next[p], to));
                next[p] = to;
                if (to == records.size()) {
                    merge.end(partitions.get(p));
                }
                merge.drain(out::add);
            }
            assertThat(out).as("batches of up to %d", maxBatch).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void partitionsStampedOutOfOrderGoOutInTheSameOrderWhenOrderedByTheirClocks() {
        Random random = new Random(21);
        List<TopicPartition> partitions = List.of(ENACTMENTS_0, ENACTMENTS_1, POLICIES_0);
        List<List<FoldInput>> byOwnTime = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        List<List<FoldInput>> byClock = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        PartitionClocks clocks = new PartitionClocks();
        long[] clock = new long[3];
        for (int i = 0; i < 3000; i++) {
            int p = random.nextInt(3);
            clock[p] += random.nextInt(3);
            // now and then a record of a second writer, stamped before the records appended ahead of it
            long stamped = random.nextInt(4) == 0 ? clock[p] - random.nextInt(6) : clock[p];
            InputTopic source = p == 2 ? InputTopic.POLICIES : InputTopic.ENACTMENTS;
            FoldInput own = input(source, p == 2 ? 0 : p, byOwnTime.get(p).size(), stamped);
            byOwnTime.get(p).add(own);
            byClock.get(p).add(new FoldInput(own.time(), clocks.advance(partitions.get(p), own.time()), own.source(), own.partition(),
                own.offset(), own.key(), own.event()));
        }
        List<FoldInput> sorted = new ArrayList<>();
        byClock.forEach(sorted::addAll);
        sorted.sort(FoldInput.ORDER);

        List<FoldInput> mergedByOwnTime = mergeWhole(partitions, byOwnTime);
        List<FoldInput> mergedByClock = mergeWhole(partitions, byClock);

        assertThat(mergedByClock).as("a merge of runs each in order is their sort").containsExactlyElementsOf(sorted);
        assertThat(mergedByClock).extracting(FoldInput::partition, FoldInput::offset, FoldInput::source)
            .as("the order the merge by each record's own time gave").containsExactlyElementsOf(
                mergedByOwnTime.stream().map(i -> tuple(i.partition(), i.offset(), i.source())).toList());
        assertThat(mergedByOwnTime).as("the partitions were stamped out of order").isNotEqualTo(
            mergedByOwnTime.stream().sorted(java.util.Comparator.comparing(FoldInput::time)).toList());
    }

    private static List<FoldInput> mergeWhole(List<TopicPartition> partitions, List<List<FoldInput>> byPartition) {
        PartitionMerge merge = new PartitionMerge(partitions);
        for (int p = 0; p < partitions.size(); p++) {
            merge.add(partitions.get(p), byPartition.get(p));
            merge.end(partitions.get(p));
        }
        List<FoldInput> out = new ArrayList<>();
        merge.drain(out::add);
        return out;
    }

    @Test
    void endsAtOnceWhenEveryPartitionIsEmpty() {
        PartitionMerge merge = new PartitionMerge(List.of(ENACTMENTS_0, POLICIES_0));
        merge.end(ENACTMENTS_0);
        merge.end(POLICIES_0);

        assertThat(merge.drain(input -> { })).isZero();
        assertThat(merge.finished()).isTrue();
    }

    @Test
    void refusesRecordsOfAPartitionItDoesNotMerge() {
        PartitionMerge merge = new PartitionMerge(List.of(ENACTMENTS_0));

        assertThatThrownBy(() -> merge.add(POLICIES_0, List.of(input(InputTopic.POLICIES, 0, 0, 1))))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("policies-0");
    }

    private static FoldInput enactment(int partition, long offset, long seconds) {
        return input(InputTopic.ENACTMENTS, partition, offset, seconds);
    }

    private static FoldInput input(InputTopic source, int partition, long offset, long seconds) {
        return new FoldInput(at(seconds), source, partition, offset, "key", null);
    }

    private static Instant at(long seconds) {
        return Instant.parse("2026-01-01T00:00:00Z").plusSeconds(seconds);
    }
}
