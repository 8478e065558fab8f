package io.nmstream.status.cli;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nmstream.common.cli.ClusterOptions;
import io.nmstream.common.cli.DurationConverter;
import io.nmstream.common.config.Durations;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.kafka.RejectedRecords;
import io.nmstream.common.status.NmstateKind;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.PolicyEvent;
import io.nmstream.schemas.avro.RolloutEvent;
import io.nmstream.status.audit.AuditRecord;
import io.nmstream.status.audit.AuditRecords;
import io.nmstream.status.projector.FoldInput;
import io.nmstream.status.projector.FoldInput.InputTopic;
import io.nmstream.status.projector.InputReader;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.common.errors.InterruptException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code nmstream audit}: the audit trail (policy changes and every enactment step) as JSON lines for SIEM, or as a table.
 *
 * <p>The export is written in the projector's fold order, and carries what the fold needs, so that
 * {@code nmstream status fold --input} over it gives the live status.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
    description = "Print the audit trail: policy changes and enactment steps, as JSON lines (default) or a table.")
public final class AuditCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions options = new ClusterOptions();

    @Option(names = "--follow", description = "Keep printing new records until interrupted.")
    boolean follow;

    @Option(names = "--since", paramLabel = "TIME",
        description = "Only records at or after TIME: an ISO-8601 instant or a duration ago (1h, 30m, 7d).")
    String since;

    @Option(names = "--policy", paramLabel = "P", description = "Only records of this policy (its name, or nncp/NAME).")
    String policy;

    @Option(names = "--node", paramLabel = "N", description = "Only records of this node (policy changes are left out).")
    String node;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "jsonl (default) or table.")
    String output = "jsonl";

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
        description = "Longest time to read the history (default: ${DEFAULT-VALUE}).")
    Duration timeout = Duration.ofMinutes(10);

    private boolean headerPrinted;

    @Override
    public Integer call() {
        Instant from;
        OutputFormat format;
        try {
            from = since == null ? null : parseSince(since, Instant.now());
            format = OutputFormat.parse(output, OutputFormat.JSONL, OutputFormat.TABLE);
            policy = policy == null ? null : NmstateKind.policyName(policy);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        ClusterSettings cluster = options.answeringCluster();
        PrintWriter out = spec.commandLine().getOut();
        String clientId = "nmstream-audit-" + UUID.randomUUID();
        // audit writes nothing: records it must skip are counted and logged, the projector wrote their dead letters
        try (InputReader reader = new InputReader(cluster.clientProperties(), options.topics(cluster), clientId,
            EnumSet.of(InputTopic.POLICIES, InputTopic.ENACTMENTS, InputTopic.ROLLOUTS),
            RejectedRecords.countedOnly(clientId, new SimpleMeterRegistry()))) {
            reader.readToEnd(input -> print(out, input, from, format), timeout);
            out.flush();
            if (format == OutputFormat.TABLE && !headerPrinted && !follow) {
                // as kubectl get says "No resources found" on stderr: a table that is not there is not an empty success
                spec.commandLine().getErr().println("No audit records found" + (policy != null || node != null || from != null
                    ? " for these filters" : ""));
            }
            while (follow && !Thread.currentThread().isInterrupted()) {
                for (FoldInput input : reader.poll(Duration.ofMillis(500))) {
                    print(out, input, from, format);
                }
                out.flush();
            }
        } catch (InterruptException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** An ISO-8601 instant, or a duration before {@code now}. */
    static Instant parseSince(String text, Instant now) {
        try {
            return Instant.parse(text.trim());
        } catch (DateTimeParseException notAnInstant) {
            try {
                return now.minus(Durations.parse(text));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--since '" + text + "' is neither an ISO-8601 instant (2026-03-24T10:00:00Z) "
                    + "nor a duration (1h, 30m, 7d)");
            }
        }
    }

    private void print(PrintWriter out, FoldInput input, Instant from, OutputFormat format) {
        AuditRecord record;
        if (input.event() instanceof EnactmentEvent enactment) {
            record = AuditRecords.of(enactment);
        } else if (input.event() instanceof PolicyEvent policyEvent) {
            record = AuditRecords.of(policyEvent);
        } else if (input.event() instanceof RolloutEvent rollout) {
            record = AuditRecords.of(rollout);
        } else {
            return;
        }
        if (from != null && input.time().isBefore(from) || policy != null && !policy.equals(record.policy())
            || node != null && !node.equals(record.node())) {
            return;
        }
        if (format == OutputFormat.JSONL) {
            out.println(AuditRecords.toJson(record));
            return;
        }
        if (!headerPrinted) {
            out.println(String.format("%-24s  %-22s  %-7s  %-16s  %-20s  %4s  %8s  %s", "TIMESTAMP", "ACTION", "OUTCOME", "NODE", "POLICY",
                "GEN", "DURATION", "MESSAGE"));
            headerPrinted = true;
        }
        out.println(String.format("%-24s  %-22s  %-7s  %-16s  %-20s  %4d  %8s  %s", record.timestamp(), record.action(), record.outcome(),
            Objects.toString(record.node(), "-"), record.policy(), record.generation(),
            record.duration() == null ? "-" : record.duration() + "ms", Objects.toString(record.message(), "")).stripTrailing());
    }
}
