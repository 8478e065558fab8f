package io.nmstream.bench;

import io.nmstream.bench.fleet.FleetLauncher;
import io.nmstream.bench.footprint.FootprintScenario;
import io.nmstream.bench.host.HostApplyScenario;
import io.nmstream.bench.http.SlowClientsScenario;
import io.nmstream.bench.replay.ReplayScenario;
import io.nmstream.bench.report.JsonReport;
import io.nmstream.bench.report.Measurement;
import io.nmstream.bench.report.ResultTable;
import io.nmstream.bench.rollout.RolloutScenario;
import io.nmstream.bench.rollout.RolloutVariant;
import io.nmstream.bench.writeback.WritebackScenario;
import io.nmstream.common.cli.DurationConverter;
import io.nmstream.embedded.EmbeddedCluster;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code nmstream bench}: measures nmstream against its baselines (plain Kafka clients, nmcli) on this machine, in one
 * run on one embedded broker, prints a table of both figures, their ratio and the target, and writes the same as JSON
 * with the machine's core count and every setting used.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Measure nmstream against plain Kafka and nmcli on this machine; print a table and write JSON.")
public final class BenchCommand implements Callable<Integer> {

    /** Every scenario, in the order a full run takes them. */
    static final List<Scenario> SCENARIOS = List.of(new RolloutScenario(), new ReplayScenario(), new HostApplyScenario(),
        new FootprintScenario(), new WritebackScenario(), new SlowClientsScenario());

    @Spec
    private CommandSpec spec;

    @Option(names = "--scenario", split = ",", defaultValue = "all", paramLabel = "NAME",
        description = "rollout, replay, host-apply, footprint, writeback, http or all (comma-separated; default: ${DEFAULT-VALUE}).")
    private List<String> scenarios;

    @Option(names = "--nodes", split = ",", defaultValue = "1000,10000,100000", paramLabel = "N",
        description = "Fleet sizes of the rollout (default: ${DEFAULT-VALUE}).")
    private List<Integer> nodes;

    @Option(names = "--max-unavailable", split = ",", defaultValue = "default,10%,100%", paramLabel = "VALUE",
        description = "maxUnavailable of the rollouts at every size: default (the manifest leaves it out), a number or a "
            + "percentage (default: ${DEFAULT-VALUE}).")
    private List<String> maxUnavailable;

    @Option(names = "--runs", defaultValue = "3",
        description = "Measured runs behind each figure; the median is reported (default: ${DEFAULT-VALUE}).")
    private int runs;

    @Option(names = "--warmup", defaultValue = "1",
        description = "Unmeasured runs of both sides first (in the rollout: one per maxUnavailable value) (default: ${DEFAULT-VALUE}).")
    private int warmups;

    @Option(names = "--events", defaultValue = "1000000", paramLabel = "M",
        description = "Enactment events the replay rebuilds status from (default: ${DEFAULT-VALUE}).")
    private long events;

    @Option(names = "--host-iterations", defaultValue = "20",
        description = "Measured in-place applies per tool and run on the sandbox (default: ${DEFAULT-VALUE}).")
    private int hostIterations;

    @Option(names = "--host-warmup", defaultValue = "20",
        description = "Unmeasured in-place applies per tool first, as a long-running agent is warm (default: ${DEFAULT-VALUE}).")
    private int hostWarmup;

    @Option(names = "--host-cold-iterations", defaultValue = "5",
        description = "Measured cold applies (a new process each) per tool and run (default: ${DEFAULT-VALUE}).")
    private int hostColdIterations;

    @Option(names = "--agent-applies", defaultValue = "1000",
        description = "Applies between the agent's two memory readings (default: ${DEFAULT-VALUE}).")
    private int agentApplies;

    @Option(names = "--agent-jvm-options", defaultValue = "",
        description = "JVM options added after the agent's shipped ones (node-executor's agent/jvm.options, which "
            + "`nmstream node agent` starts with); the later option wins.")
    private String agentJvmOptions;

    @Option(names = "--agent-jar", paramLabel = "FILE",
        description = "The node agent's jar (default: node-agent/target/nmstream-agent.jar under nmstream's directory).")
    private Path agentJar;

    @Option(names = "--writeback-nodes", defaultValue = "10000",
        description = "Fleet size of the status write-back rollout (default: ${DEFAULT-VALUE}).")
    private int writebackNodes;

    @Option(names = "--fleet", defaultValue = "node-executor", paramLabel = "NAME",
        description = "Simulated fleet of the rollouts: node-executor (its SimulatedFleet) or stand-in (answers at once) "
            + "(default: ${DEFAULT-VALUE}).")
    private String fleet;

    @Option(names = "--set", paramLabel = "NAME=VALUE",
        description = "A setting of nmstream's services in the rollouts, e.g. reconciler.threads=2 (repeatable).")
    private Map<String, String> serviceSettings = new LinkedHashMap<>();

    @Option(names = "--timeout", defaultValue = "600", paramLabel = "DURATION", converter = DurationConverter.SecondsByDefault.class,
        description = "Longest wait for any one step, in seconds or as a duration (600, 10m) (default: ${DEFAULT-VALUE} s).")
    private Duration timeout;

    @Option(names = "--output", defaultValue = "bench.json", paramLabel = "FILE", description = "JSON report (default: ${DEFAULT-VALUE}).")
    private Path output;

