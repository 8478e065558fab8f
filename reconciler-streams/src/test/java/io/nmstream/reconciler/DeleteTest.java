package io.nmstream.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.schemas.avro.CommandKind;
import io.nmstream.schemas.avro.DesiredStateCommand;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeleteTest {

    private final ReconcilerHarness fleet = new ReconcilerHarness();

    @AfterEach
    void close() {
        fleet.close();
    }

    @Test
    void deletingAPolicyRemovesItsEnactmentsWithoutReverting() {
        fleet.nodes(2, Map.of());
        fleet.publish(ReconcilerHarness.policy("eth1", "100%", Map.of()));
        fleet.openCommands("eth1").forEach(fleet::succeed);

        fleet.delete("eth1");

        assertThat(fleet.latest("eth1").values()).hasSize(2).allSatisfy(e -> {
            assertThat(e.getPhase()).isEqualTo(EnactmentPhase.REMOVED);
            assertThat(e.getReason()).isEqualTo(ReconcilerEnactments.POLICY_DELETED);
        });
        assertThat(fleet.commands()).extracting(DesiredStateCommand::getKind).containsOnly(CommandKind.APPLY);
    }

    @Test
    void deletingAPolicyWithRevertOnDeleteRevertsItOnEveryNodeThatAppliedIt() {
        fleet.nodes(3, Map.of());
        fleet.publish(ReconcilerHarness.policy("eth1", "1", Map.of()).setRevertOnDelete(true));
        fleet.succeed(fleet.openCommands("eth1").get(0));
        String applied = fleet.commands("eth1").get(0).getNode();

        fleet.delete("eth1");

        List<DesiredStateCommand> reverts = fleet.commands("eth1").stream().filter(c -> c.getKind() == CommandKind.REVERT).toList();
        assertThat(reverts).as("the node that applied it, and the one applying it when it was deleted").hasSize(2);
        assertThat(reverts).allSatisfy(c -> assertThat(c.getDesiredStateDigest()).isEqualTo(ReconcilerHarness.digestOf("eth1")));
        assertThat(reverts).extracting(DesiredStateCommand::getNode).contains(applied);
        String neverApplied = fleet.latest("eth1").keySet().stream()
            .filter(n -> reverts.stream().noneMatch(r -> r.getNode().equals(n))).findFirst().orElseThrow();
        assertThat(fleet.latest("eth1").get(neverApplied).getReason()).isEqualTo(ReconcilerEnactments.POLICY_DELETED);

        reverts.forEach(fleet::succeed);

        assertThat(fleet.latest("eth1").values()).hasSize(3).allSatisfy(e -> assertThat(e.getPhase()).isEqualTo(EnactmentPhase.REMOVED));
        assertThat(reverts).allSatisfy(r -> {
            EnactmentEvent last = fleet.latest("eth1").get(r.getNode());
            assertThat(last.getReason()).isEqualTo(ReconcilerEnactments.REVERTED);
        });
    }

    @Test
    void recreatedPolicyRollsOutAgain() {
        fleet.nodes(1, Map.of());
        fleet.publish(ReconcilerHarness.policy("eth1", "1", Map.of()));
        fleet.succeed(fleet.openCommands("eth1").get(0));
        fleet.delete("eth1");

        fleet.publish(ReconcilerHarness.policy("eth1", "1", Map.of()).setUid("second-life"));

        assertThat(fleet.openCommands("eth1")).hasSize(1);
    }

    @Test
    void revertsReachANodeOneAtATimeBeforeItsNextPolicy() {
        fleet.publish(ReconcilerHarness.policy("bond", "100%", Map.of()).setRevertOnDelete(true));
        fleet.publish(ReconcilerHarness.policy("vlan", "100%", Map.of()).setRevertOnDelete(true));
        fleet.node("a", Map.of());
        fleet.succeed(fleet.openCommands("bond").get(0));
        fleet.succeed(fleet.openCommands("vlan").get(0));

        fleet.delete("bond");
        fleet.delete("vlan");
        fleet.publish(ReconcilerHarness.policy("routes", "100%", Map.of()));
        assertThat(fleet.commands()).hasSize(3).last().satisfies(c -> assertThat(c.getKind()).isEqualTo(CommandKind.REVERT));
        fleet.succeed(fleet.commands().get(2));
        assertThat(fleet.commands()).hasSize(4).last().satisfies(c -> assertThat(c.getKind()).isEqualTo(CommandKind.REVERT));
        fleet.succeed(fleet.commands().get(3));

        assertThat(fleet.commands()).extracting(c -> c.getKind() + " " + c.getPolicy())
            .containsExactly("APPLY bond", "APPLY vlan", "REVERT bond", "REVERT vlan", "APPLY routes");
    }

    @Test
    void policyRecreatedWhileItsRevertIsPendingRollsOutAfterTheRevertWithinItsLimit() {
        fleet.nodes(2, Map.of());
        fleet.publish(ReconcilerHarness.policy("eth1", "100%", Map.of()).setRevertOnDelete(true));
        fleet.openCommands("eth1").forEach(fleet::succeed);
        fleet.delete("eth1");
        List<DesiredStateCommand> reverts = fleet.openCommands("eth1");
        assertThat(reverts).hasSize(2).allSatisfy(c -> assertThat(c.getKind()).isEqualTo(CommandKind.REVERT));

        fleet.publish(ReconcilerHarness.policy("eth1", "1", Map.of()).setUid("second-life"));
        reverts.forEach(fleet::succeed);
        assertThat(fleet.openCommands("eth1")).as("the new incarnation's limit holds after the reverts").hasSize(1);
        fleet.succeed(fleet.openCommands("eth1").get(0));
        fleet.succeed(fleet.openCommands("eth1").get(0));

        assertThat(fleet.commands("eth1")).extracting(c -> c.getKind().toString()).containsExactly("APPLY", "APPLY", "REVERT", "REVERT",
            "APPLY", "APPLY");
        assertThat(fleet.nodesIn("eth1", EnactmentPhase.AVAILABLE)).hasSize(2);
    }

    @Test
    void revertAnsweredWithRemovedAsTheNodeExecutorDoesEndsTheEnactmentAndFreesTheNode() {
        fleet.publish(ReconcilerHarness.policy("bond", "100%", Map.of()).setRevertOnDelete(true));
        fleet.node("a", Map.of());
        fleet.succeed(fleet.openCommands("bond").get(0));
        fleet.delete("bond");
        DesiredStateCommand revert = fleet.openCommands("bond").get(0);
        fleet.publish(ReconcilerHarness.policy("vlan", "100%", Map.of()));
        assertThat(fleet.commands()).as("the revert runs first").hasSize(2);

        fleet.report(revert, EnactmentPhase.PROGRESSING);
        fleet.report(revert, EnactmentPhase.REMOVED);

        assertThat(fleet.latest("bond").get("a").getReason()).as("the agent's REMOVED is the last word").isEqualTo("SuccessfullyRemoved");
        assertThat(fleet.commands()).extracting(c -> c.getKind() + " " + c.getPolicy()).containsExactly("APPLY bond", "REVERT bond",
            "APPLY vlan");
    }
}
