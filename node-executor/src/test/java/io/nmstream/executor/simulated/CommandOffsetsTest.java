package io.nmstream.executor.simulated;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class CommandOffsetsTest {

    private static final TopicPartition P0 = new TopicPartition("nmstream.commands", 0);

    private final CommandOffsets offsets = new CommandOffsets();

    @Test
    void theCommittedOffsetStopsAtTheFirstCommandWithoutAPublishedResult() {
        offsets.read(P0, 10, true);
        offsets.read(P0, 11, false);
        offsets.read(P0, 12, true);

        offsets.finished(P0, 12);
        assertThat(offsets.toCommit()).as("10 is still being carried out").containsExactly(Map.entry(P0, new OffsetAndMetadata(10)));

        offsets.finished(P0, 10);
        assertThat(offsets.toCommit()).containsExactly(Map.entry(P0, new OffsetAndMetadata(13)));
        assertThat(offsets.toCommit()).as("nothing moved since").isEmpty();
    }

    @Test
    void otherNodesCommandsAreCommittedAsSoonAsTheyAreRead() {
        offsets.read(P0, 5, false);

        assertThat(offsets.toCommit()).containsExactly(Map.entry(P0, new OffsetAndMetadata(6)));
    }
}
