package io.nmstream.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.schemas.avro.DesiredStateCommand;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeliveryOrderTest {

    private final ReconcilerHarness fleet = new ReconcilerHarness();

    @AfterEach
    void close() {
        fleet.close();
    }

    @Test
    void severalPoliciesReachANodeOneAtATimeByPriorityThenName() {
        fleet.publish(ReconcilerHarness.policy("vlan", "100%", Map.of()).setPriority(1));
        fleet.publish(ReconcilerHarness.policy("routes", "100%", Map.of()).setPriority(0));
        fleet.publish(ReconcilerHarness.policy("bond", "100%", Map.of()).setPriority(0));

        fleet.node("a", Map.of());
        for (int i = 0; i < 3; i++) {
            List<DesiredStateCommand> open = openOn("a");
            assertThat(open).as("one command in flight on the node").hasSize(1);
            fleet.succeed(open.get(0));
        }

        assertThat(fleet.commands()).extracting(DesiredStateCommand::getPolicy).containsExactly("bond", "routes", "vlan");
    }

    @Test
    void failedPolicyDoesNotBlockTheNextOne() {
        fleet.publish(ReconcilerHarness.policy("first", "100%", Map.of()));
        fleet.publish(ReconcilerHarness.policy("second", "100%", Map.of()));
        fleet.node("a", Map.of());

        fleet.report(openOn("a").get(0), io.nmstream.schemas.avro.EnactmentPhase.FAILING);

        assertThat(openOn("a")).extracting(DesiredStateCommand::getPolicy).containsExactly("second");
    }

    @Test
    void policyPublishedWhileTheNodeIsBusyWaitsForTheRunningCommand() {
        fleet.node("a", Map.of());
        fleet.publish(ReconcilerHarness.policy("first", "100%", Map.of()));

        fleet.publish(ReconcilerHarness.policy("second", "100%", Map.of()));
        assertThat(fleet.commands()).extracting(DesiredStateCommand::getPolicy).containsExactly("first");

        fleet.succeed(openOn("a").get(0));
        assertThat(fleet.commands()).extracting(DesiredStateCommand::getPolicy).containsExactly("first", "second");
    }

    @Test
    void aNodeBusyWithOnePolicyHoldsNoSlotOfTheNextSoANodeWithNothingElseToDoTakesIt() {
        fleet.node("busy", Map.of("uplink", "yes"));
        fleet.publish(ReconcilerHarness.policy("first", "1", Map.of("uplink", "yes")));
        assertThat(openOn("busy")).extracting(DesiredStateCommand::getPolicy).containsExactly("first");
        fleet.publish(ReconcilerHarness.policy("second", "1", Map.of()));

        fleet.node("idle", Map.of());

        assertThat(fleet.openCommands("second")).as("busy applies first; its turn of second comes after it")
            .extracting(DesiredStateCommand::getNode).containsExactly("idle");
        fleet.succeed(fleet.openCommands("second").get(0));
        fleet.succeed(openOn("busy").get(0));
        assertThat(fleet.openCommands("second")).extracting(DesiredStateCommand::getNode).containsExactly("busy");
    }

    @Test
    void aNodeRunningAPolicyLaterInDeliveryOrderHoldsNoSlotOfAnEarlierOneAndIsToldWhatItWaitsFor() {
        fleet.node("busy", Map.of("uplink", "yes"));
        fleet.publish(ReconcilerHarness.policy("uplink", "100%", Map.of("uplink", "yes")));
        assertThat(fleet.openCommands("uplink")).extracting(DesiredStateCommand::getNode).containsExactly("busy");
        // "mtu" comes before "uplink" on the node, but busy runs uplink (retrying it, say) and cannot apply it now
        fleet.publish(ReconcilerHarness.policy("mtu", "1", Map.of()));

        fleet.node("idle", Map.of());

        assertThat(fleet.openCommands("mtu")).as("idle takes the one slot").extracting(DesiredStateCommand::getNode)
            .containsExactly("idle");
        EnactmentEvent told = fleet.latest("mtu").get("busy");
        assertThat(told.getPhase()).isEqualTo(EnactmentPhase.PENDING);
        assertThat(told.getReason()).isEqualTo("QueuedForRollout");
        assertThat(told.getMessage()).isEqualTo("Waiting for its turn on this node, which applies one policy at a time "
            + "(by priority, then name)");

        fleet.succeed(fleet.openCommands("uplink").get(0));
        assertThat(fleet.openCommands("mtu")).as("the slot is idle's until it is done").extracting(DesiredStateCommand::getNode)
            .containsExactly("idle");
        fleet.succeed(fleet.openCommands("mtu").get(0));
        assertThat(fleet.openCommands("mtu")).extracting(DesiredStateCommand::getNode).containsExactly("busy");
    }

    @Test
    void aNodeQueuedForAPolicyGivesBackItsPlaceWhenAPolicyEarlierInDeliveryOrderReachesItFirst() {
        fleet.node("n1", Map.of("id", "n1"));
        fleet.node("n2", Map.of("id", "n2"));
        fleet.publish(ReconcilerHarness.policy("second", "1", Map.of()));
        String admitted = fleet.openCommands("second").get(0).getNode();
        String queuedFirst = admitted.equals("n1") ? "n2" : "n1";
        fleet.node("n3", Map.of("id", "n3"));
        assertThat(fleet.latest("second").get(queuedFirst).getReason()).isEqualTo("MaxUnavailableLimitReached");

        // the first in the queue gets a policy that comes before "second" on it: it applies that one first
        fleet.publish(ReconcilerHarness.policy("first", "100%", Map.of("id", queuedFirst)));
        assertThat(fleet.openCommands("first")).extracting(DesiredStateCommand::getNode).containsExactly(queuedFirst);
        assertThat(fleet.latest("second").get(queuedFirst).getMessage()).isEqualTo("Waiting for its turn on this node, which applies "
            + "one policy at a time (by priority, then name)");
        fleet.succeed(fleet.openCommands("second").get(0));

        assertThat(fleet.openCommands("second")).as("the freed slot goes to n3, which can apply now, not to " + queuedFirst)
            .extracting(DesiredStateCommand::getNode).containsExactly("n3");
        fleet.succeed(fleet.openCommands("first").get(0));
        fleet.succeed(fleet.openCommands("second").get(0));
        assertThat(fleet.openCommands("second")).extracting(DesiredStateCommand::getNode).containsExactly(queuedFirst);
    }

    private List<DesiredStateCommand> openOn(String node) {
        return java.util.stream.Stream.of("bond", "routes", "vlan", "first", "second")
            .flatMap(policy -> fleet.openCommands(policy).stream())
            .filter(c -> c.getNode().equals(node)).toList();
    }
}
