package io.nmstream.status.cli;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nmstream.common.cli.ClusterOptions;
import io.nmstream.common.cli.DurationConverter;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.kafka.RejectedRecords;
import io.nmstream.common.labels.LabelSelector;
import io.nmstream.common.status.StatusFollower;
import io.nmstream.schemas.avro.ResourceStatus;
import io.nmstream.status.projector.LatestValues;
import io.nmstream.status.resources.NmstateDocuments;
import io.nmstream.common.status.NmstateKind;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.apache.kafka.common.errors.InterruptException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code nmstream get nncp|nnce|nns [NAME] [-o wide|yaml|json|name] [-w]}: status from the projection, no Kubernetes needed;
 * with {@code -w}, as {@code kubectl get -w}, then every change as it is written, until interrupted.
 */
@Command(name = "get", mixinStandardHelpOptions = true,
    description = "Show policy (nncp), enactment (nnce) or node state (nns) status from the status topic, as kubectl would.")
public final class GetCommand implements Callable<Integer> {

    private static final Duration WATCH_POLL = Duration.ofMillis(500);

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions options = new ClusterOptions();

    @Parameters(index = "0", paramLabel = "TYPE", description = "nncp, nnce or nns; or TYPE/NAME, as kubectl takes it.")
    String type;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "One resource; all when omitted.")
    String name;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "wide, yaml, json, or name (one "
        + "nodenetworkconfigurationpolicy.nmstate.io/NAME per line, as kubectl -o name); a table when omitted.")
    String output;

    @Option(names = {"-l", "--selector"}, paramLabel = "SELECTOR", description = "Only resources whose labels match, as kubectl get "
        + "-l takes it: key=value, key!=value, key, !key, key in (a,b), comma-separated; e.g. -l nmstate.io/policy=br1 for a "
        + "policy's enactments.")
    String selector;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
        description = "Longest time to read the status topic (default: ${DEFAULT-VALUE}).")
    Duration timeout = Duration.ofSeconds(60);

    @Option(names = {"-w", "--watch"}, description = "After the list, print each change as it happens (a deletion too, with the "
        + "resource's last status), until interrupted.")
    boolean watch;

    @Option(names = "--output-watch-events", description = "With -w, say what each row is, as kubectl does: an EVENT column "
        + "(ADDED, MODIFIED, DELETED), or {type, object} documents with -o yaml|json.")
    boolean watchEvents;

    /** What {@code -l} selects; null for every resource. */
    private LabelSelector labels;

    @Override
    public Integer call() {
        NmstateKind kind;
        OutputFormat format;
        try {
            kind = kindAndName();
            labels = selector == null ? null : LabelSelector.parse(selector);
            format = output == null ? OutputFormat.TABLE
                : OutputFormat.parse(output, OutputFormat.WIDE, OutputFormat.YAML, OutputFormat.JSON, OutputFormat.NAME);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (watchEvents && !watch) {
            throw new ParameterException(spec.commandLine(), "--output-watch-events needs -w");
        }
        if (watchEvents && format == OutputFormat.NAME) {
            throw new ParameterException(spec.commandLine(), "--output-watch-events needs a table, -o wide, yaml or json: "
                + "-o name prints names only");
        }
        ClusterSettings cluster = options.answeringCluster();
        if (watch) {
            return watch(cluster, kind, format);
        }
        List<ResourceStatus> statuses = new ArrayList<>();
        String clientId = "nmstream-get-" + UUID.randomUUID();
        LatestValues.read(cluster.clientProperties(), options.topics(cluster).status(), clientId, timeout,
                RejectedRecords.countedOnly(clientId, new SimpleMeterRegistry()))
            .values().forEach(s -> {
                if (!s.getDeleted() && shown(s, kind)) {
                    statuses.add(s);
                }
            });
        statuses.sort(Comparator.comparing(ResourceStatus::getName));
        PrintWriter out = spec.commandLine().getOut();
        if (name != null && statuses.isEmpty()) {
            spec.commandLine().getErr().println(kind.notFound(name));
            return 1;
        }
        if (format == OutputFormat.YAML || format == OutputFormat.JSON) {
            StatusPrinter.objects(out, statuses.stream().map(objects(cluster, kind)).toList(), name != null, format);
        } else if (format == OutputFormat.NAME) {
            statuses.forEach(s -> out.println(kind.objectName(s.getName())));
            out.flush();
        } else if (kind == NmstateKind.NNS && name != null) {
            StatusPrinter.interfaces(out, statuses.get(0));
        } else if (statuses.isEmpty()) {
            spec.commandLine().getErr().println("No resources found");
        } else {
            StatusPrinter.table(out, kind, statuses, format == OutputFormat.WIDE);
        }
        return 0;
    }

    /**
     * How a status prints as an object in YAML or JSON: a policy with its manifest in force, as kubectl shows an NNCP; an
     * enactment or a node state as its status.
     */
    private Function<ResourceStatus, Map<String, Object>> objects(ClusterSettings cluster, NmstateKind kind) {
        if (kind != NmstateKind.NNCP) {
            return NmstateDocuments::object;
        }
        return new PolicyObjects(() -> {
            String clientId = "nmstream-get-" + UUID.randomUUID();
            return LatestValues.read(cluster.clientProperties(), options.topics(cluster).policies(), clientId, timeout,
                RejectedRecords.countedOnly(clientId, new SimpleMeterRegistry()));
        });
    }

    /**
     * The list, then every change of the kind (and name) as the projector writes it, until the thread is interrupted. A
     * deletion is printed with the resource's last status, as kubectl prints a deleted object; with
     * {@code --output-watch-events} each row says whether it was ADDED, MODIFIED or DELETED.
     */
    private int watch(ClusterSettings cluster, NmstateKind kind, OutputFormat format) {
        PrintWriter out = spec.commandLine().getOut();
        String clientId = "nmstream-get-" + UUID.randomUUID();
        try (RejectedRecords rejections = RejectedRecords.countedOnly(clientId, new SimpleMeterRegistry());
             StatusFollower follower = new StatusFollower(cluster.clientProperties(), options.topics(cluster).status(), clientId,
                 rejections)) {
            Function<ResourceStatus, Map<String, Object>> objects = format == OutputFormat.YAML || format == OutputFormat.JSON
                ? objects(cluster, kind) : NmstateDocuments::object;
            WatchPrinter printer = new WatchPrinter(out, kind, format, watchEvents, name != null, objects);
            printer.list(follower.catchUp(timeout).values().stream().filter(s -> !s.getDeleted() && shown(s, kind))
                .sorted(Comparator.comparing(ResourceStatus::getName)).toList());
            while (!Thread.currentThread().isInterrupted()) {
                printer.changes(follower.poll(WATCH_POLL).stream().filter(s -> shown(s, kind)).toList());
            }
        } catch (InterruptException e) {
            // Ctrl-C, or the caller interrupting the watch: its normal end
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /**
     * The kind, after taking the name from {@code TYPE/NAME} when given so (as {@code kubectl get nncp/br1}, and as
     * {@code -o name} prints it).
     *
     * @throws IllegalArgumentException for {@code TYPE/NAME} given with a NAME too, or with an empty name
     */
    private NmstateKind kindAndName() {
        if (type.indexOf('/') < 0) {
            return NmstateKind.parse(type);
        }
        if (name != null) {
            throw new IllegalArgumentException("Invalid resource '" + type + "' with NAME '" + name + "': give either TYPE/NAME or "
                + "TYPE NAME");
        }
        NmstateKind.Reference reference = NmstateKind.reference(type);
        name = reference.name();
        return reference.kind();
    }

    private boolean shown(ResourceStatus s, NmstateKind kind) {
        return s.getKind() == kind.resourceKind() && (name == null || s.getName().equals(name))
            && (labels == null || labels.test(s.getLabels()));
    }
}
