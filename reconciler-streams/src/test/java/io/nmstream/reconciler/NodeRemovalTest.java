package io.nmstream.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.schemas.avro.DesiredStateCommand;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NodeRemovalTest {

    private final ReconcilerHarness fleet = new ReconcilerHarness();

    @AfterEach
    void close() {
        fleet.close();
    }

    @Test
    void removedNodeReleasesEveryPolicyAndItsSlot() {
        fleet.nodes(3, Map.of());
        fleet.publish(ReconcilerHarness.policy("eth1", "1", Map.of()));
        fleet.publish(ReconcilerHarness.policy("eth2", "1", Map.of()));
        String applying = fleet.openCommands("eth1").get(0).getNode();

        fleet.removeNode(applying);

        for (String policy : new String[] {"eth1", "eth2"}) {
            EnactmentEvent last = fleet.latest(policy).get(applying);
            assertThat(last.getPhase()).isEqualTo(EnactmentPhase.REMOVED);
            assertThat(last.getReason()).isEqualTo(ReconcilerEnactments.NODE_REMOVED);
        }
        assertThat(fleet.openCommands("eth1")).extracting(DesiredStateCommand::getNode).hasSize(1).doesNotContain(applying);
    }

    @Test
    void removedPendingNodeNeverGetsACommand() {
        fleet.nodes(3, Map.of());
        fleet.publish(ReconcilerHarness.policy("eth1", "1", Map.of()));
        String pending = ReconcilerHarness.nodeName(2);
        assertThat(fleet.commands("eth1")).extracting(DesiredStateCommand::getNode).doesNotContain(pending);

        fleet.removeNode(pending);
        while (!fleet.openCommands("eth1").isEmpty()) {
            fleet.succeed(fleet.openCommands("eth1").get(0));
        }

        assertThat(fleet.commands("eth1")).extracting(DesiredStateCommand::getNode).hasSize(2).doesNotContain(pending);
        assertThat(fleet.latest("eth1").get(pending).getPhase()).isEqualTo(EnactmentPhase.REMOVED);
    }

    @Test
    void removedNodeThatComesBackGetsItsPoliciesAgain() {
        fleet.nodes(1, Map.of());
        fleet.publish(ReconcilerHarness.policy("eth1", "1", Map.of()));
        fleet.succeed(fleet.openCommands("eth1").get(0));

        fleet.removeNode(ReconcilerHarness.nodeName(0));
        fleet.node(ReconcilerHarness.nodeName(0), Map.of());

        assertThat(fleet.commands("eth1")).hasSize(2);
    }
}
