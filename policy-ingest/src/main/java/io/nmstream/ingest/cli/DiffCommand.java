package io.nmstream.ingest.cli;

import io.nmstream.ingest.manifest.PolicyManifest;
import io.nmstream.ingest.publish.PolicyChange;
import io.nmstream.ingest.publish.PolicyDocuments;
import io.nmstream.ingest.publish.PolicyPublisher;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code policy diff -f FILE|DIR}: what applying the manifests would change against what is published. Exits as kubectl
 * diff does, so that a pipeline can tell drift from a failure: 0 nothing would change, 1 something would, 2 it could not
 * compare.
 */
@Command(name = "diff", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = ExitCodes.INVALID_INPUT,
    description = "Show what applying the manifests would change against the published policies.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:nothing would change", "1:applying would change published policies",
        "2:nothing was compared (invalid manifests or options, Kafka or the registry unreachable)"})
public final class DiffCommand extends ManifestCommand {

    @Option(names = "--prune", description = "Also show the deletions apply --prune would publish.")
    boolean prune;

    @Override
    int run(PolicyPublisher publisher) {
        Map<String, PolicyManifest> byName = loaded.policies().stream()
            .collect(Collectors.toMap(PolicyManifest::name, Function.identity()));
        List<PolicyChange> changes = publisher.plan(loaded.policies(), source(), prune);
        boolean anyChange = false;
        for (PolicyChange change : changes) {
            anyChange |= change.kind() != PolicyChange.Kind.UNCHANGED;
            out().println(change.describe("would be "));
            if (change.kind() == PolicyChange.Kind.UPDATE) {
                PolicyManifest next = byName.get(change.name());
                PolicyDocuments.diffSpec(change.previous(), next).forEach(line -> out().println("  ~ " + line));
                PolicyDocuments.diff(change.previous().getDesiredState(), next.desiredState()).forEach(line -> out().println("  " + line));
            }
        }
        return anyChange ? ExitCodes.DIFFERENCES_FOUND : ExitCodes.OK;
    }

    @Override
    int failure(int exitCode) {
        return ExitCodes.DIFF_FAILED;
    }
}
