package io.nmstream.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.schemas.avro.DesiredStateCommand;
import io.nmstream.schemas.avro.EnactmentPhase;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** maxUnavailable 100%: nothing is held back, so nodes get their command without asking the rollout for a slot. */
class UnlimitedRolloutTest {

    private final ReconcilerHarness fleet = new ReconcilerHarness();

    @AfterEach
    void close() {
        fleet.close();
    }

    @Test
    void everyMatchingNodeGetsItsCommandAtOnceWithoutWaiting() {
        fleet.nodes(6, Map.of());

        fleet.publish(ReconcilerHarness.policy("eth1", "100%", Map.of()));

        assertThat(fleet.applying("eth1")).hasSize(6);
        assertThat(fleet.commands("eth1")).extracting(DesiredStateCommand::getNode).doesNotHaveDuplicates().hasSize(6);
        assertThat(fleet.timeline()).noneSatisfy(event -> assertThat(event.getPhase()).isEqualTo(EnactmentPhase.PENDING));

        fleet.openCommands("eth1").forEach(fleet::succeed);
        assertThat(fleet.nodesIn("eth1", EnactmentPhase.AVAILABLE)).hasSize(6);
    }

    @Test
    void aNodeJoiningLaterIsConfiguredAtOnce() {
        fleet.nodes(2, Map.of());
        fleet.publish(ReconcilerHarness.policy("eth1", "100%", Map.of()));
        fleet.openCommands("eth1").forEach(fleet::succeed);

        fleet.node("late-node", Map.of());

        assertThat(fleet.openCommands("eth1")).extracting(DesiredStateCommand::getNode).containsExactly("late-node");
    }

    @Test
    void aLimitedGenerationAfterAnUnlimitedOneIsHeldToItsLimit() {
        fleet.nodes(4, Map.of());
        fleet.publish(ReconcilerHarness.policy("eth1", "100%", Map.of()));
        fleet.openCommands("eth1").forEach(fleet::succeed);

        fleet.publish(ReconcilerHarness.policy("eth1", "1", Map.of()).setGeneration(2));

        assertThat(fleet.applying("eth1")).hasSize(1);
        while (!fleet.openCommands("eth1").isEmpty()) {
            assertThat(fleet.applying("eth1")).hasSizeLessThanOrEqualTo(1);
            fleet.succeed(fleet.openCommands("eth1").get(0));
        }
        assertThat(fleet.latest("eth1").values()).hasSize(4).allSatisfy(event -> {
            assertThat(event.getGeneration()).isEqualTo(2);
            assertThat(event.getPhase()).isEqualTo(EnactmentPhase.AVAILABLE);
        });
    }

    @Test
    void nodesWaitingUnderALimitAreReleasedAtOnceByAnUnlimitedGeneration() {
        fleet.nodes(4, Map.of());
        fleet.publish(ReconcilerHarness.policy("eth1", "1", Map.of()));
        assertThat(fleet.applying("eth1")).hasSize(1);

        fleet.publish(ReconcilerHarness.policy("eth1", "100%", Map.of()).setGeneration(2));

        // the node applying generation 1 finishes it first, then gets generation 2
        assertThat(fleet.openCommands("eth1")).hasSize(4);
        fleet.openCommands("eth1").forEach(fleet::succeed);
        fleet.openCommands("eth1").forEach(fleet::succeed);
        assertThat(fleet.latest("eth1").values()).hasSize(4).allSatisfy(event -> {
            assertThat(event.getGeneration()).isEqualTo(2);
            assertThat(event.getPhase()).isEqualTo(EnactmentPhase.AVAILABLE);
        });
    }
}
