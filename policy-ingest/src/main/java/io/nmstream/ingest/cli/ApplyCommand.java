package io.nmstream.ingest.cli;

import io.nmstream.ingest.publish.PolicyChange;
import io.nmstream.ingest.publish.PolicyPublisher;
import io.nmstream.schemas.avro.PolicySource;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code policy apply -f FILE|DIR [--prune] [--dry-run]}: publishes what the manifests change. */
@Command(name = "apply", mixinStandardHelpOptions = true,
    description = "Publish NodeNetworkConfigurationPolicy manifests; unchanged policies publish nothing.")
public final class ApplyCommand extends ManifestCommand {

    @Option(names = "--prune", description = "Delete policies this source published before and no longer contains.")
    boolean prune;

    @Option(names = "--dry-run", description = "Print what would be published, publish nothing.")
    boolean dryRun;

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
        changes.forEach(change -> out().println(change.describe() + suffix));
        return ExitCodes.OK;
    }
}
