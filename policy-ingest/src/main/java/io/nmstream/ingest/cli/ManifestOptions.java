package io.nmstream.ingest.cli;

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
        description = "Manifest file or directory (YAML or JSON, *.yaml, *.yml, *.json); repeatable.")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--origin", paramLabel = "NAME",
        description = "Name of this source for --prune (default: file:<absolute path of the first -f>).")
    String origin;

    ManifestParser.Result load() {
        return new ManifestFiles().load(paths);
    }

    /** Prints every problem, one per line, and a summary. */
    /** Loads the manifests; when any is invalid, prints every problem to {@code err} and returns null. */
    ManifestParser.Result loadValid(PrintWriter err) {
        ManifestParser.Result loaded = load();
        if (loaded.valid()) {
            return loaded;
        }
        report(loaded.problems(), err);
        return null;
    }

    static void report(List<ManifestProblem> problems, PrintWriter err) {
        problems.forEach(problem -> err.println("error: " + problem.message()));
        err.println(problems.size() + (problems.size() == 1 ? " problem" : " problems") + "; nothing was published");
    }
}
