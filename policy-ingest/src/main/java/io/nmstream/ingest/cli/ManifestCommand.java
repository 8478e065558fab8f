package io.nmstream.ingest.cli;

import io.nmstream.common.config.ConfigException;
import io.nmstream.ingest.IngestSettings;
import io.nmstream.ingest.manifest.ManifestFiles;
import io.nmstream.ingest.manifest.ManifestParser;
import io.nmstream.ingest.publish.PolicySources;
import io.nmstream.schemas.avro.PolicySource;
import java.nio.file.Path;
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
        String refusal = optionsRefusal();
        if (refusal != null) {
            err().println("error: " + refusal);
            return ExitCodes.INVALID_INPUT;
        }
        long maxFileBytes;
        try {
            maxFileBytes = cluster.config().get(IngestSettings.MANIFEST_MAX_BYTES);
        } catch (ConfigException e) {
            err().println("error: " + e.getMessage());
            return ExitCodes.INVALID_INPUT;
        }
        loaded = manifests.loadValid(err(), maxFileBytes, refusalNote());
        return loaded == null ? ExitCodes.INVALID_INPUT : null;
    }

    /** Why the options given cannot be used together; null when they can. */
    String optionsRefusal() {
        return null;
    }

    /** A line added to the problems when the manifests cannot be used (what did not happen because of them); null for none. */
    String refusalNote() {
        return null;
    }

    /** The audit source of what these manifests publish (the first file or directory, or the standard input, or --origin). */
    PolicySource source() {
        Path first = manifests.paths.get(0);
        return ManifestFiles.isStdin(first) ? PolicySources.stdin(manifests.origin, user(), CLIENT)
            : PolicySources.files(first, manifests.origin, user(), CLIENT);
    }
}
