package io.nmstream.reconciler.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.reconciler.JsonSerde;
import io.nmstream.reconciler.PolicySpec;
import io.nmstream.schemas.Digests;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A partition's queue of waiting nodes: first come, first admitted, within the policy's current generation. */
class PartitionSlotsTest {

    private final MockProcessorContext<String, NodeOutput> context = new MockProcessorContext<>();
    private PartitionSlots slots;
    private KeyValueStore<String, String> queue;

    @BeforeEach
    void init() {
        queue = store(PartitionSlots.QUEUE_STORE, Serdes.String());
        slots = new PartitionSlots(store(PartitionSlots.STORE, JsonSerde.of(PartitionRollout.class)), queue);
    }

    @Test
    void nodesLeaveTheQueueInTheOrderTheyJoinedAndOneQueuedForAnOlderGenerationIsNotAdmitted() {
        slots.startGeneration(policy(2));
        slots.enqueue("eth1", 2, "a");
        // a node whose held generation is the older one: its entry takes a sequence, which leaves a gap in generation 2's
        slots.enqueue("eth1", 1, "stale");
        slots.enqueue("eth1", 2, "b");

        assertThat(slots.next("eth1")).isEqualTo(new PartitionSlots.Waiting("a", 2));
        assertThat(slots.next("eth1")).as("past the gap").isEqualTo(new PartitionSlots.Waiting("b", 2));
        assertThat(slots.next("eth1")).as("empty").isNull();

        slots.enqueue("eth1", 2, "c");
        slots.flush();
        assertThat(slots.next("eth1")).as("a node that joins later, read back from the stores")
            .isEqualTo(new PartitionSlots.Waiting("c", 2));
        assertThat(slots.next("eth1")).isNull();
    }

    @Test
    void aNewGenerationDropsTheQueueOfTheOneBefore() {
        slots.startGeneration(policy(1));
        slots.enqueue("eth1", 1, "a");
        slots.enqueue("eth1", 1, "b");

        slots.startGeneration(policy(2));
        slots.enqueue("eth1", 2, "b");

        List<String> queued = new ArrayList<>();
        try (KeyValueIterator<String, String> all = queue.all()) {
            all.forEachRemaining(entry -> queued.add(entry.value));
        }
        assertThat(queued).as("generation 1's entries are gone from the store").containsExactly("b");
        assertThat(slots.next("eth1")).isEqualTo(new PartitionSlots.Waiting("b", 2));
        assertThat(slots.next("eth1")).isNull();
    }

    private static PolicySpec policy(long generation) {
        return new PolicySpec("eth1", "uid-eth1", generation, Map.of(), "3", 0, false, "{}", Digests.sha256Hex("{}"), Map.of(), false);
    }

    private <V> KeyValueStore<String, V> store(String name, Serde<V> serde) {
        KeyValueStore<String, V> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), serde)
            .withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        return store;
    }
}
