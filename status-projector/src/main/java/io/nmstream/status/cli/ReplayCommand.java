package io.nmstream.status.cli;

import io.nmstream.common.cli.ClusterOptions;
import io.nmstream.common.cli.DurationConverter;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.schemas.avro.ResourceKind;
import io.nmstream.schemas.avro.ResourceStatus;
import io.nmstream.status.projector.Replay;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code nmstream replay}: rebuilds the fleet status from the beginning of the topics in a fresh consumer and compares it
 * with the live projection at the input positions it was folded up to; exits 1 when they differ, printing the first
 * differing resource with both statuses.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = "Rebuild all status from the beginning of the topics and compare it with the live projection.")
public final class ReplayCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions options = new ClusterOptions();

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
        description = "Longest time the rebuild may take (default: ${DEFAULT-VALUE}).")
    Duration timeout = Duration.ofMinutes(30);

    @Override
    public Integer call() {
        ClusterSettings cluster = options.answeringCluster();
        Replay.Report report = Replay.run(cluster, options.topics(cluster), timeout);
        PrintWriter out = spec.commandLine().getOut();
        out.println("events:     " + report.events());
        out.println("rebuilt:    " + count(report, ResourceKind.NNCP) + " nncp, " + count(report, ResourceKind.NNCE) + " nnce, "
            + count(report, ResourceKind.NNS) + " nns");
        out.println("live:       " + report.liveCount() + " resources");
        out.println("elapsed:    " + report.elapsedNanos() / 1_000_000 + " ms");
        out.println("events/s:   " + String.format(Locale.ROOT, "%.0f", report.eventsPerSecond()));
        out.println("folded to:  " + report.foldedTo().map(mark -> "the input positions of live publish " + mark.sequence())
            .orElse("the end of the inputs (the live projection carries no input positions)"));
        if (report.rejected() > 0) {
            out.println("skipped:    " + report.rejected() + " records that cannot be decoded or break the event contract");
        }
        if (report.matches()) {
            out.println("match:      yes");
        } else {
            out.println("match:      no (" + report.mismatchedKeys().size() + " differ: "
                + String.join(", ", report.mismatchedKeys().subList(0, Math.min(10, report.mismatchedKeys().size())))
                + (report.mismatchedKeys().size() > 10 ? ", ..." : "") + ")");
            report.firstMismatch().ifPresent(first -> {
                out.println("first:      " + first.key());
                out.println("  rebuilt:  " + describe(first.rebuilt()));
                out.println("  live:     " + describe(first.live()));
            });
        }
        out.flush();
        return report.matches() ? 0 : 1;
    }

    private static String describe(ResourceStatus status) {
        return status == null ? "(none)" : status.toString();
    }

    private static int count(Replay.Report report, ResourceKind kind) {
        return report.rebuiltByKind().getOrDefault(kind, 0);
    }
}
