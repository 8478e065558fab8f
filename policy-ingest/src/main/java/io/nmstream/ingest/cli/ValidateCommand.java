package io.nmstream.ingest.cli;

import io.nmstream.common.config.Config;
import io.nmstream.common.config.ConfigException;
import io.nmstream.common.status.NmstateKind;
import io.nmstream.ingest.IngestSettings;
import io.nmstream.ingest.manifest.ManifestFiles;
import io.nmstream.ingest.manifest.ManifestParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code policy validate FILE|DIR...} (or {@code -f FILE|DIR}): validates manifests offline, reporting every problem of every file. */
@Command(name = "validate", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = ExitCodes.INVALID_INPUT,
    description = "Validate NodeNetworkConfigurationPolicy manifests without publishing them.")
public final class ValidateCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "FILE|DIR", description = "Manifest files or directories, or - for the standard input.")
    List<Path> paths = new ArrayList<>();

    @Option(names = {"-f", "--filename"}, paramLabel = "FILE|DIR",
        description = "The same, given as policy apply and kubectl take them; repeatable.")
    List<Path> filenames = new ArrayList<>();

    @Option(names = "--set", paramLabel = "NAME=VALUE",
        description = "A setting, e.g. --set ingest.manifest.max.bytes=4MiB (default: NMSTREAM_* variables, then 1MiB).")
    Map<String, String> settings = new LinkedHashMap<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<Path> manifests = new ArrayList<>(paths);
        manifests.addAll(filenames);
        if (manifests.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "Missing the manifests: give FILE|DIR... or -f FILE|DIR (- for the standard "
                + "input)");
        }
        long maxFileBytes;
        try {
            maxFileBytes = Config.fromEnvironment(settings).get(IngestSettings.MANIFEST_MAX_BYTES);
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return ExitCodes.INVALID_INPUT;
        }
        ManifestParser.Result result = new ManifestFiles(maxFileBytes, IngestSettings.MANIFEST_MAX_BYTES.name()).load(manifests);
        if (!result.valid()) {
            result.problems().forEach(problem -> spec.commandLine().getErr().println("error: " + problem.message()));
            spec.commandLine().getErr().println(result.problems().size() + (result.problems().size() == 1 ? " problem" : " problems"));
            return ExitCodes.INVALID_INPUT;
        }
        result.policies().forEach(policy -> spec.commandLine().getOut().println(NmstateKind.NNCP.objectName(policy.name()) + " valid ("
            + policy.source() + " document[" + policy.document() + "], digest " + policy.desiredStateDigest().substring(0, 12) + ")"));
        return ExitCodes.OK;
    }
}
