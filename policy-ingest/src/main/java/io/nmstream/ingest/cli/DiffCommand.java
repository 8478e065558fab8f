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

/** {@code policy diff -f FILE|DIR}: what applying the manifests would change against what is published. */
@Command(name = "diff", mixinStandardHelpOptions = true,
    description = "Show what applying the manifests would change against the published policies.")
public final class DiffCommand extends ManifestCommand {

    @Option(names = "--prune", description = "Also show the deletions apply --prune would publish.")
    boolean prune;

    @Override
    int run(PolicyPublisher publisher) {
        Map<String, PolicyManifest> byName = loaded.policies().stream()
            .collect(Collectors.toMap(PolicyManifest::name, Function.identity()));
        List<PolicyChange> changes = publisher.plan(loaded.policies(), source(), prune);
        for (PolicyChange change : changes) {
            out().println(change.describe().replace(" created", " would be created").replace(" updated", " would be updated")
                .replace(" deleted", " would be deleted"));
            if (change.kind() == PolicyChange.Kind.UPDATE) {
                PolicyManifest next = byName.get(change.name());
                PolicyDocuments.diffSpec(change.previous(), next).forEach(line -> out().println("  ~ " + line));
                PolicyDocuments.diff(change.previous().getDesiredState(), next.desiredState()).forEach(line -> out().println("  " + line));
            }
        }
        return ExitCodes.OK;
    }
}
