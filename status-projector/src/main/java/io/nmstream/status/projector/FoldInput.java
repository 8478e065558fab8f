package io.nmstream.status.projector;

import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.NodeNetworkState;
import io.nmstream.schemas.avro.PolicyEvent;
import io.nmstream.schemas.avro.ResourceStatus;
import io.nmstream.schemas.avro.RolloutEvent;
import io.nmstream.status.fold.StatusFold;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * One input record of the fold, with where it came from and the time it is ordered by.
 *
 * <p>Inputs from several topics and partitions are folded in the order of {@link #ORDER}: order time, then topic, then
 * partition and offset. That order depends only on the records, so a replay folds them exactly as the projector did.
 *
 * <p>The order time is the latest event time of the input's partition up to and including the input
 * ({@link PartitionClocks}), not its own: a partition written by several producers (the reconciler's transactional
 * records and a node's reports share the enactments topic) holds records stamped out of order, and ordering by the
 * partition's clock keeps each partition in offset order. Merging partitions is then merging sorted runs, and an input
 * that arrives late can be sorted in among the inputs folded before it without reordering any partition. For a partition
 * stamped in order the order time is the event time; for one stamped out of order, the fold order is the one a merge of
 * the partitions by their own times gave before (a record stamped earlier than its predecessor goes out right after it).
 *
 * @param time event time ({@code eventTime}, {@code timestamp} or {@code observedAt}; the record time for a tombstone)
 * @param orderTime the latest {@code time} of the record's partition up to this record: what {@link #ORDER} compares
 * @param source which input topic the record came from
 * @param partition partition of the record
 * @param offset offset of the record
 * @param key record key
 * @param event the decoded value: a {@link PolicyEvent}, {@link EnactmentEvent}, {@link NodeNetworkState} or
 *     {@link RolloutEvent}; null for a tombstone
 */
public record FoldInput(Instant time, Instant orderTime, InputTopic source, int partition, long offset, String key, Object event) {

    /** The order inputs are folded in. */
    public static final Comparator<FoldInput> ORDER = FoldInput::compareInFoldOrder;

    /** An input whose partition's latest time is its own: its partition is read in time order up to it. */
    public FoldInput(Instant time, InputTopic source, int partition, long offset, String key, Object event) {
        this(time, time, source, partition, offset, key, event);
    }

    /** The topics the fold reads, in their tie-breaking order. */
    public enum InputTopic { POLICIES, ENACTMENTS, NODE_STATES, ROLLOUTS }

    // written out rather than chained Comparator.comparing calls: the history merge compares every record a few times
    private static int compareInFoldOrder(FoldInput a, FoldInput b) {
        int byTime = a.orderTime.compareTo(b.orderTime);
        if (byTime != 0) {
            return byTime;
        }
        int bySource = a.source.compareTo(b.source);
        if (bySource != 0) {
            return bySource;
        }
        int byPartition = Integer.compare(a.partition, b.partition);
        return byPartition != 0 ? byPartition : Long.compare(a.offset, b.offset);
    }

    /** Folding this input into {@code fold}: the one place its event's type is told apart. */
    public StatusFold.Step stepIn(StatusFold fold) {
        if (event instanceof PolicyEvent policy) {
            return fold.stepOf(policy);
        }
        if (event instanceof EnactmentEvent enactment) {
            return fold.stepOf(enactment);
        }
        if (event instanceof NodeNetworkState state) {
            return fold.stepOf(state);
        }
        if (event instanceof RolloutEvent rollout) {
            return fold.stepOf(rollout);
        }
        if (event == null && source == InputTopic.NODE_STATES) {
            return fold.stepOfNodeStateRemoval(key, time);
        }
        return fold.stepOfNothing();
    }

    /** Folds this input; returns the statuses that changed. */
    public List<ResourceStatus> applyTo(StatusFold fold) {
        return stepIn(fold).fold();
    }
}
