package io.nmstream.status.cli;

import io.nmstream.common.cli.ClusterOptions;
import io.nmstream.common.cli.DurationConverter;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.schemas.avro.ResourceStatus;
import io.nmstream.status.projector.LatestValues;
import io.nmstream.status.resources.NmstateKind;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code nmstream get nncp|nnce|nns [NAME] [-o wide|yaml|json]}: status from the projection, no Kubernetes needed. */
@Command(name = "get", mixinStandardHelpOptions = true,
    description = "Show policy (nncp), enactment (nnce) or node state (nns) status from the status topic, as kubectl would.")
public final class GetCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions options = new ClusterOptions();

    @Parameters(index = "0", paramLabel = "TYPE", description = "nncp, nnce or nns.")
    String type;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "One resource; all when omitted.")
    String name;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "wide, yaml or json; a table when omitted.")
    String output;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
        description = "Longest time to read the status topic (default: ${DEFAULT-VALUE}).")
    Duration timeout = Duration.ofSeconds(60);

    @Override
    public Integer call() {
        NmstateKind kind;
        OutputFormat format;
        try {
            kind = NmstateKind.parse(type);
            format = output == null ? OutputFormat.TABLE
                : OutputFormat.parse(output, OutputFormat.WIDE, OutputFormat.YAML, OutputFormat.JSON);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        ClusterSettings cluster = options.cluster();
        List<ResourceStatus> statuses = new ArrayList<>();
        LatestValues.read(cluster.clientProperties(), options.topics(cluster).status(), "nmstream-get-" + UUID.randomUUID(), timeout)
            .values().forEach(s -> {
                if (!s.getDeleted() && s.getKind() == kind.resourceKind() && (name == null || s.getName().equals(name))) {
                    statuses.add(s);
                }
            });
        statuses.sort(Comparator.comparing(ResourceStatus::getName));
        PrintWriter out = spec.commandLine().getOut();
        if (name != null && statuses.isEmpty()) {
            spec.commandLine().getErr().println("Error: " + kind.shortName() + " \"" + name + "\" not found");
            return 1;
        }
        if (format == OutputFormat.YAML || format == OutputFormat.JSON) {
            StatusPrinter.documents(out, statuses, name != null, format);
        } else if (kind == NmstateKind.NNS && name != null) {
            StatusPrinter.interfaces(out, statuses.get(0));
        } else if (statuses.isEmpty()) {
            spec.commandLine().getErr().println("No resources found");
        } else {
            StatusPrinter.table(out, kind, statuses, format == OutputFormat.WIDE);
        }
        return 0;
    }
}
