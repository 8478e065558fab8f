package io.nmstream.ingest.cli;

import io.nmstream.common.cli.DurationConverter;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.labels.LabelSyntax;
import io.nmstream.common.status.NmstateKind;
import io.nmstream.ingest.publish.PolicyChange;
import io.nmstream.ingest.publish.PolicyPublisher;
import io.nmstream.ingest.publish.PolicySources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code policy delete NAME... [--dry-run] [--wait[=DURATION]] [--ignore-not-found]}: publishes the deletion of policies,
 * as {@code kubectl delete} does: each that exists is deleted, each that does not is reported, and the exit code says so.
 */
@Command(name = "delete", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = ExitCodes.INVALID_INPUT,
    description = "Delete policies by name.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:deleted (with --wait: and their status is gone)",
        "1:a policy does not exist (unless --ignore-not-found; the others are deleted), or invalid input (nothing is deleted)",
        "2:timed out waiting, or Kafka or the schema registry could not be reached"})
public final class DeleteCommand extends ClusterCommand {

    @Parameters(arity = "1..*", paramLabel = "NAME", description = "The policy's metadata.name, or nncp/NAME (as get nncp -o name "
        + "and policy apply print it); one or more.")
    List<String> references;

    /** The policies named, in the order given, each once. */
    private final List<String> names = new ArrayList<>();

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

    @Option(names = {"-o", "--output"}, paramLabel = "name", description = "name: print each deleted policy as "
        + "nodenetworkconfigurationpolicy.nmstate.io/NAME, one per line, as kubectl delete -o name does.")
    String output;

    @Override
    Integer before() {
        if (output != null && !output.equals("name")) {
            err().println("error: -o " + output + " is not an output format of policy delete: expected -o name");
            return ExitCodes.INVALID_INPUT;
        }
        for (String reference : references) {
            String name;
            try {
                name = NmstateKind.policyName(reference);
            } catch (IllegalArgumentException e) {
                err().println("error: " + e.getMessage());
                return ExitCodes.INVALID_INPUT;
            }
            if (name.isEmpty() || !LabelSyntax.isPolicyReference(name)) {
                err().println("error: \"" + name + "\" is not a policy name: " + LabelSyntax.NAME_RULE);
                return ExitCodes.INVALID_INPUT;
            }
            if (!names.contains(name)) {
                names.add(name);
            }
        }
        if (dryRun && waitFor != null) {
            err().println("error: --wait cannot be used with --dry-run: nothing is published to wait for");
            return ExitCodes.INVALID_INPUT;
        }
        return null;
    }

    @Override
    int run(PolicyPublisher publisher) {
        List<String> deleted = new ArrayList<>();
        boolean missing = false;
        for (String name : names) {
            Optional<PolicyChange> change = dryRun ? publisher.planDelete(name, PolicySources.cli(user(), CLIENT))
                : publisher.delete(name, PolicySources.cli(user(), CLIENT));
            if (change.isEmpty()) {
                if (!ignoreNotFound) {
                    err().println(NmstateKind.NNCP.notFound(name));
                    missing = true;
                }
                continue;
            }
            out().println(output != null ? NmstateKind.NNCP.objectName(name) : change.get().describe() + (dryRun ? " (dry run)" : ""));
            deleted.add(name);
        }
        int exitCode = missing ? ExitCodes.INVALID_INPUT : ExitCodes.OK;
        if (waitFor == null || deleted.isEmpty()) {
            return exitCode;
        }
        ClusterSettings settings = cluster.cluster();
        return DeletionWait.awaitGone(settings, cluster.topics(settings), CLIENT, deleted, waitFor, err()) ? exitCode
            : ExitCodes.TIMED_OUT;
    }
}
