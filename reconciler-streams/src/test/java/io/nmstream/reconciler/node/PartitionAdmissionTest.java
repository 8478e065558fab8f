package io.nmstream.reconciler.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.nmstream.reconciler.JsonSerde;
import io.nmstream.reconciler.PolicySpec;
import io.nmstream.reconciler.ReconcilerEnactments;
import io.nmstream.reconciler.rollout.SlotLease;
import io.nmstream.reconciler.rollout.SlotRequest;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One node partition on its own, fed leases in an order only several partitions produce: its coordinator answers a
 * request while newer ones are on their way.
 */
class PartitionAdmissionTest {

    private final MockProcessorContext<String, NodeOutput> context = new MockProcessorContext<>();
    private final NodeReconciler reconciler = new NodeReconciler(Duration.ofMinutes(5), Duration.ofSeconds(1), () -> Long.MAX_VALUE);

    @BeforeEach
    void init() {
        store(NodeReconciler.NODE_STORE, JsonSerde.of(NodeState.class));
        store(NodeReconciler.POLICY_STORE, JsonSerde.of(PolicySpec.class));
        store(NodeReconciler.DEADLINE_STORE, Serdes.String());
        store(NodeReconciler.ROLLOUT_STORE, JsonSerde.of(PartitionRollout.class));
        store(NodeReconciler.QUEUE_STORE, Serdes.String());
        context.setCurrentSystemTimeMs(0);
        reconciler.init(context);
    }

    @Test
    void nodesLeftWaitingByAnAnswerToAnOlderRequestAreQueuedThenToldWhenTheLimitIsReached() {
        node("a");
        node("b");
        reconciler.process(new Record<>("eth1", new NodeInput.PolicyChange(policy("3")), 0L));
        assertThat(requests()).last().satisfies(request -> assertThat(request.waiting()).isEqualTo(2));
        node("c");
        node("d");
        node("e");
        assertThat(requests()).last().satisfies(request -> assertThat(request.waiting()).isEqualTo(5));

        // the coordinator's answer to the first request: two slots, the limit not reached
        lease(2, 3, false);

        assertThat(commandsTo()).containsExactly("a", "b");
        assertThat(pending()).extracting(EnactmentEvent::getNode).containsExactly("c", "d", "e");
        assertThat(pending()).extracting(EnactmentEvent::getReason).containsOnly(ReconcilerEnactments.QUEUED_FOR_ROLLOUT);

        // its answer to the last one: the third slot, and the limit is reached
        context.resetForwards();
        lease(3, 3, true);

        assertThat(commandsTo()).containsExactly("c");
        assertThat(pending()).as("d and e, told they were queued, now wait because every slot is taken")
            .extracting(EnactmentEvent::getNode, EnactmentEvent::getReason)
            .containsExactly(tuple("d", ReconcilerEnactments.MAX_UNAVAILABLE_LIMIT_REACHED),
                tuple("e", ReconcilerEnactments.MAX_UNAVAILABLE_LIMIT_REACHED));

        // told once: a later answer that says the same tells them nothing again
        context.resetForwards();
        node("f");
        lease(3, 3, true);

        assertThat(pending()).extracting(EnactmentEvent::getNode).containsExactly("f");
    }

    @Test
    void nodesLeftWaitingWhenEverySlotIsLeasedWaitBecauseTheLimitIsReached() {
        node("a");
        node("b");
        reconciler.process(new Record<>("eth1", new NodeInput.PolicyChange(policy("1")), 0L));

        lease(1, 1, true);

        assertThat(commandsTo()).containsExactly("a");
        assertThat(pending()).singleElement().satisfies(event -> {
            assertThat(event.getNode()).isEqualTo("b");
            assertThat(event.getReason()).isEqualTo(ReconcilerEnactments.MAX_UNAVAILABLE_LIMIT_REACHED);
            assertThat(event.getMessage()).contains("maxUnavailable is 1 and every slot is taken");
        });
    }

    @Test
    void nodesAreToldWhyTheyWaitOnlyOnceTheLimitCountsEveryPartitionsNodes() {
        node("a");
        node("b");
        node("c");
        reconciler.process(new Record<>("eth1", new NodeInput.PolicyChange(policy("50%")), 0L));

        // the first answer, before the other partitions matched the policy: 50% of the 2 nodes counted so far
        lease(1, 1, false, false);

        assertThat(commandsTo()).containsExactly("a");
        assertThat(pending()).as("b and c are queued, but the limit they would be told is not the policy's yet").isEmpty();

        // every partition matched: 50% of 4 nodes is 2, and both slots are leased
        context.resetForwards();
        lease(2, 2, true, true);

        assertThat(commandsTo()).containsExactly("b");
        assertThat(pending()).singleElement().satisfies(event -> {
            assertThat(event.getNode()).isEqualTo("c");
            assertThat(event.getReason()).isEqualTo(ReconcilerEnactments.MAX_UNAVAILABLE_LIMIT_REACHED);
            assertThat(event.getMessage()).contains("maxUnavailable is 2 and every slot is taken");
        });
    }

    private void node(String name) {
        reconciler.process(new Record<>(name, new NodeInput.Inventory(Map.of(), false, null), 0L));
    }

    /** A lease of a coordinator that heard every node partition match the policy. */
    private void lease(long granted, int limit, boolean limitReached) {
        lease(granted, limit, limitReached, true);
    }

    private void lease(long granted, int limit, boolean limitReached, boolean everyPartitionMatched) {
        reconciler.process(new Record<>("eth1", new NodeInput.Lease(new SlotLease("eth1", "uid-eth1", 1, 0, granted, limit, limitReached,
            false, false, everyPartitionMatched)), 0L));
    }

    private static PolicySpec policy(String maxUnavailable) {
        return new PolicySpec("eth1", "uid-eth1", 1, Map.of(), maxUnavailable, 0, false, "{}",
            io.nmstream.schemas.Digests.sha256Hex("{}"), Map.of(), false);
    }

    private List<SlotRequest> requests() {
        return context.forwarded().stream().map(f -> f.record().value()).filter(NodeOutput.Request.class::isInstance)
            .map(out -> ((NodeOutput.Request) out).request()).toList();
    }

    private List<String> commandsTo() {
        return context.forwarded().stream().map(f -> f.record().value()).filter(NodeOutput.Command.class::isInstance)
            .map(out -> ((NodeOutput.Command) out).command().getNode().toString()).toList();
    }

    private List<EnactmentEvent> pending() {
        return context.forwarded().stream().map(f -> f.record().value()).filter(NodeOutput.Enactment.class::isInstance)
            .map(out -> ((NodeOutput.Enactment) out).event()).filter(e -> e.getPhase() == EnactmentPhase.PENDING).toList();
    }

    private <V> void store(String name, Serde<V> serde) {
        KeyValueStore<String, V> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), serde)
            .withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
    }
}
