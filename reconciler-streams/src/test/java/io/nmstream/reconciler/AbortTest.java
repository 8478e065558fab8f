package io.nmstream.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.schemas.avro.DesiredStateCommand;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AbortTest {

    private final ReconcilerHarness fleet = new ReconcilerHarness();

    @AfterEach
    void close() {
        fleet.close();
    }

    @Test
    void remainingPendingNodesAreAbortedWhenFailuresReachMaxUnavailable() {
        fleet.nodes(5, Map.of());
        fleet.publish(ReconcilerHarness.policy("eth1", "2", Map.of()));
        List<DesiredStateCommand> first = fleet.openCommands("eth1");
        assertThat(first).hasSize(2);

        fleet.report(first.get(0), EnactmentPhase.FAILING);
        assertThat(fleet.nodesIn("eth1", EnactmentPhase.ABORTED)).isEmpty();
        fleet.report(first.get(1), EnactmentPhase.FAILING);

        assertThat(fleet.commands("eth1")).hasSize(2);
        assertThat(fleet.nodesIn("eth1", EnactmentPhase.FAILING)).hasSize(2);
        assertThat(fleet.nodesIn("eth1", EnactmentPhase.ABORTED)).hasSize(3);
        assertThat(fleet.latest("eth1").values()).filteredOn(e -> e.getPhase() == EnactmentPhase.ABORTED)
            .extracting(EnactmentEvent::getReason).containsOnly(ReconcilerEnactments.CONFIGURATION_ABORTED);
    }

    @Test
    void failedNodesKeepTheirSlot() {
        fleet.nodes(4, Map.of());
        fleet.publish(ReconcilerHarness.policy("eth1", "2", Map.of()));
        List<DesiredStateCommand> first = fleet.openCommands("eth1");

        fleet.report(first.get(0), EnactmentPhase.FAILING);
        assertThat(fleet.commands("eth1")).as("the failed node still counts as unavailable").hasSize(2);

        fleet.succeed(first.get(1));
        assertThat(fleet.commands("eth1")).as("only the available node's slot is given on").hasSize(3);
        assertThat(fleet.applying("eth1")).hasSize(1);
    }

    @Test
    void nodeThatJoinsAnAbortedRolloutIsAbortedToo() {
        fleet.nodes(3, Map.of());
        fleet.publish(ReconcilerHarness.policy("eth1", "1", Map.of()));
        fleet.report(fleet.openCommands("eth1").get(0), EnactmentPhase.FAILING);

        fleet.node("late", Map.of());

        assertThat(fleet.latest("eth1").get("late").getPhase()).isEqualTo(EnactmentPhase.ABORTED);
        assertThat(fleet.commands("eth1")).hasSize(1);
    }

    @Test
    void commandSkippedByTheAgentFreesTheSlotWithoutCountingAsAFailure() {
        fleet.nodes(3, Map.of());
        fleet.publish(ReconcilerHarness.policy("eth1", "1", Map.of()));

        fleet.report(fleet.openCommands("eth1").get(0), EnactmentPhase.ABORTED);

        assertThat(fleet.commands("eth1")).hasSize(2);
        assertThat(fleet.nodesIn("eth1", EnactmentPhase.ABORTED)).as("only the skipping node").hasSize(1);
    }
}
