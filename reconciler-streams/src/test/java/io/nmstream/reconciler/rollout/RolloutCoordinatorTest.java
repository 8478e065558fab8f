package io.nmstream.reconciler.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.reconciler.JsonSerde;
import io.nmstream.reconciler.PolicySpec;
import io.nmstream.reconciler.ReconcilerEnactments;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The coordinator on its own, fed in orders the full topology rarely produces in a test driver: a node's slot
 * request can reach the coordinator before the policy generation it asks for.
 */
class RolloutCoordinatorTest {

    private final MockProcessorContext<String, RolloutDecision> context = new MockProcessorContext<>();
    private final RolloutCoordinator coordinator = new RolloutCoordinator();

    @BeforeEach
    void init() {
        store(RolloutCoordinator.STATE_STORE, JsonSerde.of(RolloutState.class));
        store(RolloutCoordinator.MEMBER_STORE, JsonSerde.of(RolloutMember.class));
        store(RolloutCoordinator.QUEUE_STORE, JsonSerde.of(RolloutCoordinator.QueueEntry.class));
        coordinator.init(context);
    }

    @Test
    void requestsForAGenerationNotYetSeenAreGrantedWhenItArrives() {
        policy(1);
        request("a", 1);
        request("b", 2);
        request("c", 2);
        result("a", 1, EnactmentPhase.AVAILABLE);
        assertThat(decisions(RolloutDecision.Kind.GRANT)).containsExactly("a");

        policy(2);

        assertThat(decisions(RolloutDecision.Kind.GRANT)).containsExactly("a", "b");
        assertThat(decisions(RolloutDecision.Kind.WAIT)).containsExactly("c");
    }

    @Test
    void abortingAGenerationKeepsRequestsForTheNextOne() {
        policy(1);
        request("a", 1);
        request("b", 1);
        request("c", 2);
        result("a", 1, EnactmentPhase.FAILING);
        assertThat(decisions(RolloutDecision.Kind.ABORT)).containsExactly("b");

        policy(2);

        assertThat(decisions(RolloutDecision.Kind.GRANT)).containsExactly("a", "c");
    }

    @Test
    void requestsOfAnOlderGenerationAreNeverGranted() {
        policy(2);
        request("a", 1);

        assertThat(decisions(RolloutDecision.Kind.GRANT)).isEmpty();
        request("a", 2);
        assertThat(decisions(RolloutDecision.Kind.GRANT)).containsExactly("a");
    }

    private void policy(long generation) {
        PolicySpec spec = new PolicySpec("p", "uid", generation, Map.of(), "1", 0, false, "{}", "d", Map.of(), false);
        coordinator.process(new Record<>("p", new CoordinatorInput.PolicyChange(spec), 0L));
    }

    private void request(String node, long generation) {
        enactment(node, generation, null, EnactmentPhase.PENDING, ReconcilerEnactments.AWAITING_ROLLOUT_SLOT);
    }

    private void result(String node, long generation, EnactmentPhase phase) {
        String commandId = context.forwarded().stream().map(f -> f.record().value())
            .filter(d -> d.node().equals(node) && d.kind() == RolloutDecision.Kind.GRANT).reduce((x, y) -> y).orElseThrow().commandId();
        enactment(node, generation, commandId, phase, "FromTheAgent");
    }

    private void enactment(String node, long generation, String commandId, EnactmentPhase phase, String reason) {
        EnactmentEvent event = ReconcilerEnactments.event(node, "p", generation, commandId, phase, reason, "", 0L);
        coordinator.process(new Record<>("p", new CoordinatorInput.Enactment(event), 0L));
    }

    private List<String> decisions(RolloutDecision.Kind kind) {
        return context.forwarded().stream().map(f -> f.record().value()).filter(d -> d.kind() == kind).map(RolloutDecision::node)
            .collect(Collectors.toList());
    }

    private <V> void store(String name, org.apache.kafka.common.serialization.Serde<V> serde) {
        KeyValueStore<String, V> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), serde)
            .withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
    }
}
