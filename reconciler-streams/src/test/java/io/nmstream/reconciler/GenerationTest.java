package io.nmstream.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.schemas.avro.DesiredStateCommand;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GenerationTest {

    private final ReconcilerHarness fleet = new ReconcilerHarness();

    @AfterEach
    void close() {
        fleet.close();
    }

    @Test
    void newGenerationMidRolloutDropsPendingWorkOfTheOldOneAndStartsOver() {
        fleet.nodes(4, Map.of());
        fleet.publish(ReconcilerHarness.policy("eth1", "1", Map.of()));
        DesiredStateCommand oldGeneration = fleet.openCommands("eth1").get(0);

        fleet.publish(ReconcilerHarness.policy("eth1", "1", Map.of()).setGeneration(2)
            .setDesiredState(ReconcilerHarness.desiredStateOf("eth1-v2")).setDesiredStateDigest(ReconcilerHarness.digestOf("eth1-v2")));
        assertThat(fleet.commands("eth1")).as("the node applying generation 1 still holds the only slot").hasSize(1);
        fleet.succeed(oldGeneration);
        while (!fleet.openCommands("eth1").isEmpty()) {
            fleet.succeed(fleet.openCommands("eth1").get(0));
        }

        assertThat(fleet.commands("eth1")).filteredOn(c -> c.getGeneration() == 1).containsExactly(oldGeneration);
        assertThat(fleet.commands("eth1")).filteredOn(c -> c.getGeneration() == 2).hasSize(4)
            .allSatisfy(c -> assertThat(c.getDesiredStateDigest()).isEqualTo(ReconcilerHarness.digestOf("eth1-v2")));
        assertThat(fleet.latest("eth1").values()).hasSize(4).allSatisfy(e -> {
            assertThat(e.getPhase()).isEqualTo(EnactmentPhase.AVAILABLE);
            assertThat(e.getGeneration()).isEqualTo(2);
        });
    }

    @Test
    void aLowerLimitOfANewGenerationHoldsAsSoonAsTheOldGenerationsNodesHaveFinished() {
        fleet.nodes(10, Map.of());
        fleet.publish(ReconcilerHarness.policy("eth1", "3", Map.of()));
        List<DesiredStateCommand> oldGeneration = fleet.openCommands("eth1");
        assertThat(oldGeneration).hasSize(3);

        fleet.publish(ReconcilerHarness.policy("eth1", "1", Map.of()).setGeneration(2));
        fleet.succeed(oldGeneration.get(0));
        fleet.succeed(oldGeneration.get(1));
        assertThat(fleet.openCommands("eth1")).as("no generation 2 node while a generation 1 node uses the one slot")
            .containsExactly(oldGeneration.get(2));

        fleet.succeed(oldGeneration.get(2));
        while (!fleet.openCommands("eth1").isEmpty()) {
            assertThat(fleet.openCommands("eth1")).hasSize(1).allSatisfy(open -> assertThat(open.getGeneration()).isEqualTo(2));
            fleet.succeed(fleet.openCommands("eth1").get(0));
        }
        assertThat(fleet.latest("eth1").values()).hasSize(10).allSatisfy(e -> assertThat(e.getGeneration()).isEqualTo(2));
    }

    @Test
    void newGenerationForgetsFailuresOfTheOldOne() {
        fleet.nodes(3, Map.of());
        fleet.publish(ReconcilerHarness.policy("eth1", "1", Map.of()));
        fleet.report(fleet.openCommands("eth1").get(0), EnactmentPhase.FAILING);
        assertThat(fleet.nodesIn("eth1", EnactmentPhase.ABORTED)).hasSize(2);

        fleet.publish(ReconcilerHarness.policy("eth1", "1", Map.of()).setGeneration(2));
        while (!fleet.openCommands("eth1").isEmpty()) {
            fleet.succeed(fleet.openCommands("eth1").get(0));
        }

        assertThat(fleet.latest("eth1").values()).extracting(EnactmentEvent::getPhase).containsOnly(EnactmentPhase.AVAILABLE);
        assertThat(fleet.commands("eth1")).filteredOn(c -> c.getGeneration() == 2).hasSize(3);
    }

    @Test
    void republishedSameGenerationChangesNothing() {
        fleet.nodes(2, Map.of());
        fleet.publish(ReconcilerHarness.policy("eth1", "1", Map.of()));
        int events = fleet.timeline().size();

        fleet.publish(ReconcilerHarness.policy("eth1", "1", Map.of()));

        assertThat(fleet.timeline()).hasSize(events);
        assertThat(fleet.commands("eth1")).hasSize(1);
    }
}
