package io.nmstream.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.schemas.avro.DesiredStateCommand;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a reconciler restart does to the commands it had sent: re-sends the unanswered ones, blames no node for its gap. */
class RestartTest {

    /** The reconciler's first deadline check after it starts (reconciler.deadline.check.interval's default). */
    private static final Duration FIRST_CHECK = Duration.ofSeconds(1);

    private ReconcilerHarness fleet = new ReconcilerHarness();

    @AfterEach
    void close() {
        fleet.close();
    }

    @Test
    void unansweredCommandsAreSentAgainWithTheirIdsAfterARestartAndTheRolloutFinishes() {
        fleet.nodes(4, Map.of());
        fleet.publish(ReconcilerHarness.policy("eth1", "2", Map.of()));
        List<DesiredStateCommand> first = fleet.openCommands("eth1");
        fleet.succeed(first.get(0));
        List<DesiredStateCommand> inFlight = fleet.openCommands("eth1");
        int sentBefore = fleet.commands("eth1").size();

        fleet = fleet.restartedAfter(Duration.ofSeconds(10));
        fleet.advanceWallClock(FIRST_CHECK);

        List<DesiredStateCommand> resent = fleet.commands("eth1").subList(sentBefore, fleet.commands("eth1").size());
        assertThat(resent).extracting(DesiredStateCommand::getCommandId).as("the unanswered ones, each once, with its id")
            .containsExactlyInAnyOrderElementsOf(inFlight.stream().map(DesiredStateCommand::getCommandId).toList());
        assertThat(resent).extracting(DesiredStateCommand::getDesiredState).containsOnly(first.get(0).getDesiredState());
        fleet.advanceWallClock(FIRST_CHECK);
        assertThat(fleet.commands("eth1")).as("re-sent once per restart, not at every check").hasSize(sentBefore + inFlight.size());

        while (!fleet.openCommands("eth1").isEmpty()) {
            fleet.succeed(fleet.openCommands("eth1").get(0));
        }
        assertThat(fleet.nodesIn("eth1", EnactmentPhase.AVAILABLE)).hasSize(4);
        assertThat(fleet.commands("eth1").stream().map(DesiredStateCommand::getCommandId).distinct()).as("one command id per node")
            .hasSize(4);
    }

    @Test
    void deadlineThatPassedWhileTheReconcilerWasDownIsRenewedWithAResendNotFired() {
        fleet.nodes(2, Map.of());
        fleet.publish(ReconcilerHarness.policy("eth1", "1", Map.of()));
        DesiredStateCommand lost = fleet.openCommands("eth1").get(0);

        fleet = fleet.restartedAfter(ReconcilerHarness.COMMAND_TIMEOUT.multipliedBy(2));
        fleet.advanceWallClock(FIRST_CHECK);

        assertThat(fleet.timeline()).as("the reconciler's own gap is not the node's failure")
            .noneMatch(e -> ReconcilerEnactments.TIMEOUT.equals(e.getReason()))
            .noneMatch(e -> e.getPhase() == EnactmentPhase.ABORTED);
        DesiredStateCommand resent = fleet.commands("eth1").get(fleet.commands("eth1").size() - 1);
        assertThat(resent.getCommandId()).isEqualTo(lost.getCommandId());
        assertThat(resent.getDeadline()).isAfter(lost.getDeadline().plus(ReconcilerHarness.COMMAND_TIMEOUT));

        fleet.succeed(resent);
        fleet.succeed(fleet.openCommands("eth1").get(0));
        assertThat(fleet.nodesIn("eth1", EnactmentPhase.AVAILABLE)).hasSize(2);
    }

    @Test
    void nodeThatNeverAnswersTimesOutOneCommandTimeoutAfterTheResend() {
        fleet.nodes(3, Map.of());
        fleet.publish(ReconcilerHarness.policy("eth1", "2", Map.of()));
        List<DesiredStateCommand> first = fleet.openCommands("eth1");
        DesiredStateCommand silent = first.get(0);

        fleet = fleet.restartedAfter(ReconcilerHarness.COMMAND_TIMEOUT.plusMinutes(1));
        fleet.advanceWallClock(FIRST_CHECK);
        fleet.succeed(first.get(1));
        fleet.succeed(fleet.openCommands("eth1").stream().filter(c -> !c.getCommandId().equals(silent.getCommandId())).findFirst()
            .orElseThrow());
        fleet.advanceWallClock(ReconcilerHarness.COMMAND_TIMEOUT.minus(FIRST_CHECK.multipliedBy(2)));
        assertThat(fleet.timeline()).as("not before its renewed deadline")
            .noneMatch(e -> e.getNode().equals(silent.getNode()) && ReconcilerEnactments.TIMEOUT.equals(e.getReason()));

        fleet.advanceWallClock(FIRST_CHECK.multipliedBy(3));

        EnactmentEvent timedOut = fleet.latest("eth1").get(silent.getNode());
        assertThat(timedOut.getPhase()).isEqualTo(EnactmentPhase.FAILING);
        assertThat(timedOut.getReason()).isEqualTo(ReconcilerEnactments.TIMEOUT);
        assertThat(timedOut.getCommandId()).isEqualTo(silent.getCommandId());
        assertThat(fleet.applying("eth1")).as("nothing left applying").isEmpty();
        Set<String> available = fleet.nodesIn("eth1", EnactmentPhase.AVAILABLE);
        assertThat(available).hasSize(2).doesNotContain(silent.getNode());
        assertThat(fleet.timeline().stream().filter(e -> e.getPhase() == EnactmentPhase.ABORTED).collect(Collectors.toList())).isEmpty();
    }
}
