package io.nmstream.ingest.cli;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nmstream.common.cli.DurationConverter;
import io.nmstream.common.config.Durations;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.kafka.ReadTimeoutException;
import io.nmstream.common.kafka.RejectedRecords;
import io.nmstream.common.status.NmstateKind;
import io.nmstream.common.status.PolicyWait;
import io.nmstream.common.status.RolloutProgressDisplay;
import io.nmstream.common.status.StatusFollower;
import io.nmstream.ingest.manifest.ManifestFiles;
import io.nmstream.ingest.publish.PolicyChange;
import io.nmstream.ingest.publish.PolicyPublisher;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.PolicySource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code policy apply -f FILE|DIR [--prune] [--dry-run] [--wait[=DURATION]]}: publishes what the manifests change. */
@Command(name = "apply", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = ExitCodes.INVALID_INPUT,
    description = "Publish NodeNetworkConfigurationPolicy manifests; unchanged policies publish nothing.",
    exitCodeListHeading = "%nExit codes with --wait:%n",
    exitCodeList = {"0:every policy is Available",
        "1:a policy is Degraded (its failing nodes are printed) or was deleted meanwhile, or invalid input",
        "2:timed out, or Kafka or the schema registry could not be reached"})
public final class ApplyCommand extends ManifestCommand {

    /** How long {@code --wait} waits when given no duration. */
    static final String DEFAULT_WAIT = "5m";

    @Option(names = "--prune", description = "Delete policies this source published before and no longer contains.")
    boolean prune;

    @Option(names = "--dry-run", description = "Print what would be published, publish nothing.")
    boolean dryRun;

    @Option(names = "--wait", arity = "0..1", paramLabel = "DURATION", fallbackValue = DEFAULT_WAIT,
        converter = DurationConverter.class,
        description = "Then wait until every applied policy is Available at its generation, showing the rollout, and every "
            + "policy --prune deleted is gone (default when given without a duration: " + DEFAULT_WAIT + ").")
    Duration waitFor;

    @Option(names = {"-o", "--output"}, paramLabel = "name", description = "name: print each policy the manifests hold as "
        + "nodenetworkconfigurationpolicy.nmstate.io/NAME, one per line, as kubectl apply -o name does (for nmstream wait); "
        + "not those --prune deletes.")
    String output;

    @Override
    String optionsRefusal() {
        if (dryRun && waitFor != null) {
            return "--wait cannot be used with --dry-run: nothing is published to wait for";
        }
        if (output != null && !output.equals("name")) {
            return "-o " + output + " is not an output format of policy apply: expected -o name";
        }
        if (output != null && waitFor != null) {
            return "-o name prints names only, --wait a rollout: give one (nmstream wait $(nmstream policy apply -f ... -o name) "
                + "waits too)";
        }
        boolean piped = manifests.paths.stream().findFirst().map(ManifestFiles::isStdin).orElse(false);
        if (prune && piped && (manifests.origin == null || manifests.origin.isBlank())) {
            // every pipeline would be the same source "stdin", and each would prune the policies of the others
            return "--prune with -f - needs --origin NAME: the name of the source whose policies the piped manifests replace";
        }
        return null;
    }

    @Override
    String refusalNote() {
        // without every file, a policy whose file could not be read would look removed from the source, and be deleted
        return prune ? "--prune did not run: it needs every path under -f read and valid" : null;
    }

    @Override
    int run(PolicyPublisher publisher) {
        PolicySource source = source();
        List<PolicyChange> changes = dryRun ? publisher.plan(loaded.policies(), source, prune)
            : publisher.apply(loaded.policies(), source, prune);
        String suffix = dryRun ? " (dry run)" : "";
        if (output != null) {
            // the policies in force, for a wait on them: not those --prune deleted
            changes.stream().filter(change -> change.kind() != PolicyChange.Kind.DELETE)
                .forEach(change -> out().println(NmstateKind.NNCP.objectName(change.name())));
        } else {
            // a deletion of --prune in kubectl apply --prune's words
            changes.forEach(change -> out().println((change.kind() == PolicyChange.Kind.DELETE
                ? NmstateKind.NNCP.objectName(change.name()) + " pruned" : change.describe()) + suffix));
        }
        return waitFor == null ? ExitCodes.OK : awaitAvailable(changes);
    }

    /**
     * Waits for each policy the manifests hold, at the generation now published, until all are Available (and each one
     * deleted is gone), reading the status topic once for all of them.
     */
    private int awaitAvailable(List<PolicyChange> changes) {
        ClusterSettings settings = cluster.cluster();
        Topics topics = cluster.topics(settings);
        String clientId = CLIENT + "-wait-" + UUID.randomUUID();
        try (RejectedRecords rejections = RejectedRecords.countedOnly(clientId, new SimpleMeterRegistry());
             StatusFollower follower = new StatusFollower(settings.clientProperties(), topics.status(), clientId, rejections)) {
            return awaitAvailable(changes, follower);
        } catch (ReadTimeoutException e) {
            // the status topic itself took longer to read than the wait may last: a timeout of the wait
            err().println("error: timed out after " + Durations.format(waitFor) + " waiting for the policies' status: " + e.getMessage());
            return ExitCodes.TIMED_OUT;
        }
    }

    private int awaitAvailable(List<PolicyChange> changes, StatusFollower follower) {
        Instant deadline = Instant.now().plus(waitFor);
        boolean terminal = System.console() != null;
        for (PolicyChange change : changes) {
            Duration left = Duration.between(Instant.now(), deadline);
            left = left.isNegative() ? Duration.ZERO : left;
            if (change.kind() == PolicyChange.Kind.DELETE) {
                if (!DeletionWait.awaitGone(follower, change.name(), left, waitFor, err())) {
                    return ExitCodes.TIMED_OUT;
                }
                out().println(NmstateKind.NNCP.objectName(change.name()) + " is gone");
                continue;
            }
            String object = NmstateKind.NNCP.objectName(change.name());
            long generation = change.publishes() ? change.event().getGeneration() : change.previous().getGeneration();
            RolloutProgressDisplay display = new RolloutProgressDisplay(out(), terminal, Instant::now);
            PolicyWait.Result result = new PolicyWait(change.name(), generation, "Available", "True").await(follower, left, display);
            display.finish();
            switch (result.outcome()) {
                case MET -> out().println(object + " generation " + result.policy().getGeneration() + " is "
                    + PolicyWait.summary(result.policy()));
                case DEGRADED -> {
                    err().println("error: " + object + " generation " + result.policy().getGeneration() + " is "
                        + PolicyWait.summary(result.policy()));
                    result.failures().forEach(failure -> err().println("  " + failure));
                    return ExitCodes.DEGRADED;
                }
                case DELETED -> {
                    err().println("error: " + object + " was deleted while waiting for generation " + generation
                        + " to be Available");
                    return ExitCodes.DEGRADED;
                }
                default -> {
                    err().println("error: timed out after " + Durations.format(waitFor) + " waiting for " + object + " generation "
                        + generation + " to be Available" + (result.policy() == null ? " (no status yet)"
                        : " (" + PolicyWait.summary(result.policy()) + ")"));
                    return ExitCodes.TIMED_OUT;
                }
            }
        }
        return ExitCodes.OK;
    }
}
