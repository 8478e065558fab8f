package io.nmstream.ingest.cli;

import io.nmstream.ingest.manifest.ManifestParser;
import io.nmstream.ingest.publish.PolicyChange;
import io.nmstream.ingest.publish.PolicyPublisher;
import io.nmstream.ingest.publish.PolicySources;
import io.nmstream.schemas.avro.PolicySource;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code policy apply -f FILE|DIR [--prune] [--dry-run]}: publishes what the manifests change. */
@Command(name = "apply", mixinStandardHelpOptions = true,
    description = "Publish NodeNetworkConfigurationPolicy manifests; unchanged policies publish nothing.")
public final class ApplyCommand extends ClusterCommand {

    @Mixin
    ManifestOptions manifests;

    @Option(names = "--prune", description = "Delete policies this source published before and no longer contains.")
    boolean prune;

    @Option(names = "--dry-run", description = "Print what would be published, publish nothing.")
    boolean dryRun;

    private ManifestParser.Result loaded;

    @Override
    Integer before() {
        loaded = manifests.loadValid(err());
        return loaded == null ? ExitCodes.INVALID_INPUT : null;
    }

    @Override
    int run(PolicyPublisher publisher) {
        PolicySource source = PolicySources.files(manifests.paths.get(0), manifests.origin, user(), CLIENT);
        List<PolicyChange> changes = dryRun ? publisher.plan(loaded.policies(), source, prune)
            : publisher.apply(loaded.policies(), source, prune);
        String suffix = dryRun ? " (dry run)" : "";
        changes.forEach(change -> out().println(change.describe() + suffix));
        return ExitCodes.OK;
    }
}
