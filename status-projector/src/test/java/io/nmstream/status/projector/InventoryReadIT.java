package io.nmstream.status.projector;

import static io.nmstream.schemas.avro.EnactmentPhase.AVAILABLE;
import static io.nmstream.schemas.avro.EnactmentPhase.PROGRESSING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nmstream.common.kafka.RejectedRecords;
import io.nmstream.embedded.EmbeddedCluster;
import io.nmstream.embedded.junit.EmbeddedClusterExtension;
import io.nmstream.schemas.Topics;
import io.nmstream.status.EventLog;
import io.nmstream.status.Events;
import java.time.Duration;
import io.nmstream.status.projector.FoldInput.InputTopic;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A reader that cannot read the inventory (the nodes topic) to its end fails the read, and sets no record aside for it:
 * a record about a node is checked against the inventory, and the inventory being unreadable is no fault of the record.
 * (Before, a read of the inventory that took longer than 30 s in all, as a third of a million keyed nodes does, set the
 * record that asked aside as a contract violation.)
 */
@ExtendWith(EmbeddedClusterExtension.class)
class InventoryReadIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final EmbeddedCluster cluster;
    private final Events events = new Events();

    InventoryReadIT(EmbeddedCluster cluster) {
        this.cluster = cluster;
    }

    @Test
    void anInventoryThatCannotBeReadFailsTheReadAndSetsNoRecordAside() {
        Topics topics = cluster.createTopics("inventory-it-" + UUID.randomUUID());
        try (EventLog log = new EventLog(cluster.settings().clientProperties(), topics)) {
            log.send(events.upsert("br1", 1));
            for (String node : List.of("a", "b", "c")) {
                log.send(events.enactment(node, "br1", 1, PROGRESSING));
                log.send(events.enactment(node, "br1", 1, AVAILABLE));
            }
        }
        RejectedRecords rejections = RejectedRecords.countedOnly("inventory-it", new SimpleMeterRegistry());
        // no time at all without a record read: the inventory's first read gives up before its first poll
        try (InputReader reader = new InputReader(cluster.settings().clientProperties(), topics, "inventory-it-" + UUID.randomUUID(),
                 EnumSet.allOf(InputTopic.class), rejections, new VerifiedSignatures(), Duration.ZERO)) {
            List<FoldInput> read = new ArrayList<>();
            assertThatThrownBy(() -> reader.readToEnd(read::add, WAIT))
                .isInstanceOf(KnownNodes.InventoryUnavailable.class)
                .hasMessageContaining(topics.nodes().name());
            assertThat(reader.rejected()).as("records set aside because the inventory could not be read").isZero();
        }

        try (InputReader reader = new InputReader(cluster.settings().clientProperties(), topics, "inventory-it-" + UUID.randomUUID(),
                 EnumSet.allOf(InputTopic.class), RejectedRecords.countedOnly("inventory-it", new SimpleMeterRegistry()),
                 new VerifiedSignatures(), KnownNodes.STALL_TIMEOUT)) {
            List<FoldInput> read = new ArrayList<>();
            reader.readToEnd(read::add, WAIT);
            assertThat(read).as("the same history, with an inventory that can be read").hasSize(7);
            assertThat(reader.rejected()).isZero();
        }
    }
}
