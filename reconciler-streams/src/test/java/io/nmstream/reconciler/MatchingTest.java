package io.nmstream.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.schemas.avro.CommandKind;
import io.nmstream.schemas.avro.DesiredStateCommand;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MatchingTest {

    private static final Map<String, String> WORKER = Map.of("node-role.kubernetes.io/worker", "");
    private static final Map<String, String> MASTER = Map.of("node-role.kubernetes.io/master", "");

    private final ReconcilerHarness fleet = new ReconcilerHarness();

    @AfterEach
    void close() {
        fleet.close();
    }

    @Test
    void policyWithEmptySelectorIsSentToEveryNode() {
        fleet.node("a", Map.of());
        fleet.node("b", WORKER);

        fleet.publish(ReconcilerHarness.policy("eth1", "100%", Map.of()));

        assertThat(fleet.commands("eth1")).extracting(DesiredStateCommand::getNode).containsExactlyInAnyOrder("a", "b");
        assertThat(fleet.commands("eth1")).allSatisfy(c -> {
            assertThat(c.getKind()).isEqualTo(CommandKind.APPLY);
            assertThat(c.getGeneration()).isEqualTo(1);
            assertThat(c.getDesiredStateDigest()).isEqualTo(ReconcilerHarness.digestOf("eth1"));
            assertThat(c.getDeadline()).isEqualTo(c.getIssuedAt().plus(ReconcilerHarness.COMMAND_TIMEOUT));
        });
    }

    @Test
    void policyIsSentOnlyToNodesWhoseLabelsMatchEverySelectorLabel() {
        fleet.node("worker-a", Map.of("node-role.kubernetes.io/worker", "", "zone", "a"));
        fleet.node("worker-b", Map.of("node-role.kubernetes.io/worker", "", "zone", "b"));
        fleet.node("master", MASTER);

        fleet.publish(ReconcilerHarness.policy("bond0", "100%", Map.of("node-role.kubernetes.io/worker", "", "zone", "a")));

        assertThat(fleet.commands("bond0")).extracting(DesiredStateCommand::getNode).containsExactly("worker-a");
        fleet.succeed(fleet.commands("bond0").get(0));
        assertThat(fleet.latest("bond0")).containsOnlyKeys("worker-a");
    }

    @Test
    void nodeThatGainsTheSelectedLabelGetsThePolicy() {
        fleet.node("a", MASTER);
        fleet.publish(ReconcilerHarness.policy("bond0", "1", WORKER));
        assertThat(fleet.commands("bond0")).isEmpty();

        fleet.node("a", WORKER);

        assertThat(fleet.commands("bond0")).extracting(DesiredStateCommand::getNode).containsExactly("a");
    }

    @Test
    void nodeThatLosesTheSelectedLabelIsRemovedFromThePolicyAndFreesItsSlot() {
        fleet.node("a", WORKER);
        fleet.node("b", WORKER);
        fleet.publish(ReconcilerHarness.policy("bond0", "1", WORKER));
        assertThat(fleet.commands("bond0")).extracting(DesiredStateCommand::getNode).containsExactly("a");

        fleet.node("a", MASTER);

        EnactmentEvent last = fleet.latest("bond0").get("a");
        assertThat(last.getPhase()).isEqualTo(EnactmentPhase.REMOVED);
        assertThat(last.getReason()).isEqualTo(ReconcilerEnactments.NODE_SELECTOR_NOT_MATCHING);
        assertThat(fleet.commands("bond0")).extracting(DesiredStateCommand::getNode).containsExactly("a", "b");
    }

    @Test
    void newNodeGetsEveryMatchingPolicyAndNoOther() {
        fleet.publish(ReconcilerHarness.policy("all-nodes", "1", Map.of()));
        fleet.publish(ReconcilerHarness.policy("workers", "1", WORKER));
        fleet.publish(ReconcilerHarness.policy("masters", "1", MASTER));

        fleet.node("new-worker", WORKER);
        fleet.succeed(fleet.commands().get(0));

        assertThat(fleet.commands()).extracting(DesiredStateCommand::getPolicy).containsExactly("all-nodes", "workers");
        assertThat(fleet.latest("masters")).isEmpty();
    }

    @Test
    void nodeHeartbeatWithUnchangedLabelsChangesNothing() {
        fleet.node("a", WORKER);
        fleet.publish(ReconcilerHarness.policy("bond0", "1", WORKER));
        int events = fleet.timeline().size();

        fleet.node("a", WORKER);

        assertThat(fleet.timeline()).hasSize(events);
        assertThat(fleet.commands("bond0")).hasSize(1);
    }
}
