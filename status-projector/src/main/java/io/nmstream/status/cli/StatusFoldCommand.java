package io.nmstream.status.cli;

import io.nmstream.schemas.avro.ResourceKind;
import io.nmstream.schemas.avro.ResourceStatus;
import io.nmstream.status.audit.AuditFold;
import io.nmstream.status.fold.StatusFold;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code nmstream status fold FILE.jsonl|- [-o yaml|json]} (or {@code --input FILE.jsonl}): the projector's fold,
 * offline, over an audit export; prints the NNCP and NNCE objects with their status.
 */
@Command(name = "fold", mixinStandardHelpOptions = true,
    description = "Fold an audit export (nmstream audit -o jsonl) into NNCP and NNCE status, offline.")
public final class StatusFoldCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--input", paramLabel = "FILE.jsonl",
        description = "Audit export, one JSON record a line; - for the standard input.")
    Path input;

    @Parameters(arity = "0..1", paramLabel = "FILE.jsonl", description = "The audit export, as --input takes it: "
        + "nmstream audit | nmstream status fold -")
    Path inputArgument;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "yaml (default) or json.")
    String output = "yaml";

    @Override
    public Integer call() {
        OutputFormat format;
        try {
            format = OutputFormat.parse(output, OutputFormat.YAML, OutputFormat.JSON);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if ((input == null) == (inputArgument == null)) {
            throw new ParameterException(spec.commandLine(), input == null ? "Missing the audit export: give FILE.jsonl, or - for the "
                + "standard input" : "Give the audit export once: --input '" + input + "' or '" + inputArgument + "'");
        }
        Path export = input == null ? inputArgument : input;
        StatusFold fold;
        try (BufferedReader reader = export.toString().equals("-")
            ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
            : Files.newBufferedReader(export, StandardCharsets.UTF_8)) {
            fold = AuditFold.fold(reader);
        } catch (NoSuchFileException e) {
            throw new ParameterException(spec.commandLine(), "The audit export '" + export + "' does not exist");
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "The audit export '" + export + "' cannot be read: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("error: " + export + " " + e.getMessage());
            return 1;
        }
        List<ResourceStatus> statuses = new ArrayList<>(fold.statuses(ResourceKind.NNCP));
        statuses.addAll(fold.statuses(ResourceKind.NNCE));
        StatusPrinter.documents(spec.commandLine().getOut(), statuses, false, format);
        return 0;
    }
}