    /** The machine's load average when the run started and when each scenario ended. */
    private final Map<String, String> loadAverages = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        List<Scenario> selected = selected();
        validate();
        List<RolloutVariant> variants = variants();
        FleetLauncher fleets;
        try {
            fleets = FleetLauncher.named(fleet);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        Instant startedAt = Instant.now();
        loadAverages.put("start", LoadAverage.read());
        List<Measurement> measurements = new ArrayList<>();
        boolean failed = false;
        try (LazyCluster cluster = new LazyCluster()) {
            BenchRun run = new BenchRun(List.copyOf(nodes), variants, runs, warmups, events, hostIterations, hostWarmup, hostColdIterations,
                agentApplies, jvmOptions(), agentJar, writebackNodes, timeout, fleets,
                Map.copyOf(serviceSettings), cluster);
            for (Scenario scenario : selected) {
                out.println("== " + scenario.name() + " (load average " + LoadAverage.read() + ")");
                out.flush();
                try {
                    List<Measurement> rows = scenario.run(run);
                    measurements.addAll(rows);
                    out.print(ResultTable.render(rows));
                } catch (Exception | LinkageError e) {
                    failed = true;
                    measurements.add(Measurement.skipped(scenario.name(), "-", "-", "failed: " + e));
                    spec.commandLine().getErr().println("bench: scenario " + scenario.name() + " failed: " + e);
                    e.printStackTrace(spec.commandLine().getErr());
                }
                loadAverages.put(scenario.name() + " end", LoadAverage.read());
                // written after every scenario, so that an interrupted long run keeps what it measured
                JsonReport.write(output, JsonReport.toJson(startedAt, Instant.now(), settings(selected), measurements));
                out.flush();
            }
        }
        out.println();
        out.print(ResultTable.render(measurements));
        out.println("Load average (1, 5, 15 min): " + loadAverages.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
            .collect(java.util.stream.Collectors.joining(", ")));
        JsonReport.write(output, JsonReport.toJson(startedAt, Instant.now(), settings(selected), measurements));
        out.println("Report written to " + output.toAbsolutePath());
        out.flush();
        return failed ? 1 : 0;
    }

    /** The scenarios named by {@code --scenario}, in their standard order. */
    List<Scenario> selected() {
        Set<String> names = new LinkedHashSet<>();
        for (String name : scenarios) {
            String n = name.trim().toLowerCase(Locale.ROOT);
            if (n.equals("all")) {
                SCENARIOS.forEach(s -> names.add(s.name()));
            } else if (SCENARIOS.stream().anyMatch(s -> s.name().equals(n))) {
                names.add(n);
            } else {
                throw new ParameterException(spec.commandLine(), "--scenario has value '" + name + "': expected one of "
                    + String.join(", ", SCENARIOS.stream().map(Scenario::name).toList()) + " or all");
            }
        }
        return SCENARIOS.stream().filter(s -> names.contains(s.name())).toList();
    }

    private void validate() {
        for (int n : nodes) {
            if (n < 1) {
                throw new ParameterException(spec.commandLine(), "--nodes has value " + n + ": every fleet size must be at least 1");
            }
        }
        positive("--runs", runs);
        positive("--events", events);
        positive("--host-iterations", hostIterations);
        positive("--host-cold-iterations", hostColdIterations);
        positive("--agent-applies", agentApplies);
        positive("--writeback-nodes", writebackNodes);
        positive("--timeout", timeout.toMillis());
        notNegative("--host-warmup", hostWarmup);
        notNegative("--warmup", warmups);
    }

    private void notNegative(String option, long value) {
        if (value < 0) {
            throw new ParameterException(spec.commandLine(), option + " has value " + value + ": it must be 0 or more");
        }
    }

    /** The rollout variants, each once, in the order given. */
    private List<RolloutVariant> variants() {
        Set<RolloutVariant> variants = new LinkedHashSet<>();
        for (String value : maxUnavailable) {
            try {
                variants.add(RolloutVariant.parse(value));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        return List.copyOf(variants);
    }

    private void positive(String option, long value) {
        if (value < 1) {
            throw new ParameterException(spec.commandLine(), option + " has value " + value + ": it must be at least 1");
        }
    }

    private List<String> jvmOptions() {
        return Arrays.stream(agentJvmOptions.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }

    private Map<String, Object> settings(List<Scenario> selected) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("scenarios", selected.stream().map(Scenario::name).toList());
        settings.put("nodes", nodes);
        settings.put("maxUnavailable", maxUnavailable);
        settings.put("runs", runs);
        settings.put("warmup", warmups);
        settings.put("events", events);
        settings.put("hostIterations", hostIterations);
        settings.put("hostWarmup", hostWarmup);
        settings.put("hostColdIterations", hostColdIterations);
        settings.put("agentApplies", agentApplies);
        settings.put("agentJvmOptions", jvmOptions());
        settings.put("agentJar", Installation.locate(agentJar, Installation.AGENT_JAR).map(Path::toString).orElse("not found"));
        settings.put("writebackNodes", writebackNodes);
        settings.put("timeoutSeconds", timeout.toSeconds());
        settings.put("fleet", fleet);
        settings.put("serviceSettings", serviceSettings);
        settings.put("benchJvmArguments", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        settings.put("loadAverage", loadAverages);
        settings.put("broker", "embedded KRaft broker, one node, child JVM (EmbeddedCluster.start(null))");
        return settings;
    }

    /** Starts the embedded cluster the first time a scenario asks for it, and closes it at the end of the run. */
    private static final class LazyCluster implements java.util.function.Supplier<EmbeddedCluster>, AutoCloseable {
        private EmbeddedCluster cluster;

        @Override
        public synchronized EmbeddedCluster get() {
            if (cluster == null) {
                cluster = EmbeddedCluster.start(null);
            }
            return cluster;
        }

        @Override
        public synchronized void close() {
            if (cluster != null) {
                cluster.close();
            }
        }
    }
}
