package io.nmstream.status.bench;

import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;
import io.nmstream.schemas.avro.PolicyAction;
import io.nmstream.schemas.avro.PolicyEvent;
import io.nmstream.schemas.avro.PolicySource;
import io.nmstream.schemas.avro.SourceKind;
import io.nmstream.status.fold.StatusFold;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Benchmark program (not a test): folds full rollouts (PENDING, PROGRESSING, AVAILABLE per node) of one policy over
 * fleets of growing size and prints events per second, by wall clock and by the folding thread's CPU time (the latter
 * is what to compare on a shared machine), to show that one event costs the same whatever the fleet size.
 *
 * <p>Run: {@code mvn -o -q -pl status-projector exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.nmstream.status.bench.FoldBenchmark}
 */
public final class FoldBenchmark {

    private FoldBenchmark() {
    }

    public static void main(String[] args) {
        int[] fleets = {1_000, 10_000, 100_000};
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.println("nodes     events     wall-ms  cpu-ms   events/s(wall)  events/s(cpu)");
        for (int round = 0; round < 2; round++) {
            for (int nodes : fleets) {
                List<EnactmentEvent> events = rollout(nodes);
                StatusFold fold = new StatusFold();
                fold.apply(policy());
                long started = System.nanoTime();
                long cpuStarted = threads.getCurrentThreadCpuTime();
                for (EnactmentEvent event : events) {
                    fold.apply(event);
                }
                long nanos = System.nanoTime() - started;
                long cpu = threads.getCurrentThreadCpuTime() - cpuStarted;
                if (round == 1) {
                    System.out.println(String.format(Locale.ROOT, "%-9d %-10d %-8d %-8d %-15.0f %.0f", nodes, events.size(),
                        nanos / 1_000_000, cpu / 1_000_000, events.size() * 1e9 / nanos, events.size() * 1e9 / cpu));
                }
            }
        }
    }

    private static PolicyEvent policy() {
        return PolicyEvent.newBuilder().setAction(PolicyAction.UPSERT).setName("br1").setUid("u").setGeneration(1)
            .setNodeSelector(Map.of()).setSource(PolicySource.newBuilder().setKind(SourceKind.CLI).build())
            .setEventTime(Instant.parse("2026-03-24T10:00:00Z")).build();
    }

    private static List<EnactmentEvent> rollout(int nodes) {
        List<EnactmentEvent> events = new ArrayList<>(nodes * 3);
        Instant t = Instant.parse("2026-03-24T10:00:01Z");
        for (EnactmentPhase phase : List.of(EnactmentPhase.PENDING, EnactmentPhase.PROGRESSING, EnactmentPhase.AVAILABLE)) {
            for (int i = 0; i < nodes; i++) {
                t = t.plusMillis(1);
                events.add(EnactmentEvent.newBuilder().setEventId("e").setNode("node-" + i).setPolicy("br1").setGeneration(1)
                    .setPhase(phase).setDesiredStateDigest("d").setTimestamp(t).build());
            }
        }
        return events;
    }
}
