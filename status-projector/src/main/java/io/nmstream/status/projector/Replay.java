package io.nmstream.status.projector;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.kafka.RejectedRecords;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.ResourceKind;
import io.nmstream.schemas.avro.ResourceStatus;
import io.nmstream.status.fold.StatusFold;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Rebuilds the whole fleet status from the beginning of the input topics, in a fresh consumer of its own, and compares
 * it with the live projection in the status topic at the same input positions.
 *
 * <p>It first reads the live projection ({@link LiveProjection}): the latest status of every resource and the
 * {@link ProjectionMark} of the latest publish, the input positions that projection was folded up to. It then folds the
 * inputs from their beginning up to exactly those positions, in the order the projector folds them, so on a healthy
 * system both sides are the same fold of the same records, whatever is published meanwhile. Without a mark (no projector
 * has published yet) it folds to the current end of the inputs.
 *
 * <p>The comparison is exact: every field of every status, timestamps included. A status the live projector marked
 * deleted counts as absent. Records that cannot be decoded or break the event contract are skipped, as the projector
 * skips them, and counted in {@link Report#rejected()}.
 */
public final class Replay {

    private Replay() {
    }

    /**
     * What a replay found.
     *
     * @param rejected records skipped because they could not be decoded or broke the event contract
     * @param foldedTo the mark of the live publish the inputs were folded up to; empty when folded to their end
     * @param firstMismatch the first resource, in key order, whose statuses differ, with both
     */
    public record Report(long events, long elapsedNanos, Map<ResourceKind, Integer> rebuiltByKind, int liveCount,
                         List<String> mismatchedKeys, long rejected, Optional<ProjectionMark> foldedTo,
                         Optional<Mismatch> firstMismatch) {

        /** True when the rebuilt status equals the live projection exactly. */
        public boolean matches() {
            return mismatchedKeys.isEmpty();
        }

        /** Events folded per second of the rebuild. */
        public double eventsPerSecond() {
            return elapsedNanos == 0 ? 0 : events * 1e9 / elapsedNanos;
        }
    }

    /**
     * One resource whose statuses differ.
     *
     * @param key the resource's status key ({@code <kind>/<name>})
     * @param rebuilt its status as rebuilt from the topics; null when the rebuild has none
     * @param live its status in the live projection; null when it has none
     */
    public record Mismatch(String key, ResourceStatus rebuilt, ResourceStatus live) {
    }

    /** Rebuilds and compares; the rebuild is timed, the read of the live projection is not. */
    public static Report run(ClusterSettings cluster, Topics topics, Duration timeout) {
        String clientId = "nmstream-replay-" + UUID.randomUUID();
        // replay writes nothing: the records it skips are counted and logged, the projector wrote their dead letters
        LiveProjection projection = LiveProjection.read(cluster.clientProperties(), topics.status(), clientId + "-status", timeout,
            RejectedRecords.countedOnly(clientId + "-status", new SimpleMeterRegistry()));
        Optional<ProjectionMark> mark = projection.mark();
        StatusFold fold = new StatusFold();
        long started = System.nanoTime();
        long events;
        long rejected;
        try (InputReader reader = new InputReader(cluster.clientProperties(), topics, clientId,
            RejectedRecords.countedOnly(clientId, new SimpleMeterRegistry()))) {
            events = mark.isPresent()
                ? reader.readUpTo(mark.get().positions(), input -> input.applyTo(fold), timeout)
                : reader.readToEnd(input -> input.applyTo(fold), timeout);
            rejected = reader.rejected();
        }
        long elapsed = System.nanoTime() - started;
        Map<String, ResourceStatus> rebuilt = fold.snapshot();
        Map<String, ResourceStatus> live = new TreeMap<>();
        projection.statuses().forEach((key, status) -> {
            if (!status.getDeleted()) {
                live.put(key, status);
            }
        });
        Map<ResourceKind, Integer> byKind = new TreeMap<>();
        rebuilt.values().forEach(s -> byKind.merge(s.getKind(), 1, Integer::sum));
        List<String> mismatched = mismatches(rebuilt, live);
        Optional<Mismatch> first = mismatched.stream().findFirst().map(key -> new Mismatch(key, rebuilt.get(key), live.get(key)));
        return new Report(events, elapsed, byKind, live.size(), mismatched, rejected, mark, first);
    }

    /** The keys whose statuses differ in any field, or exist on one side only. */
    public static List<String> mismatches(Map<String, ResourceStatus> rebuilt, Map<String, ResourceStatus> live) {
        TreeSet<String> keys = new TreeSet<>(rebuilt.keySet());
        keys.addAll(live.keySet());
        List<String> out = new ArrayList<>();
        for (String key : keys) {
            if (!Objects.equals(rebuilt.get(key), live.get(key))) {
                out.add(key);
            }
        }
        return out;
    }
}
