package io.nmstream.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.reconciler.rollout.SlotRequest;
import io.nmstream.schemas.avro.DesiredStateCommand;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;
import io.nmstream.schemas.avro.RolloutEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How the reconciler rolls a policy out as seen from its topics: the public count of matched nodes from the first
 * moment, an enactment log that holds only what happened to nodes, and a slot protocol whose cost does not grow with
 * the fleet.
 */
class RolloutProtocolTest {

    private ReconcilerHarness fleet = new ReconcilerHarness();

    @AfterEach
    void close() {
        fleet.close();
    }

    @Test
    void theMatchedNodeCountIsPublishedAsSoonAsThePolicyIsMatchedBeforeAnyNodeReports() {
        fleet.nodes(5, Map.of("role", "worker"));
        fleet.node("control-plane-0", Map.of("role", "control-plane"));

        fleet.publish(ReconcilerHarness.policy("eth1", "2", Map.of("role", "worker")));

        assertThat(fleet.timeline()).as("no node has reported yet").noneMatch(e -> e.getCommandId() != null);
        assertThat(fleet.rollouts()).singleElement().satisfies(rollout -> {
            assertThat(rollout.getPolicy()).isEqualTo("eth1");
            assertThat(rollout.getUid()).isEqualTo("uid-eth1");
            assertThat(rollout.getGeneration()).isEqualTo(1);
            assertThat(rollout.getMatchedNodes()).isEqualTo(5);
            assertThat(rollout.getMaxUnavailableNodes()).isEqualTo(2);
        });
    }

    @Test
    void aPolicyThatMatchesNoNodeIsPublishedWithNoneMatched() {
        fleet.nodes(3, Map.of("role", "worker"));

        fleet.publish(ReconcilerHarness.policy("gpu", "100%", Map.of("role", "gpu")));

        assertThat(fleet.rollouts()).singleElement().satisfies(rollout -> assertThat(rollout.getMatchedNodes()).isZero());
    }

    @Test
    void theCountFollowsNodesJoiningAndLeavingByTheNextDeadlineCheckAndEndsWithThePolicy() {
        fleet.nodes(2, Map.of());
        fleet.publish(ReconcilerHarness.policy("eth1", "100%", Map.of()));
        fleet.node("late", Map.of());
        fleet.node("later", Map.of());
        fleet.removeNode(ReconcilerHarness.nodeName(0));

        fleet.advanceWallClock(Duration.ofSeconds(1));

        assertThat(fleet.rollouts()).extracting(RolloutEvent::getMatchedNodes).containsExactly(2, 3);
        fleet.delete("eth1");
        assertThat(fleet.rollouts()).last().as("a tombstone").isNull();
    }

    @Test
    void theEnactmentLogHoldsNoSlotRequestsAndOnlyNodesThatWaitArePending() {
        fleet.nodes(6, Map.of());

        fleet.publish(ReconcilerHarness.policy("eth1", "2", Map.of()));

        Set<String> started = fleet.commands("eth1").stream().map(DesiredStateCommand::getNode).collect(Collectors.toSet());
        assertThat(started).hasSize(2);
        List<EnactmentEvent> pending = fleet.timeline().stream().filter(e -> e.getPhase() == EnactmentPhase.PENDING).toList();
        assertThat(pending).extracting(EnactmentEvent::getNode).hasSize(4).doesNotContainAnyElementsOf(started);
        assertThat(pending).extracting(EnactmentEvent::getReason).containsOnly(ReconcilerEnactments.MAX_UNAVAILABLE_LIMIT_REACHED);
        assertThat(fleet.timeline()).noneMatch(e -> "AwaitingRolloutSlot".equals(e.getReason()));
    }

    @Test
    void aRolloutCostsTheSlotProtocolMessagesPerSlotNotPerNode() {
        fleet.nodes(200, Map.of());
        fleet.publish(ReconcilerHarness.policy("eth1", "10%", Map.of()));
        while (!fleet.openCommands("eth1").isEmpty()) {
            assertThat(fleet.applying("eth1")).hasSizeLessThanOrEqualTo(20);
            fleet.openCommands("eth1").forEach(fleet::succeed);
        }
        assertThat(fleet.nodesIn("eth1", EnactmentPhase.AVAILABLE)).hasSize(200);

        // one request to ask, one when the queue is empty, one per slot given back at the end; answers to the asking ones
        List<SlotRequest> requests = fleet.slotRequests();
        assertThat(requests).as("slot requests for 200 nodes, maxUnavailable 20").hasSizeLessThanOrEqualTo(20 + 2);
        assertThat(fleet.slotLeases()).hasSizeLessThanOrEqualTo(2);
        assertThat(requests).last().satisfies(last -> {
            assertThat(last.holding()).isZero();
            assertThat(last.granted() - last.returned()).as("every slot given back once the rollout is done").isZero();
        });
    }

    @Test
    void slotsInUseAfterARestartAreTheNodesTheLogShowsApplyingOrFailed() {
        fleet.nodes(8, Map.of());
        fleet.publish(ReconcilerHarness.policy("eth1", "3", Map.of()));
        List<DesiredStateCommand> first = fleet.openCommands("eth1");
        fleet.report(first.get(0), EnactmentPhase.FAILING);
        fleet.succeed(first.get(1));
        assertThat(fleet.applying("eth1")).as("one applying from the start, one admitted into the freed slot").hasSize(2);
        assertThat(commandIds()).hasSize(4);

        fleet = fleet.restartedAfter(Duration.ofSeconds(5));
        fleet.advanceWallClock(Duration.ofSeconds(1));
        assertThat(commandIds()).as("2 applying + 1 failed hold the 3 slots: no slot came back or went missing in the restart")
            .hasSize(4);

        fleet.succeed(fleet.openCommands("eth1").get(0));

        assertThat(commandIds()).as("exactly the freed slot is used again").hasSize(5);
        assertThat(fleet.applying("eth1")).hasSize(2);
    }

    private Set<String> commandIds() {
        return fleet.commands("eth1").stream().map(DesiredStateCommand::getCommandId).collect(Collectors.toSet());
    }
}
