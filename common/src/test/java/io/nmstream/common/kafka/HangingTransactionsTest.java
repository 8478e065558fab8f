package io.nmstream.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.common.kafka.HangingTransactions.Coordinator;
import io.nmstream.common.kafka.HangingTransactions.Hanging;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.requests.TransactionResult;
import org.junit.jupiter.api.Test;

/** What a hanging transaction's coordinator decided, read from what it says of the producer. */
class HangingTransactionsTest {

    private static final TopicPartition COMMANDS = new TopicPartition("nmstream.commands", 0);
    /** Producer 4 at epoch 26 holds nmstream.commands-0 open from offset 13; the partition last saw coordinator epoch 3. */
    private static final ProducerState OPEN = new ProducerState(4, 26, 3, 1_000L, OptionalInt.of(3), OptionalLong.of(13));

    private static Coordinator coordinator(long producerId, int epoch, TransactionState state, Set<TopicPartition> partitions) {
        return new Coordinator("nmstream-reconciler-1", new TransactionDescription(1, state, producerId, epoch, 10_000,
            OptionalLong.empty(), partitions));
    }

    @Test
    void aCommitCompletedWithTheNextEpochIsCommittedWithThatEpochUnderTransactionVersion2() {
        Hanging hanging = HangingTransactions.hanging(COMMANDS, OPEN, coordinator(4, 27, TransactionState.COMPLETE_COMMIT, Set.of()));

        assertThat(hanging.decided()).contains(TransactionResult.COMMIT);
        assertThat(hanging.markerEpoch()).isEqualTo(27);
        assertThat(hanging.transactionVersion()).isEqualTo((short) 2);
        assertThat(hanging.coordinatorEpoch()).isEqualTo(3);
        assertThat(hanging.startOffset()).isEqualTo(13);
        assertThat(hanging.toString()).isEqualTo("nmstream.commands-0 (producer 4 epoch 26, open since offset 13; its coordinator "
            + "has nmstream-reconciler-1 in CompleteCommit)");
    }

    @Test
    void anAbortCompletedWithTheSameEpochIsAbortedWithItUnderTransactionVersion1() {
        Hanging hanging = HangingTransactions.hanging(COMMANDS, OPEN, coordinator(4, 26, TransactionState.COMPLETE_ABORT, Set.of()));

        assertThat(hanging.decided()).contains(TransactionResult.ABORT);
        assertThat(hanging.markerEpoch()).isEqualTo(26);
        assertThat(hanging.transactionVersion()).isZero();
    }

    @Test
    void aCoordinatorThatMovedOnOrForgotTheProducerDecidedNothingForThisTransaction() {
        assertThat(HangingTransactions.hanging(COMMANDS, OPEN, coordinator(4, 29, TransactionState.COMPLETE_COMMIT, Set.of()))
            .decided()).as("a later transaction completed").isEmpty();
        assertThat(HangingTransactions.hanging(COMMANDS, OPEN, coordinator(4, 27, TransactionState.ONGOING,
            Set.of(new TopicPartition("nmstream.commands", 1)))).decided()).as("a later transaction, elsewhere").isEmpty();
        assertThat(HangingTransactions.hanging(COMMANDS, OPEN, coordinator(5, 27, TransactionState.COMPLETE_COMMIT, Set.of()))
            .decided()).as("the id now has another producer").isEmpty();
        Hanging unknown = HangingTransactions.hanging(COMMANDS, OPEN, null);
        assertThat(unknown.decided()).isEmpty();
        assertThat(unknown.toString()).endsWith("its coordinator has no transaction of this producer)");
    }
}
