package io.nmstream.ingest.cli;

import io.nmstream.ingest.IngestSettings;
import io.nmstream.ingest.manifest.ManifestFiles;
import io.nmstream.ingest.manifest.ManifestParser;
import io.nmstream.ingest.manifest.ManifestProblem;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The {@code -f FILE|DIR} flags of apply and diff, and the reporting of invalid manifests they share. */
final class ManifestOptions {

    @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE|DIR",
        description = "Manifest file or directory (YAML or JSON, *.yaml, *.yml, *.json), or - for the standard input; repeatable.")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--origin", paramLabel = "NAME",
        description = "Name of this source for --prune (default: file:<absolute path of the first -f>; required with -f - and --prune).")
    String origin;

    /**
     * Loads the manifests, refusing files over {@code maxFileBytes}; when anything under the paths is invalid or cannot
     * be read, prints every problem to {@code err} (and {@code note}, when given) and returns null.
     */
    ManifestParser.Result loadValid(PrintWriter err, long maxFileBytes, String note) {
        ManifestParser.Result loaded = new ManifestFiles(maxFileBytes, IngestSettings.MANIFEST_MAX_BYTES.name()).load(paths);
        if (loaded.valid()) {
            return loaded;
        }
        report(loaded.problems(), err);
        if (note != null) {
            err.println(note);
        }
        return null;
    }

    /** Prints every problem, one per line, and a summary. */
    static void report(List<ManifestProblem> problems, PrintWriter err) {
        problems.forEach(problem -> err.println("error: " + problem.message()));
        err.println(problems.size() + (problems.size() == 1 ? " problem" : " problems") + "; nothing was published");
    }
}
