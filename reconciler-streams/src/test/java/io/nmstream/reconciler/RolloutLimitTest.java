package io.nmstream.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.schemas.avro.DesiredStateCommand;
import io.nmstream.schemas.avro.EnactmentPhase;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RolloutLimitTest {

    private final ReconcilerHarness fleet = new ReconcilerHarness();

    @AfterEach
    void close() {
        fleet.close();
    }

    @ParameterizedTest(name = "{0} nodes, maxUnavailable {1}: {2} at once")
    @CsvSource({
        "5, 2, 2",
        "4, 50%, 2",
        "5, 50%, 3",
        "7, 30%, 3",
        "10, 30%, 3",
        "3, 10%, 1",
        "2, 5, 2",
    })
    void rollsOutAtMostMaxUnavailableNodesAtOnce(int nodes, String maxUnavailable, int atOnce) {
        fleet.nodes(nodes, Map.of());

        fleet.publish(ReconcilerHarness.policy("eth1", maxUnavailable, Map.of()));

        assertThat(fleet.applying("eth1")).hasSize(atOnce);
        Set<String> waiting = nodesWithoutCommand(nodes);
        assertThat(waiting).hasSize(nodes - atOnce);
        assertThat(waiting).allSatisfy(node -> assertThat(fleet.timeline()).anySatisfy(e -> {
            assertThat(e.getNode()).isEqualTo(node);
            assertThat(e.getPhase()).isEqualTo(EnactmentPhase.PENDING);
            assertThat(e.getReason()).isEqualTo(ReconcilerEnactments.MAX_UNAVAILABLE_LIMIT_REACHED);
        }));

        while (!fleet.openCommands("eth1").isEmpty()) {
            assertThat(fleet.applying("eth1")).hasSizeLessThanOrEqualTo(atOnce);
            fleet.succeed(fleet.openCommands("eth1").get(0));
        }
        assertThat(fleet.nodesIn("eth1", EnactmentPhase.AVAILABLE)).hasSize(nodes);
    }

    @Test
    void pendingNodesAreReleasedOneByOneAsNodesBecomeAvailable() {
        fleet.nodes(4, Map.of());
        fleet.publish(ReconcilerHarness.policy("eth1", "1", Map.of()));
        assertThat(fleet.commands("eth1")).hasSize(1);

        for (int released = 2; released <= 4; released++) {
            fleet.report(fleet.openCommands("eth1").get(0), EnactmentPhase.PROGRESSING);
            assertThat(fleet.commands("eth1")).hasSize(released - 1);
            fleet.report(fleet.openCommands("eth1").get(0), EnactmentPhase.AVAILABLE);
            assertThat(fleet.commands("eth1")).hasSize(released);
            assertThat(fleet.applying("eth1")).hasSize(1);
        }
        fleet.succeed(fleet.openCommands("eth1").get(0));
        assertThat(fleet.nodesIn("eth1", EnactmentPhase.AVAILABLE)).hasSize(4);
    }

    @Test
    void nodesAreAdmittedFirstComeFirstServed() {
        fleet.publish(ReconcilerHarness.policy("eth1", "1", Map.of()));
        List<String> joined = List.of("node-c", "node-a", "node-b");
        joined.forEach(node -> fleet.node(node, Map.of()));
        while (!fleet.openCommands("eth1").isEmpty()) {
            fleet.succeed(fleet.openCommands("eth1").get(0));
        }

        List<String> order = fleet.commands("eth1").stream().map(DesiredStateCommand::getNode).collect(Collectors.toList());
        assertThat(order).as("in the order the nodes matched").isEqualTo(joined);
    }

    private Set<String> nodesWithoutCommand(int nodes) {
        Set<String> commanded = fleet.commands("eth1").stream().map(DesiredStateCommand::getNode).collect(Collectors.toSet());
        return java.util.stream.IntStream.range(0, nodes).mapToObj(ReconcilerHarness::nodeName).filter(n -> !commanded.contains(n))
            .collect(Collectors.toSet());
    }
}
