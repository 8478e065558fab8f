package io.nmstream.ingest.cli;

import io.nmstream.ingest.manifest.ManifestFiles;
import io.nmstream.ingest.manifest.ManifestParser;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code policy validate FILE|DIR...}: validates manifests offline, reporting every problem of every file. */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = "Validate NodeNetworkConfigurationPolicy manifests without publishing them.")
public final class ValidateCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE|DIR", description = "Manifest files or directories.")
    List<Path> paths;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ManifestParser.Result result = new ManifestFiles().load(paths);
        if (!result.valid()) {
            result.problems().forEach(problem -> spec.commandLine().getErr().println("error: " + problem.message()));
            spec.commandLine().getErr().println(result.problems().size() + " problem(s)");
            return ExitCodes.INVALID_INPUT;
        }
        result.policies().forEach(policy -> spec.commandLine().getOut().println("policy/" + policy.name() + " valid ("
            + policy.source() + " document[" + policy.document() + "], digest " + policy.desiredStateDigest().substring(0, 12) + ")"));
        return ExitCodes.OK;
    }
}
