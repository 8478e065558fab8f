package io.nmstream.bench.replay;

import io.nmstream.bench.BenchRun;
import io.nmstream.bench.Scenario;
import io.nmstream.bench.report.Measurement;
import io.nmstream.bench.report.Outcome;
import io.nmstream.bench.report.Percentiles;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.kafka.KafkaClients;
import io.nmstream.schemas.Digests;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;
import io.nmstream.schemas.avro.NodeEvent;
import io.nmstream.schemas.avro.PolicyAction;
import io.nmstream.schemas.avro.PolicyEvent;
import io.nmstream.schemas.avro.PolicySource;
import io.nmstream.schemas.avro.SourceKind;
import io.nmstream.schemas.identity.NodeKey;
import io.nmstream.schemas.identity.NodeSignatures;
import io.nmstream.status.projector.Replay;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Replay: rebuilding the whole fleet status from M enactment events (nmstream's {@code Replay}, which folds them into
 * NNCP and NNCE status) against a plain consumer that only reads the same records to their end; once for a history whose
 * nodes sign what they write, as node agents do (replay verifies every signature), once for nodes without keys. Each side runs
 * unmeasured first ({@code --warmup}), so that both are measured with a warm JIT and warm page cache; then the two take
 * turns, {@code --runs} times each, and each figure is the median of its runs.
 */
public final class ReplayScenario implements Scenario {

    /** Smallest accepted baseline/nmstream ratio. */
    static final double RATIO_TARGET = 0.8;
    static final String POLICY = "bench-replay";
    private static final String DESIRED_STATE =
        "{\"interfaces\":[{\"mtu\":9000,\"name\":\"ens8f0np0\",\"state\":\"up\",\"type\":\"ethernet\"}]}";
    /** The phases each node goes through, as the reconciler and an agent write them. */
    private static final List<EnactmentPhase> PHASES = List.of(EnactmentPhase.PENDING, EnactmentPhase.PROGRESSING,
        EnactmentPhase.AVAILABLE);
    private static final List<String> REASONS = List.of("QueuedForRollout", "ConfigurationProgressing", "SuccessfullyConfigured");
    /** Enactment events made (and signed) at a time before they are sent in order. */
    private static final int WRITE_CHUNK = 50_000;

    @Override
    public String name() {
        return "replay";
    }

    @Override
    public List<Measurement> run(BenchRun run) throws Exception {
        List<Measurement> measurements = new ArrayList<>();
        for (boolean signed : List.of(true, false)) {
            measurements.add(measure(run, signed));
        }
        return measurements;
    }

    /**
     * Replays a history whose nodes sign their reports and registrations, as every node agent does ({@code signed}), or
     * one whose nodes have no keys, so that nothing is verified (the figure before nodes signed, for comparison).
     */
    private Measurement measure(BenchRun run, boolean signed) throws Exception {
        String namespace = run.namespace(name() + (signed ? "-signed" : "-unsigned"), run.events());
        Topics topics = run.cluster().createTopics(namespace);
        ClusterSettings settings = new ClusterSettings(run.cluster().config().with(ClusterSettings.TOPIC_NAMESPACE.name(), namespace));
        long written = write(settings, topics, run.events(), signed);

        for (int warmup = 0; warmup < run.warmups(); warmup++) {
            Replay.run(settings, topics, run.timeout());
            readAll(settings, topics, run.timeout());
        }
        List<Double> nmstreamMillis = new ArrayList<>();
        List<Double> baselineMillis = new ArrayList<>();
        Replay.Report nmstream = null;
        long[] baseline = null;
        for (int i = 0; i < run.runs(); i++) {
            nmstream = Replay.run(settings, topics, run.timeout());
            if (nmstream.rejected() > 0) {
                throw new IllegalStateException("Replay set aside " + nmstream.rejected() + " of the bench's records: the history "
                    + "written is not what a fleet writes, and the figure would not be a replay's");
            }
            baseline = readAll(settings, topics, run.timeout());
            nmstreamMillis.add(nmstream.elapsedNanos() / 1e6);
            baselineMillis.add(baseline[0] / 1e6);
        }

        Map<String, Object> details = new LinkedHashMap<>();
        details.put("recordsWritten", written);
        details.put("eventsFolded", nmstream.events());
        details.put("recordsReadByBaseline", baseline[1]);
        details.put("rebuiltByKind", nmstream.rebuiltByKind().toString());
        details.put("nodes", nodesFor(run.events()));
        details.put("signedByNodes", signed ? "registrations and every node report (PROGRESSING, AVAILABLE)"
            : "nothing (nodes without keys)");
        details.put("nmstreamRunsMillis", nmstreamMillis);
        details.put("baselineRunsMillis", baselineMillis);
        details.put("warmupRuns", run.warmups());
        details.put("benchJvmArguments", ManagementFactory.getRuntimeMXBean().getInputArguments());
        double nmstreamMedian = Percentiles.median(nmstreamMillis);
        double baselineMedian = Percentiles.median(baselineMillis);
        details.put("nmstreamEventsPerSecond", Math.round(nmstream.events() / (nmstreamMedian / 1000)));
        String size = String.format(Locale.ROOT, "%d events, %s", run.events(), signed ? "signed" : "unsigned");
        return new Measurement(name(), size, nmstreamMedian, baselineMedian, "ms", run.runs(), "baseline/nmstream >= " + RATIO_TARGET,
            Outcome.of(baselineMedian / nmstreamMedian >= RATIO_TARGET), details);
    }

