package io.nmstream.bench.footprint;

import io.nmstream.bench.BenchRun;
import io.nmstream.bench.Installation;
import io.nmstream.bench.Scenario;
import io.nmstream.bench.Waits;
import io.nmstream.bench.report.Measurement;
import io.nmstream.bench.report.Outcome;
import io.nmstream.bench.report.Percentiles;
import io.nmstream.bench.sandbox.NmSandbox;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.kafka.KafkaClients;
import io.nmstream.common.metrics.MetricsEndpoint;
import io.nmstream.executor.agent.AgentJvmOptions;
import io.nmstream.executor.agent.NodeAgentSettings;
import io.nmstream.nmstate.NmstateParser;
import io.nmstream.nmstate.NmstateWriter;
import io.nmstream.schemas.Digests;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.CommandKind;
import io.nmstream.schemas.avro.DesiredStateCommand;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;
import io.nmstream.schemas.avro.ProbeSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Agent footprint: the node agent as hosts run it, {@code java @jvm.options -jar nmstream-agent.jar} (the agent jar
 * and its shipped JVM options, {@link AgentJvmOptions}, then any {@code --agent-jvm-options}), on a real
 * NetworkManager (the sandbox's, over D-Bus), with its metrics endpoint on, fed one command at a time as the reconciler
 * feeds a node. Each command changes the MTU and address of a veth, so every one is a real apply.
 *
 * <p>The resident memory ({@code VmRSS} of {@code /proc/<pid>/status}) is read once the agent answered its first
 * command and again after {@code --agent-applies} more; the time from launching the process to that first answer is its
 * start-up (the command is already waiting when it starts). Each of {@code --runs} runs is a new agent process; each
 * figure is the median of the runs.
 */
public final class FootprintScenario implements Scenario {

    /** Largest accepted resident memory, in MiB. */
    static final double RSS_TARGET_MIB = 100;
    static final String NODE = "bench-footprint-node";
    static final String POLICY = "bench-footprint";
    /** The sandbox's veth the agent configures. */
    static final String INTERFACE = "v0";

    /** One agent process: its start-up time, its memory after start and after the applies. */
    private record AgentRun(double readyMillis, Memory afterStart, Memory afterApplies) {
    }

    /** Resident memory of a process, in MiB: in all, anonymous (heap, metaspace, stacks, code) and file-backed. */
    record Memory(double rss, double anonymous, double file) {
    }

    @Override
    public String name() {
        return "footprint";
    }

    @Override
    public List<Measurement> run(BenchRun run) throws Exception {
        Optional<String> unavailable = NmSandbox.unavailableReason();
        Optional<Path> agentJar = Installation.locate(run.agentJar(), Installation.AGENT_JAR);
        if (unavailable.isEmpty() && agentJar.isEmpty()) {
            unavailable = Optional.of("the agent jar " + Installation.AGENT_JAR
                + " was not found (build it: mvn -B package -pl node-agent -am; or give --agent-jar)");
        }
        if (unavailable.isPresent()) {
            return List.of(Measurement.skipped(name(), "RSS after start", "< 100 MiB", unavailable.get()),
                Measurement.skipped(name(), "RSS after " + run.agentApplies() + " applies", "< 100 MiB", unavailable.get()),
                Measurement.skipped(name(), "start to ready", "-", unavailable.get()));
        }
        List<AgentRun> runs = new ArrayList<>();
        try (NmSandbox sandbox = NmSandbox.start()) {
            for (int r = 0; r < run.runs(); r++) {
                runs.add(runAgent(run, sandbox, agentJar.get(), r));
            }
        }
        return rows(run, agentJar.get(), runs);
    }

    private AgentRun runAgent(BenchRun run, NmSandbox sandbox, Path agentJar, int index) throws Exception {
        String namespace = run.namespace(name(), run.agentApplies() + "-" + (index + 1));
        Topics topics = run.cluster().createTopics(namespace);
        ClusterSettings settings = new ClusterSettings(run.cluster().config().with(ClusterSettings.TOPIC_NAMESPACE.name(), namespace));
        Path stateDir = Files.createTempDirectory("nmstream-bench-agent-");
        Path log = Files.createTempFile("nmstream-bench-agent-", ".log");
        try (KafkaProducer<String, DesiredStateCommand> commands = KafkaClients.producer(settings.clientProperties(), topics.commands(),
                 namespace + "-commands");
             KafkaConsumer<String, EnactmentEvent> reports = KafkaClients.consumer(settings.clientProperties(), topics.enactments(), null,
                 namespace + "-reports")) {
            Waits.untilTopicsKnown(reports, topics, run.timeout());
            List<TopicPartition> partitions = reports.partitionsFor(topics.enactments().name(), run.timeout()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            reports.assign(partitions);
            reports.seekToBeginning(partitions);
            send(commands, topics, 1);

            long launched = System.nanoTime();
            Process agent = launch(run, agentJar, settings, namespace, sandbox, stateDir, log);
            try {
                awaitAvailable(reports, 1, agent, log, run.timeout());
                double readyMillis = (System.nanoTime() - launched) / 1e6;
                Memory afterStart = memory(agent.pid());
                for (long generation = 2; generation <= 1 + run.agentApplies(); generation++) {
                    send(commands, topics, generation);
                    awaitAvailable(reports, generation, agent, log, run.timeout());
                }
                Memory afterApplies = memory(agent.pid());
                return new AgentRun(readyMillis, afterStart, afterApplies);
            } finally {
                agent.destroy();
                if (!agent.waitFor(30, TimeUnit.SECONDS)) {
                    agent.destroyForcibly();
                }
            }
        } finally {
            deleteQuietly(stateDir);
            Files.deleteIfExists(log);
        }
    }

    private List<Measurement> rows(BenchRun run, Path agentJar, List<AgentRun> runs) throws IOException {
        double rssAfterStart = Percentiles.median(runs.stream().map(r -> r.afterStart().rss()).toList());
        double rssAfterApplies = Percentiles.median(runs.stream().map(r -> r.afterApplies().rss()).toList());
        double ready = Percentiles.median(runs.stream().map(AgentRun::readyMillis).toList());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("agent", "java " + String.join(" ", jvmOptions(run)) + " -jar " + agentJar.getFileName()
            + " (io.nmstream.executor.NodeExecutorMain), NetworkManager backend on the sandbox's bus, metrics endpoint on");
        details.put("agentJarMiB", Math.round(Files.size(agentJar) / 1024.0 / 1024.0 * 10) / 10.0);
        details.put("applies", run.agentApplies());
        details.put("change", "MTU and static IPv4 of veth " + INTERFACE + ", alternating between two values, one command at a time");
        details.put("runs", runs.stream().map(r -> Map.of("readyMillis", Math.round(r.readyMillis()), "afterStartMiB", r.afterStart(),
            "afterAppliesMiB", r.afterApplies())).toList());
        return List.of(
            new Measurement(name(), "RSS after start", rssAfterStart, Double.NaN, "MiB", runs.size(), "< 100 MiB",
                Outcome.of(rssAfterStart < RSS_TARGET_MIB), details),
            new Measurement(name(), "RSS after " + run.agentApplies() + " applies", rssAfterApplies, Double.NaN, "MiB", runs.size(),
                "< 100 MiB", Outcome.of(rssAfterApplies < RSS_TARGET_MIB), Map.of()),
            new Measurement(name(), "start to ready", ready, Double.NaN, "ms", runs.size(), "-", Outcome.NOT_JUDGED, Map.of()));
    }

    /** The agent's shipped JVM options (what {@code nmstream node agent} and the image start it with), then {@code --agent-jvm-options}. */
    private static List<String> jvmOptions(BenchRun run) {
        List<String> options = new ArrayList<>(AgentJvmOptions.shipped());
        options.addAll(run.agentJvmOptions());
        return options;
    }

    private static Process launch(BenchRun run, Path agentJar, ClusterSettings settings, String namespace, NmSandbox sandbox, Path stateDir,
                                  Path log)
        throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions(run));
        command.add("-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.nmstream.schemas.avro");
        command.addAll(List.of("-jar", agentJar.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put(ClusterSettings.BOOTSTRAP_SERVERS.envVar(), settings.bootstrapServers());
        env.put(ClusterSettings.REGISTRY_URL.envVar(), settings.registryUrl());
        env.put(ClusterSettings.TOPIC_NAMESPACE.envVar(), namespace);
        env.put(NodeAgentSettings.NODE_NAME.envVar(), NODE);
        env.put(NodeAgentSettings.STATE_DIR.envVar(), stateDir.toString());
        env.put(NodeAgentSettings.BUS_ADDRESS.envVar(), sandbox.busAddress());
        env.put(MetricsEndpoint.METRICS_PORT.envVar(), "0");
        return pb.start();
    }

    private static void send(KafkaProducer<String, DesiredStateCommand> producer, Topics topics, long generation) {
        String desired = NmstateWriter.toJson(NmstateParser.parse(String.format(Locale.ROOT, """
            interfaces:
            - name: %s
              type: ethernet
              state: up
              mtu: %d
              ipv4: {enabled: true, dhcp: false, address: [{ip: 192.0.2.%d, prefix-length: 24}]}
            """, INTERFACE, generation % 2 == 0 ? 1400 : 1450, generation % 2 == 0 ? 10 : 11)));
        Instant now = Instant.now();
        DesiredStateCommand command = DesiredStateCommand.newBuilder().setCommandId(UUID.randomUUID().toString()).setNode(NODE)
            .setPolicy(POLICY).setGeneration(generation).setKind(CommandKind.APPLY).setDesiredState(desired)
            .setDesiredStateDigest(Digests.sha256Hex(desired)).setIssuedAt(now).setDeadline(now.plus(Duration.ofMinutes(10)))
            .setProbes(ProbeSettings.newBuilder().build()).setCheckpointTimeoutSeconds(60).build();
        producer.send(new ProducerRecord<>(topics.commands().name(), NODE, command));
        producer.flush();
    }

    /** Waits for the agent's AVAILABLE of {@code generation}; fails with the agent's log when it reports a failure or exits. */
    private static void awaitAvailable(KafkaConsumer<String, EnactmentEvent> reports, long generation, Process agent, Path log,
                                       Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!agent.isAlive()) {
                throw new IllegalStateException("The agent exited with " + agent.exitValue() + "; its log:\n" + tail(log));
            }
            for (ConsumerRecord<String, EnactmentEvent> record : reports.poll(Duration.ofMillis(20))) {
                EnactmentEvent event = record.value();
                if (event == null || !NODE.equals(event.getNode()) || event.getGeneration() != generation) {
                    continue;
                }
                if (event.getPhase() == EnactmentPhase.AVAILABLE) {
                    return;
                }
                if (event.getPhase() == EnactmentPhase.FAILING || event.getPhase() == EnactmentPhase.ABORTED) {
                    throw new IllegalStateException("The agent reported " + event.getPhase() + " for generation " + generation + ": "
                        + event.getMessage());
                }
            }
        }
        throw new IllegalStateException("The agent did not apply generation " + generation + " within " + timeout + "; its log:\n"
            + tail(log));
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    /** The resident memory of a process, from {@code /proc/<pid>/status}. */
    static Memory memory(long pid) throws IOException {
        return parseMemory(Files.readString(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.UTF_8));
    }

    /** VmRSS, RssAnon and RssFile of a {@code /proc/<pid>/status} text, in MiB. */
    static Memory parseMemory(String status) {
        return new Memory(kib(status, "VmRSS:") / 1024.0, kib(status, "RssAnon:") / 1024.0, kib(status, "RssFile:") / 1024.0);
    }

    private static long kib(String status, String field) {
        for (String line : status.split("\n")) {
            if (line.startsWith(field)) {
                String[] parts = line.substring(field.length()).trim().split("\\s+");
                return Long.parseLong(parts[0]);
            }
        }
        throw new IllegalStateException("No " + field + " line in the process status");
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }
}
