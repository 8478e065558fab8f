package io.nmstream.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.schemas.avro.CommandKind;
import io.nmstream.schemas.avro.DesiredStateCommand;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TimeoutTest {

    private final ReconcilerHarness fleet = new ReconcilerHarness();

    @AfterEach
    void close() {
        fleet.close();
    }

    @Test
    void commandWithoutResultByItsDeadlineFailsWithReasonTimeoutAndCountsAgainstMaxUnavailable() {
        fleet.nodes(4, Map.of());
        fleet.publish(ReconcilerHarness.policy("eth1", "2", Map.of()));
        List<DesiredStateCommand> first = fleet.openCommands("eth1");
        fleet.advanceWallClock(Duration.ofMinutes(3));
        fleet.succeed(first.get(0));
        DesiredStateCommand silent = first.get(1);
        DesiredStateCommand third = fleet.openCommands("eth1").stream().filter(c -> !c.equals(silent)).findFirst().orElseThrow();

        fleet.advanceWallClock(Duration.ofMinutes(2).plusSeconds(2));

        EnactmentEvent timedOut = fleet.latest("eth1").get(silent.getNode());
        assertThat(timedOut.getPhase()).isEqualTo(EnactmentPhase.FAILING);
        assertThat(timedOut.getReason()).isEqualTo(ReconcilerEnactments.TIMEOUT);
        assertThat(timedOut.getCommandId()).isEqualTo(silent.getCommandId());
        assertThat(fleet.latest("eth1").get(third.getNode()).getPhase()).as("its deadline is later").isNotEqualTo(EnactmentPhase.FAILING);
        assertThat(fleet.commands("eth1")).as("a node that timed out is a failure: it keeps its slot, as a failed node does").hasSize(3);
        assertThat(fleet.nodesIn("eth1", EnactmentPhase.ABORTED)).as("one failure of maxUnavailable 2 aborts nothing").isEmpty();

        fleet.succeed(third);
        assertThat(fleet.commands("eth1")).as("the last node gets the slot the third one freed").hasSize(4);
    }

    @Test
    void commandAnsweredInTimeDoesNotTimeOut() {
        fleet.nodes(1, Map.of());
        fleet.publish(ReconcilerHarness.policy("eth1", "1", Map.of()));
        fleet.succeed(fleet.openCommands("eth1").get(0));

        fleet.advanceWallClock(ReconcilerHarness.COMMAND_TIMEOUT.multipliedBy(2));

        assertThat(fleet.timeline()).noneMatch(e -> ReconcilerEnactments.TIMEOUT.equals(e.getReason()));
    }

    /**
     * Under load the reconciler reads the enactments topic behind the wall clock: a result published before its
     * command's deadline may still be unread when the wall clock passes the deadline. The deadline is judged only once
     * every result published before it has been read; then a node that did answer is Available, and only the node that
     * never answered times out.
     */
    @Test
    void resultPublishedBeforeTheDeadlineButNotYetReadKeepsItsCommandFromTimingOut() {
        AtomicLong readUpTo = new AtomicLong();
        try (ReconcilerHarness behind = new ReconcilerHarness(readUpTo::get)) {
            readUpTo.set(behind.wallClock().toEpochMilli());
            behind.nodes(2, Map.of());
            behind.publish(ReconcilerHarness.policy("eth1", "2", Map.of()));
            List<DesiredStateCommand> sent = behind.openCommands("eth1");
            assertThat(sent).hasSize(2);

            // the wall clock passes both deadlines while the results published since the commands are not yet read
            behind.advanceWallClock(ReconcilerHarness.COMMAND_TIMEOUT.plusSeconds(30));
            assertThat(behind.timeline()).as("no deadline judged before the results up to it are read")
                .noneMatch(e -> ReconcilerEnactments.TIMEOUT.equals(e.getReason()));

            // the first node's answer, published in time, is read; then the reconciler has caught up
            behind.succeed(sent.get(0));
            readUpTo.set(behind.wallClock().toEpochMilli());
            behind.advanceWallClock(Duration.ofSeconds(2));

            assertThat(behind.latest("eth1").get(sent.get(0).getNode()).getPhase()).isEqualTo(EnactmentPhase.AVAILABLE);
            EnactmentEvent silent = behind.latest("eth1").get(sent.get(1).getNode());
            assertThat(silent.getPhase()).isEqualTo(EnactmentPhase.FAILING);
            assertThat(silent.getReason()).isEqualTo(ReconcilerEnactments.TIMEOUT);
            assertThat(behind.timeline()).filteredOn(e -> ReconcilerEnactments.TIMEOUT.equals(e.getReason())).hasSize(1);
        }
    }

    /**
     * An agent applies a command that reaches it after its deadline (the node was down or slow): its AVAILABLE says the
     * node now holds the policy. An abort the timeout caused stands; the node counts as applied, so a delete with
     * revertOnDelete reverts it instead of leaving its state behind.
     */
    @Test
    void lateSuccessOfATimedOutCommandCountsAsAppliedButTheAbortItCausedStands() {
        fleet.nodes(2, Map.of());
        fleet.publish(ReconcilerHarness.policy("eth1", "50%", Map.of()).setRevertOnDelete(true));
        DesiredStateCommand slow = fleet.openCommands("eth1").get(0);
        fleet.advanceWallClock(ReconcilerHarness.COMMAND_TIMEOUT.plusSeconds(2));
        assertThat(fleet.commands("eth1")).as("1 failure of maxUnavailable 1 aborts the rest").hasSize(1);
        int before = fleet.timeline().size();

        fleet.report(slow, EnactmentPhase.AVAILABLE);

        assertThat(fleet.timeline()).as("the node's report, and nothing from the reconciler").hasSize(before + 1);
        assertThat(fleet.commands("eth1")).hasSize(1);
        assertThat(fleet.nodesIn("eth1", EnactmentPhase.ABORTED)).hasSize(1);

        fleet.delete("eth1");

        assertThat(fleet.commands("eth1")).filteredOn(c -> c.getKind() == CommandKind.REVERT)
            .as("the node that applied it late reverts it").extracting(DesiredStateCommand::getNode).containsExactly(slow.getNode());
    }

    @Test
    void lateSuccessBeforeAnyAbortFreesTheSlotAndNoLongerCountsAsAFailure() {
        fleet.nodes(4, Map.of());
        fleet.publish(ReconcilerHarness.policy("eth1", "2", Map.of()));
        List<DesiredStateCommand> sent = fleet.openCommands("eth1");
        DesiredStateCommand slow = sent.get(0);
        fleet.advanceWallClock(Duration.ofMinutes(3));
        fleet.succeed(sent.get(1));
        DesiredStateCommand third = fleet.openCommands("eth1").stream().filter(c -> !c.equals(slow)).findFirst().orElseThrow();
        fleet.advanceWallClock(Duration.ofMinutes(2).plusSeconds(2));
        assertThat(fleet.latest("eth1").get(slow.getNode()).getReason()).isEqualTo(ReconcilerEnactments.TIMEOUT);
        assertThat(fleet.commands("eth1")).as("the timed-out node keeps its slot").hasSize(3);

        fleet.report(slow, EnactmentPhase.AVAILABLE);

        assertThat(fleet.commands("eth1")).as("its slot goes to the last node").hasSize(4);
        fleet.report(third, EnactmentPhase.FAILING);
        assertThat(fleet.nodesIn("eth1", EnactmentPhase.ABORTED)).as("one failure of maxUnavailable 2: the late success is none")
            .isEmpty();
    }
}
