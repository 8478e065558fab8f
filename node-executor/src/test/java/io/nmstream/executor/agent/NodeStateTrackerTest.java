package io.nmstream.executor.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.nmstate.NetworkState;
import io.nmstream.nmstate.NmstateParser;
import io.nmstream.executor.simulated.SimulatedBackend;
import io.nmstream.schemas.Digests;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.NodeNetworkState;
import io.nmstream.schemas.registry.InMemorySchemaRegistryClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class NodeStateTrackerTest {

    @Test
    void publishesTheFirstStateAndThenOnlyChanges() {
        NodeStateTracker tracker = new NodeStateTracker("n1", () -> "1.42.4");
        NetworkState state = SimulatedBackend.typicalHost(1);
        NodeNetworkState first = tracker.changed(state, Instant.now()).orElseThrow();
        assertThat(first.getDigest()).isEqualTo(Digests.sha256Hex(first.getCurrentState()));
        assertThat(NmstateParser.parse(first.getCurrentState())).isEqualTo(state);
        tracker.published(first);
        assertThat(tracker.changed(state, Instant.now().plusSeconds(60))).isEmpty();
        assertThat(tracker.changed(SimulatedBackend.typicalHost(2), Instant.now())).isPresent();
    }

    @Test
    void anUpgradeOfNetworkManagerUnderTheAgentIsPublishedWithTheStateItLeftUnchanged() {
        AtomicReference<String> version = new AtomicReference<>("1.42.4");
        NodeStateTracker tracker = new NodeStateTracker("n1", version::get);
        NetworkState state = SimulatedBackend.typicalHost(1);
        tracker.published(tracker.changed(state, Instant.now()).orElseThrow());

        version.set("1.46.0");
        NodeNetworkState upgraded = tracker.changed(state, Instant.now()).orElseThrow();

        assertThat(upgraded.getNetworkManagerVersion()).isEqualTo("1.46.0");
        assertThat(NmstateParser.parse(upgraded.getCurrentState())).isEqualTo(state);
        tracker.published(upgraded);
        assertThat(tracker.changed(state, Instant.now())).isEmpty();
    }

    @Test
    void aStateWhosePublishingFailedIsOfferedAgainAtTheNextCheck() {
        NodeStateTracker tracker = new NodeStateTracker("n1", () -> "1.42.4");
        NetworkState state = SimulatedBackend.typicalHost(1);
        NodeNetworkState unsent = tracker.changed(state, Instant.now()).orElseThrow();

        assertThat(tracker.changed(state, Instant.now().plusSeconds(60))).as("the broker refused it: still to publish").isPresent();
        tracker.published(unsent);
        assertThat(tracker.changed(state, Instant.now().plusSeconds(120))).isEmpty();
    }

    @Test
    void aStateEqualToThePublishedOneIsNotOfferedAndAnyOtherIs() {
        NodeStateTracker tracker = new NodeStateTracker("n1", () -> "1.42.4");
        NodeNetworkState first = tracker.changed(SimulatedBackend.typicalHost(1), Instant.now()).orElseThrow();
        tracker.published(first);

        assertThat(tracker.changed(SimulatedBackend.typicalHost(1), Instant.now())).as("an equal state read again").isEmpty();
        NodeNetworkState second = tracker.changed(SimulatedBackend.typicalHost(2), Instant.now()).orElseThrow();
        NodeNetworkState third = tracker.changed(SimulatedBackend.typicalHost(3), Instant.now()).orElseThrow();
        tracker.published(second);
        assertThat(tracker.changed(SimulatedBackend.typicalHost(1), Instant.now())).as("back to the first: a change").isPresent();
        assertThat(tracker.changed(SimulatedBackend.typicalHost(2), Instant.now())).isEmpty();
        assertThat(tracker.changed(SimulatedBackend.typicalHost(3), Instant.now())).as("offered, never published").isPresent();
        tracker.published(third);
        assertThat(tracker.changed(SimulatedBackend.typicalHost(3), Instant.now())).isEmpty();
        assertThat(tracker.changed(SimulatedBackend.typicalHost(2), Instant.now())).isPresent();
    }

    @Test
    void jitterStaysWithinTenPercent() {
        IntStream.range(0, 1000).mapToObj(i -> NodeStateTracker.jittered(Duration.ofSeconds(60))).forEach(d ->
            assertThat(d).isBetween(Duration.ofSeconds(54), Duration.ofSeconds(66)));
    }

    @Test
    void partitionIsTheOneKafkasBuiltInPartitionerPicksForTheNodeKey() {
        Topics topics = Topics.withDefaults(new InMemorySchemaRegistryClient());
        for (String node : new String[] {"worker-1", "worker-2", "a", "edge-17.example.com"}) {
            for (int partitions : new int[] {1, 6, 7, 64}) {
                byte[] key = node.getBytes(StandardCharsets.UTF_8);
                assertThat(NodePartitioner.partitionFor(node, topics.commands(), partitions))
                    .isEqualTo(BuiltInPartitioner.partitionForKey(key, partitions));
            }
        }
    }
}
