package io.nmstream.bench.footprint;

import io.nmstream.bench.BenchRun;
import io.nmstream.bench.Scenario;
import io.nmstream.bench.Waits;
import io.nmstream.bench.report.Measurement;
import io.nmstream.bench.report.Outcome;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.kafka.KafkaClients;
import io.nmstream.executor.agent.AgentJvmOptions;
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
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Agent footprint: one simulated agent in a child JVM started with the node agent's shipped JVM options
 * ({@link AgentJvmOptions}, the launcher's too) and any {@code --agent-jvm-options} after them. The resident memory
 * ({@code VmRSS} of {@code /proc/<pid>/status}) is read once the agent answered its first command and again after it
 * answered {@code --agent-applies} more; the time from launching the process to that first answer is its start-up (a
 * command is already waiting when it starts, so this is when it is ready to consume, seen from outside).
 */
public final class FootprintScenario implements Scenario {

    /** Largest accepted resident memory, in MiB. */
    static final double RSS_TARGET_MIB = 100;
    static final String NODE = "bench-footprint-node";
    static final String POLICY = "bench-footprint";
    /** Two desired states applied in turn, so that every command really changes the host. */
    private static final List<String> DESIRED_STATES = List.of(
        "{\"interfaces\":[{\"mtu\":9000,\"name\":\"ens8f0np0\",\"state\":\"up\",\"type\":\"ethernet\"}]}",
        "{\"interfaces\":[{\"mtu\":1500,\"name\":\"ens8f0np0\",\"state\":\"up\",\"type\":\"ethernet\"}]}");

    @Override
    public String name() {
        return "footprint";
    }

    @Override
    public List<Measurement> run(BenchRun run) throws Exception {
        String namespace = run.namespace(name(), run.agentApplies());
        Topics topics = run.cluster().createTopics(namespace);
        ClusterSettings settings = new ClusterSettings(run.cluster().config().with(ClusterSettings.TOPIC_NAMESPACE.name(), namespace));
        AtomicLong available = new AtomicLong();
        try (KafkaProducer<String, DesiredStateCommand> commands = KafkaClients.producer(settings.clientProperties(), topics.commands(),
                 namespace + "-commands");
             KafkaConsumer<String, EnactmentEvent> reports = KafkaClients.consumer(settings.clientProperties(), topics.enactments(), null,
                 namespace + "-reports")) {
            List<TopicPartition> partitions = reports.partitionsFor(topics.enactments().name(), run.timeout()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            reports.assign(partitions);
            reports.seekToBeginning(partitions);
            send(commands, topics, 1, 1);

            long launched = System.nanoTime();
            Process agent = launch(run, settings, namespace);
            try {
                Waits.until("the agent's first answer", run.timeout(), () -> {
                    countAvailable(reports, available);
                    return available.get() >= 1 || !agent.isAlive();
                });
                if (!agent.isAlive()) {
                    throw new IllegalStateException("The agent process exited with " + agent.exitValue());
                }
                double readyMillis = (System.nanoTime() - launched) / 1e6;
                double rssAfterStart = rssMib(agent.pid());
                send(commands, topics, 2, run.agentApplies());
                Waits.until(run.agentApplies() + " simulated applies", run.timeout(), () -> {
                    countAvailable(reports, available);
                    return available.get() >= 1 + run.agentApplies();
                });
                double rssAfterApplies = rssMib(agent.pid());
                return rows(run, readyMillis, rssAfterStart, rssAfterApplies);
            } finally {
                agent.destroy();
                if (!agent.waitFor(10, TimeUnit.SECONDS)) {
                    agent.destroyForcibly();
                }
            }
        }
    }

    private List<Measurement> rows(BenchRun run, double readyMillis, double rssAfterStart, double rssAfterApplies) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("agent", FootprintAgentMain.class.getSimpleName()
            + ": the node executor's NodeAgent on a simulated host, apply time 0");
        details.put("jvmOptions", jvmOptions(run));
        details.put("applies", run.agentApplies());
        details.put("rssAfterStartMiB", rssAfterStart);
        details.put("rssAfterAppliesMiB", rssAfterApplies);
        return List.of(
            new Measurement(name(), "RSS after start", rssAfterStart, Double.NaN, "MiB", "< 100 MiB",
                Outcome.of(rssAfterStart < RSS_TARGET_MIB), details),
            new Measurement(name(), "RSS after " + run.agentApplies() + " applies", rssAfterApplies, Double.NaN, "MiB", "< 100 MiB",
                Outcome.of(rssAfterApplies < RSS_TARGET_MIB), Map.of()),
            new Measurement(name(), "start to ready", readyMillis, Double.NaN, "ms", "-", Outcome.NOT_JUDGED, Map.of()));
    }

    /**
     * The node agent's shipped JVM options (what {@code nmstream node agent} starts with), then {@code --agent-jvm-options}
     * (the later of two settings wins).
     */
    private static List<String> jvmOptions(BenchRun run) {
        List<String> options = new ArrayList<>(AgentJvmOptions.shipped());
        options.addAll(run.agentJvmOptions());
        return options;
    }

    private static Process launch(BenchRun run, ClusterSettings settings, String namespace) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(jvmOptions(run));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("-Dlogback.configurationFile=nmstream-bench-logback.xml");
        command.add("-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.nmstream.schemas.avro");
        command.add(FootprintAgentMain.class.getName());
        command.add(NODE);
        command.add(Files.createTempDirectory("nmstream-bench-agent-").toString());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put(ClusterSettings.BOOTSTRAP_SERVERS.envVar(), settings.bootstrapServers());
        pb.environment().put(ClusterSettings.REGISTRY_URL.envVar(), settings.registryUrl());
        pb.environment().put(ClusterSettings.TOPIC_NAMESPACE.envVar(), namespace);
        return pb.start();
    }

    private static void send(KafkaProducer<String, DesiredStateCommand> producer, Topics topics, long firstGeneration, int count) {
        Instant now = Instant.now();
        for (long generation = firstGeneration; generation < firstGeneration + count; generation++) {
            String desired = DESIRED_STATES.get((int) (generation % DESIRED_STATES.size()));
            DesiredStateCommand command = DesiredStateCommand.newBuilder().setCommandId(UUID.randomUUID().toString()).setNode(NODE)
                .setPolicy(POLICY).setGeneration(generation).setKind(CommandKind.APPLY).setDesiredState(desired)
                .setDesiredStateDigest(Digests.sha256Hex(desired)).setIssuedAt(now).setDeadline(now.plus(Duration.ofMinutes(10)))
                .setProbes(ProbeSettings.newBuilder().build()).setCheckpointTimeoutSeconds(60).build();
            producer.send(new ProducerRecord<>(topics.commands().name(), NODE, command));
        }
        producer.flush();
    }

    private static void countAvailable(KafkaConsumer<String, EnactmentEvent> reports, AtomicLong available) {
        for (ConsumerRecord<String, EnactmentEvent> record : reports.poll(Duration.ofMillis(50))) {
            if (record.value() != null && record.value().getPhase() == EnactmentPhase.AVAILABLE && NODE.equals(record.value().getNode())) {
                available.incrementAndGet();
            }
        }
    }

    /** VmRSS of a process, in MiB. */
    static double rssMib(long pid) throws IOException {
        return parseVmRssKib(Files.readString(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.UTF_8)) / 1024.0;
    }

    /** The VmRSS line of a {@code /proc/<pid>/status} text, in KiB. */
    static long parseVmRssKib(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                String[] parts = line.substring("VmRSS:".length()).trim().split("\\s+");
                return Long.parseLong(parts[0]);
            }
        }
        throw new IllegalStateException("No VmRSS line in the process status");
    }
}
