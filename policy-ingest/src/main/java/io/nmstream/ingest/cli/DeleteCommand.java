package io.nmstream.ingest.cli;

import io.nmstream.common.cli.DurationConverter;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.labels.LabelSyntax;
import io.nmstream.ingest.publish.PolicyChange;
import io.nmstream.ingest.publish.PolicyPublisher;
import io.nmstream.ingest.publish.PolicySources;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code policy delete NAME [--dry-run] [--wait[=DURATION]] [--ignore-not-found]}: publishes the deletion of a policy. */
@Command(name = "delete", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = ExitCodes.INVALID_INPUT,
    description = "Delete a policy by name.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:deleted (with --wait: and its status is gone)", "1:no such policy (unless --ignore-not-found), or invalid input",
        "2:timed out waiting, or Kafka or the schema registry could not be reached"})
public final class DeleteCommand extends ClusterCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "The policy's metadata.name.")
    String name;

    @Option(names = "--wait", arity = "0..1", paramLabel = "DURATION", fallbackValue = ApplyCommand.DEFAULT_WAIT,
        converter = DurationConverter.class,
        description = "Then wait until the policy's status is gone, as kubectl delete does, and its enactments' (nodes that revert "
            + "it have) (default when given without a duration: " + ApplyCommand.DEFAULT_WAIT + ").")
    Duration waitFor;

    @Option(names = "--dry-run", description = "Print what would be published, publish nothing.")
    boolean dryRun;

    @Option(names = "--ignore-not-found", description = "A policy that does not exist is no error: exit 0 and print nothing, as "
        + "kubectl delete --ignore-not-found does (for teardown scripts that may run twice).")
    boolean ignoreNotFound;

    @Override
    Integer before() {
        if (name.isEmpty() || !LabelSyntax.isPolicyReference(name)) {
            err().println("error: \"" + name + "\" is not a policy name: " + LabelSyntax.NAME_RULE);
            return ExitCodes.INVALID_INPUT;
        }
        if (dryRun && waitFor != null) {
            err().println("error: --wait cannot be used with --dry-run: nothing is published to wait for");
            return ExitCodes.INVALID_INPUT;
        }
        return null;
    }

    @Override
    int run(PolicyPublisher publisher) {
        Optional<PolicyChange> change = dryRun ? publisher.planDelete(name, PolicySources.cli(user(), CLIENT))
            : publisher.delete(name, PolicySources.cli(user(), CLIENT));
        if (change.isEmpty()) {
            if (ignoreNotFound) {
                return ExitCodes.OK;
            }
            err().println("error: policy/" + name + " not found");
            return ExitCodes.INVALID_INPUT;
        }
        out().println(change.get().describe() + (dryRun ? " (dry run)" : ""));
        if (waitFor == null) {
            return ExitCodes.OK;
        }
        ClusterSettings settings = cluster.cluster();
        return DeletionWait.awaitGone(settings, cluster.topics(settings), CLIENT, name, waitFor, waitFor, err()) ? ExitCodes.OK
            : ExitCodes.TIMED_OUT;
    }
}
