package io.nmstream.status.projector;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * The mark every status record carries of the projection it belongs to: which publish of the projector wrote it, how many
 * statuses that publish wrote, and the input positions (next offset of every input partition) the projection had folded
 * up to when it was written.
 *
 * <p>The status topic read at any moment is the projection at the positions of its latest complete publish, so a
 * replay that folds the inputs up to exactly those positions must rebuild it exactly.
 *
 * @param sequence number of the publish; grows with every publish, across restarts of the projector
 * @param size how many status records that publish wrote, so that a reader can tell whether it sees all of them
 * @param positions next offset to fold of every input partition
 */
public record ProjectionMark(long sequence, int size, Map<TopicPartition, Long> positions) {

    static final String SEQUENCE = "nmstream.projection.sequence";
    static final String SIZE = "nmstream.projection.size";
    static final String POSITIONS = "nmstream.projection.positions";

    public ProjectionMark {
        positions = Map.copyOf(positions);
    }

    /**
     * This mark as the headers of a status record. Made once per publish and added to each of its records: the positions
     * name every input partition, and writing them out again for every record was a tenth of the projector's thread.
     */
    List<Header> headers() {
        StringBuilder text = new StringBuilder();
        positionsByName().forEach((partition, offset) -> {
            if (text.length() > 0) {
                text.append(',');
            }
            text.append(partition).append('=').append(offset);
        });
        return List.of(new RecordHeader(SEQUENCE, bytes(Long.toString(sequence))), new RecordHeader(SIZE, bytes(Integer.toString(size))),
            new RecordHeader(POSITIONS, bytes(text.toString())));
    }

    /** The mark in a status record's headers; empty when the record has none (written by hand, or before marks existed). */
    static Optional<ProjectionMark> of(Headers headers) {
        Header sequence = headers.lastHeader(SEQUENCE);
        Header size = headers.lastHeader(SIZE);
        Header positions = headers.lastHeader(POSITIONS);
        if (sequence == null || size == null || positions == null) {
            return Optional.empty();
        }
        Map<TopicPartition, Long> parsed = new HashMap<>();
        String text = text(positions);
        if (!text.isEmpty()) {
            for (String entry : text.split(",")) {
                // "<topic>-<partition>=<offset>": topic names may hold '-', so the partition is after the last one
                int equals = entry.lastIndexOf('=');
                int dash = entry.lastIndexOf('-', equals);
                parsed.put(new TopicPartition(entry.substring(0, dash), Integer.parseInt(entry.substring(dash + 1, equals))),
                    Long.parseLong(entry.substring(equals + 1)));
            }
        }
        return Optional.of(new ProjectionMark(Long.parseLong(text(sequence)), Integer.parseInt(text(size)), parsed));
    }

    private Map<String, Long> positionsByName() {
        Map<String, Long> byName = new TreeMap<>();
        positions.forEach((partition, offset) -> byName.put(partition.toString(), offset));
        return byName;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Header header) {
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
