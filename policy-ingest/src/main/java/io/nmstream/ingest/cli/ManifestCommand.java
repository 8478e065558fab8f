package io.nmstream.ingest.cli;

import io.nmstream.ingest.manifest.ManifestParser;
import io.nmstream.ingest.publish.PolicySources;
import io.nmstream.schemas.avro.PolicySource;
import picocli.CommandLine.Mixin;

/**
 * A {@code policy} subcommand that works on manifests read with {@code -f}: it loads and validates them before any
 * connection is made, and stops with exit code 1 (nothing published) when any is invalid.
 */
abstract class ManifestCommand extends ClusterCommand {

    @Mixin
    ManifestOptions manifests;

    /** The valid manifests, once {@link #before()} has run. */
    ManifestParser.Result loaded;

    @Override
    final Integer before() {
        loaded = manifests.loadValid(err());
        return loaded == null ? ExitCodes.INVALID_INPUT : null;
    }

    /** The audit source of what these manifests publish (the first file or directory, or --origin). */
    PolicySource source() {
        return PolicySources.files(manifests.paths.get(0), manifests.origin, user(), CLIENT);
    }
}