    static long nodesFor(long events) {
        return (events + PHASES.size() - 1) / PHASES.size();
    }

    /**
     * One policy, every node's registration (the inventory a replay checks nodes against), then PENDING, PROGRESSING and
     * AVAILABLE of each node until {@code events} enactment events are written; when {@code signed}, each node has a key
     * and signs its registration and its reports, as a node agent does (PENDING is the reconciler's and unsigned).
     */
    private static long write(ClusterSettings settings, Topics topics, long events, boolean signed) {
        Instant start = Instant.now().minusSeconds(3600);
        int nodes = Math.toIntExact(nodesFor(events));
        // made on every core: a third of a million keys and two thirds of a million signatures take a while
        NodeKey[] keys = signed ? IntStream.range(0, nodes).parallel().mapToObj(i -> NodeKey.generate()).toArray(NodeKey[]::new) : null;
        try (KafkaProducer<String, NodeEvent> inventory = KafkaClients.producer(settings.clientProperties(), topics.nodes(),
                 "bench-replay")) {
            for (int i = 0; i < nodes; i++) {
                String node = nodeName(i);
                NodeEvent registration = NodeEvent.newBuilder().setName(node).setLabels(Map.of()).setReady(true).setRemoved(false)
                    .setLastSeen(start).build();
                inventory.send(new ProducerRecord<>(topics.nodes().name(), node,
                    signed ? NodeSignatures.signed(registration, keys[i]) : registration));
            }
            inventory.flush();
        }
        try (KafkaProducer<String, PolicyEvent> policies = KafkaClients.producer(settings.clientProperties(), topics.policies(),
                 "bench-replay");
             KafkaProducer<String, EnactmentEvent> enactments = KafkaClients.producer(settings.clientProperties(), topics.enactments(),
                 "bench-replay")) {
            policies.send(new ProducerRecord<>(topics.policies().name(), POLICY, PolicyEvent.newBuilder().setAction(PolicyAction.UPSERT)
                .setName(POLICY).setUid(UUID.randomUUID().toString()).setGeneration(1).setMaxUnavailable("100%")
                .setDesiredState(DESIRED_STATE).setDesiredStateDigest(Digests.sha256Hex(DESIRED_STATE))
                .setSource(PolicySource.newBuilder().setKind(SourceKind.CLI).setOrigin("bench").build()).setEventTime(start).build()));
            String commandPrefix = UUID.randomUUID().toString();
            for (long from = 0; from < events; from += WRITE_CHUNK) {
                List<EnactmentEvent> chunk = LongStream.range(from, Math.min(events, from + WRITE_CHUNK)).parallel()
                    .mapToObj(i -> enactment(i, start, commandPrefix, keys)).toList();
                for (EnactmentEvent event : chunk) {
                    enactments.send(new ProducerRecord<>(topics.enactments().name(), Topics.enactmentKey(event.getNode(), POLICY), event));
                }
            }
            enactments.flush();
            policies.flush();
        }
        return events + 1 + nodes;
    }

    /** The {@code i}th enactment event of the history: step {@code i % 3} of node {@code i / 3}, signed by it when keyed. */
    private static EnactmentEvent enactment(long i, Instant start, String commandPrefix, NodeKey[] keys) {
        int nodeIndex = (int) (i / PHASES.size());
        String node = nodeName(nodeIndex);
        int step = (int) (i % PHASES.size());
        Instant at = start.plusMillis(1 + i);
        EnactmentEvent event = EnactmentEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setNode(node).setPolicy(POLICY)
            .setGeneration(1).setCommandId(step == 0 ? null : commandPrefix + "-" + node).setPhase(PHASES.get(step))
            .setReason(REASONS.get(step)).setMessage("").setAttempt(step == 0 ? 0 : 1)
            .setStartedAt(step == 0 ? null : at).setFinishedAt(step == 2 ? at : null).setDurationMillis(step == 2 ? 0L : null)
            .setDesiredStateDigest(Digests.sha256Hex(DESIRED_STATE)).setTimestamp(at).build();
        return keys != null && step != 0 ? NodeSignatures.signed(event, keys[nodeIndex]) : event;
    }

    private static String nodeName(long index) {
        return String.format(Locale.ROOT, "node-%07d", index);
    }

    /**
     * The baseline: reads every record of what a replay reads (the fold's input topics and the inventory it checks nodes
     * against) to their end and closes, as replay closes its readers; returns {elapsed nanos, records}.
     */
    private static long[] readAll(ClusterSettings settings, Topics topics, Duration timeout) {
        long started = System.nanoTime();
        Properties props = new Properties();
        props.putAll(settings.clientProperties());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-replay-baseline-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        long records = 0;
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(topics.policies().name(), topics.enactments().name(), topics.nodeStates().name(),
                     topics.nodes().name())) {
                consumer.partitionsFor(topic, timeout).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Baseline consumer did not reach the end within " + timeout);
                }
                records += consumer.poll(Duration.ofMillis(200)).count();
            }
        } finally {
            // closed as nmstream's readers close, without waiting up to fetch.max.wait.ms for the fetch in flight
            KafkaClients.closeReader(consumer);
        }
        return new long[] {System.nanoTime() - started, records};
    }
}
