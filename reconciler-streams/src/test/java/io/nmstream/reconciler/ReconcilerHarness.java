package io.nmstream.reconciler;

import io.nmstream.common.config.Config;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.reconciler.rollout.SlotLease;
import io.nmstream.reconciler.rollout.SlotRequest;
import io.nmstream.schemas.Digests;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.DesiredStateCommand;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;
import io.nmstream.schemas.avro.NodeEvent;
import io.nmstream.schemas.avro.PolicyAction;
import io.nmstream.schemas.avro.PolicyEvent;
import io.nmstream.schemas.avro.PolicySource;
import io.nmstream.schemas.avro.RolloutEvent;
import io.nmstream.schemas.avro.SourceKind;
import io.nmstream.schemas.registry.InMemorySchemaRegistryClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The reconciler topology in a {@link TopologyTestDriver}, with the inputs a fleet produces (policies, inventory, node
 * agents' reports) and a timeline of every enactment event, the reconciler's and the agents', in order.
 */
final class ReconcilerHarness implements AutoCloseable {

    static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(5);
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private final Path stateDir;
    final Topics topics;
    final TopologyTestDriver driver;
    private final TestInputTopic<String, PolicyEvent> policies;
    private final TestInputTopic<String, NodeEvent> nodes;
    private final TestInputTopic<String, EnactmentEvent> reports;
    final TestInputTopic<byte[], byte[]> rawPolicies;
    /** The slot topics as any client could write them: raw key and value bytes. */
    final TestInputTopic<byte[], byte[]> rawSlotRequests;
    final TestInputTopic<byte[], byte[]> rawSlotLeases;
    private final TestOutputTopic<String, DesiredStateCommand> commandsOut;
    private final TestOutputTopic<String, EnactmentEvent> enactmentsOut;
    private final TestOutputTopic<String, RolloutEvent> rolloutsOut;
    private final TestOutputTopic<String, SlotRequest> slotRequestsOut;
    private final TestOutputTopic<String, SlotLease> slotLeasesOut;
    private final List<SlotRequest> slotRequests = new ArrayList<>();
    private final List<SlotLease> slotLeases = new ArrayList<>();
    private final List<RolloutEvent> rollouts = new ArrayList<>();
    final TestOutputTopic<byte[], byte[]> deadLetters;
    private final List<DesiredStateCommand> commands = new ArrayList<>();
    private final List<EnactmentEvent> timeline = new ArrayList<>();
    /** When each command was sent and each event of the timeline written, counted in inputs piped so far. */
    private final Map<String, Integer> commandSentAt = new java.util.HashMap<>();
    private final List<Integer> writtenAt = new ArrayList<>();
    private int inputs;
    /** The driver's wall clock, which it does not tell. */
    private Instant wallClock;
    private final LongSupplier resultsReadUpTo;

    ReconcilerHarness() {
        this(() -> Long.MAX_VALUE);
    }

    /**
     * A harness whose reconciler has read every result published before {@code resultsReadUpTo} (epoch milliseconds),
     * as {@link ResultsReadUpTo} tells it in a deployment; the plain harness reads every result as it is piped in.
     */
    ReconcilerHarness(LongSupplier resultsReadUpTo) {
        this(START, resultsReadUpTo);
    }

    private ReconcilerHarness(Instant wallClock, LongSupplier resultsReadUpTo) {
        this.wallClock = wallClock;
        this.resultsReadUpTo = resultsReadUpTo;
        try {
            stateDir = Files.createTempDirectory("reconciler-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // one partition, as the test driver runs one task of each sub-topology: the rollout coordinator then hears from
        // every node partition there is
        topics = new Topics(new InMemorySchemaRegistryClient(), Topics.DEFAULT_NAMESPACE, 1, (short) 1, Topics.DEFAULT_ENACTMENT_RETENTION);
        Config config = Config.of(Map.of(
            ReconcilerConfig.APPLICATION_ID.name(), "reconciler-test",
            ReconcilerConfig.STATE_DIR.name(), stateDir.toString(),
            ReconcilerConfig.COMMAND_TIMEOUT.name(), COMMAND_TIMEOUT.toSeconds() + "s"));
        ReconcilerConfig reconcilerConfig = ReconcilerConfig.from(config);
        StreamsBuilder builder = new StreamsBuilder();
        ReconcilerTopology.build(builder, topics, reconcilerConfig, resultsReadUpTo);
        Properties props = reconcilerConfig.streamsProperties(new ClusterSettings(config), topics);
        driver = new TopologyTestDriver(builder.build(props), props, wallClock);
        policies = driver.createInputTopic(topics.policies().name(), topics.policies().keySerde().serializer(),
            topics.policies().valueSerde().serializer());
        rawPolicies = driver.createInputTopic(topics.policies().name(), topics.deadLetters().keySerde().serializer(),
            topics.deadLetters().valueSerde().serializer());
        rawSlotRequests = driver.createInputTopic(topics.slotRequests().name(), topics.deadLetters().keySerde().serializer(),
            topics.deadLetters().valueSerde().serializer());
        rawSlotLeases = driver.createInputTopic(topics.slotLeases().name(), topics.deadLetters().keySerde().serializer(),
            topics.deadLetters().valueSerde().serializer());
        nodes = driver.createInputTopic(topics.nodes().name(), topics.nodes().keySerde().serializer(),
            topics.nodes().valueSerde().serializer());
        reports = driver.createInputTopic(topics.enactments().name(), topics.enactments().keySerde().serializer(),
            topics.enactments().valueSerde().serializer());
        commandsOut = driver.createOutputTopic(topics.commands().name(), topics.commands().keySerde().deserializer(),
            topics.commands().valueSerde().deserializer());
        enactmentsOut = driver.createOutputTopic(topics.enactments().name(), topics.enactments().keySerde().deserializer(),
            topics.enactments().valueSerde().deserializer());
        rolloutsOut = driver.createOutputTopic(topics.rollouts().name(), topics.rollouts().keySerde().deserializer(),
            topics.rollouts().valueSerde().deserializer());
        slotRequestsOut = driver.createOutputTopic(topics.slotRequests().name(), Serdes.String().deserializer(),
            JsonSerde.of(SlotRequest.class).deserializer());
        slotLeasesOut = driver.createOutputTopic(topics.slotLeases().name(), Serdes.String().deserializer(),
            JsonSerde.of(SlotLease.class).deserializer());
        deadLetters = driver.createOutputTopic(topics.deadLetters().name(), topics.deadLetters().keySerde().deserializer(),
            topics.deadLetters().valueSerde().deserializer());
    }

    /** A policy event builder with the given spec; generation 1, uid derived from the name. */
    static PolicyEvent.Builder policy(String name, String maxUnavailable, Map<String, String> selector) {
        return PolicyEvent.newBuilder()
            .setAction(PolicyAction.UPSERT)
            .setName(name)
            .setUid("uid-" + name)
            .setGeneration(1)
            .setNodeSelector(selector)
            .setMaxUnavailable(maxUnavailable)
            .setDesiredState(desiredStateOf(name))
            .setDesiredStateDigest(digestOf(name))
            .setSource(PolicySource.newBuilder().setKind(SourceKind.CLI).build())
            .setEventTime(Instant.parse("2026-01-01T00:00:00Z"));
    }

    /** The desired state {@link #policy} gives a policy. */
    static String desiredStateOf(String policy) {
        return "{\"interfaces\":[{\"name\":\"" + policy + "\"}]}";
    }

    /** The digest of the desired state {@link #policy} gives a policy, as the event contract requires it. */
    static String digestOf(String policy) {
        return Digests.sha256Hex(desiredStateOf(policy));
    }

    void publish(PolicyEvent.Builder policy) {
        PolicyEvent event = policy.build();
        policies.pipeInput(event.getName(), event);
        drain();
    }

    void delete(String policy) {
        policies.pipeInput(policy, PolicyEvent.newBuilder(policy("x", "1", Map.of()).build())
            .setAction(PolicyAction.DELETE).setName(policy).setDesiredState("").setDesiredStateDigest("").build());
        drain();
    }

    void node(String name, Map<String, String> labels) {
        nodes.pipeInput(name, NodeEvent.newBuilder().setName(name).setLabels(labels).setLastSeen(Instant.now()).build());
        drain();
    }

    void nodes(int count, Map<String, String> labels) {
        for (int i = 0; i < count; i++) {
            node(nodeName(i), labels);
        }
    }

    static String nodeName(int i) {
        return String.format(java.util.Locale.ROOT, "node-%03d", i);
    }

    void removeNode(String name) {
        nodes.pipeInput(name, NodeEvent.newBuilder().setName(name).setRemoved(true).setLastSeen(Instant.now()).build());
        drain();
    }

    /** A node agent reports on a command, as the node executor does. */
    void report(DesiredStateCommand command, EnactmentPhase phase) {
        EnactmentEvent event = reportOf(command, phase);
        timeline.add(event);
        writtenAt.add(inputs);
        reports.pipeInput(Topics.enactmentKey(command.getNode(), command.getPolicy()), event);
        drain();
    }

    /** Writes {@code event} to the enactments topic under {@code key}, as any producer with write access could. */
    void pipeReport(String key, EnactmentEvent event) {
        pipeReport(key, event, new RecordHeaders());
    }

    /** A report as a producer sends it, with headers of its own. */
    void pipeReport(String key, EnactmentEvent event, Headers headers) {
        reports.pipeInput(new TestRecord<>(key, event, headers));
        drain();
    }

    /** The report a node agent writes on {@code command}. */
    static EnactmentEvent reportOf(DesiredStateCommand command, EnactmentPhase phase) {
        return EnactmentEvent.newBuilder()
            .setEventId(UUID.randomUUID().toString())
            .setNode(command.getNode())
            .setPolicy(command.getPolicy())
            .setGeneration(command.getGeneration())
            .setCommandId(command.getCommandId())
            .setPhase(phase)
            .setReason(switch (phase) {
                case AVAILABLE -> "SuccessfullyConfigured";
                case FAILING -> "FailedToConfigure";
                case ABORTED -> "StaleGeneration";
                case REMOVED -> "SuccessfullyRemoved";
                default -> "ConfigurationProgressing";
            })
            .setAttempt(1)
            .setTimestamp(Instant.now())
            .build();
    }

    /** The node agent applies the command successfully: PROGRESSING, then AVAILABLE. */
    void succeed(DesiredStateCommand command) {
        report(command, EnactmentPhase.PROGRESSING);
        report(command, EnactmentPhase.AVAILABLE);
    }

    /** The driver's wall clock now. */
    Instant wallClock() {
        return wallClock;
    }

    void advanceWallClock(Duration duration) {
        wallClock = wallClock.plus(duration);
        driver.advanceWallClockTime(duration);
        drain();
    }

    /**
     * The reconciler killed and started again {@code down} later: a new driver (a new run of every task) whose stores
     * hold what this one's held, as a restarted instance restores them from their changelogs. What was sent and reported
     * before the restart stays in {@link #commands()} and {@link #timeline()}. This harness is closed.
     */
    ReconcilerHarness restartedAfter(Duration down) {
        ReconcilerHarness restarted = new ReconcilerHarness(wallClock.plus(down), resultsReadUpTo);
        for (String store : driver.getAllStateStores().keySet()) {
            KeyValueStore<Object, Object> to = restarted.driver.getKeyValueStore(store);
            try (KeyValueIterator<Object, Object> from = driver.getKeyValueStore(store).all()) {
                from.forEachRemaining(entry -> to.put(entry.key, entry.value));
            }
        }
        restarted.commands.addAll(commands);
        restarted.timeline.addAll(timeline);
        restarted.commandSentAt.putAll(commandSentAt);
        restarted.writtenAt.addAll(writtenAt);
        restarted.inputs = inputs;
        close();
        return restarted;
    }

    private void drain() {
        inputs++;
        for (DesiredStateCommand command : commandsOut.readValuesToList()) {
            commands.add(command);
            commandSentAt.put(command.getCommandId(), inputs);
        }
        for (TestRecord<String, EnactmentEvent> record : enactmentsOut.readRecordsToList()) {
            timeline.add(record.value());
            writtenAt.add(inputs);
        }
        rollouts.addAll(rolloutsOut.readValuesToList());
        slotRequests.addAll(slotRequestsOut.readValuesToList());
        slotLeases.addAll(slotLeasesOut.readValuesToList());
    }

    /** Every slot request the node partitions sent their rollout coordinators, in order. */
    List<SlotRequest> slotRequests() {
        return List.copyOf(slotRequests);
    }

    /** Every lease the rollout coordinators sent the node partitions, in order. */
    List<SlotLease> slotLeases() {
        return List.copyOf(slotLeases);
    }

    /** Every count of matched nodes the reconciler published, in order (null for a deleted policy). */
    List<RolloutEvent> rollouts() {
        return java.util.Collections.unmodifiableList(rollouts);
    }

    /** Every command sent so far, in order. */
    List<DesiredStateCommand> commands() {
        return List.copyOf(commands);
    }

    /** Commands sent for one policy, in order. */
    List<DesiredStateCommand> commands(String policy) {
        return commands.stream().filter(c -> c.getPolicy().equals(policy)).collect(Collectors.toList());
    }

    /** Every enactment event so far, the reconciler's and the agents', in order. */
    List<EnactmentEvent> timeline() {
        return List.copyOf(timeline);
    }

    /** The latest enactment event of each node for {@code policy}, by node. */
    Map<String, EnactmentEvent> latest(String policy) {
        Map<String, EnactmentEvent> latest = new LinkedHashMap<>();
        timeline.stream().filter(e -> e.getPolicy().equals(policy)).forEach(e -> latest.put(e.getNode(), e));
        return latest;
    }

    /** Nodes whose latest enactment for {@code policy} is in {@code phase}. */
    Set<String> nodesIn(String policy, EnactmentPhase phase) {
        return latest(policy).values().stream().filter(e -> e.getPhase() == phase).map(EnactmentEvent::getNode)
            .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Nodes of {@code policy} with a command and no result yet (holding a slot while applying). */
    Set<String> applying(String policy) {
        Set<String> applying = new TreeSet<>();
        Map<String, String> openCommand = new LinkedHashMap<>();
        for (DesiredStateCommand command : commands(policy)) {
            openCommand.put(command.getNode(), command.getCommandId());
        }
        openCommand.forEach((node, commandId) -> {
            boolean finished = timeline.stream().anyMatch(e -> commandId.equals(e.getCommandId())
                && e.getPhase() != EnactmentPhase.PROGRESSING && e.getPhase() != EnactmentPhase.RETRYING);
            if (!finished && !removedSince(node, policy, commandSentAt.get(commandId))) {
                applying.add(node);
            }
        });
        return applying;
    }

    /**
     * Whether the node let go of the policy (REMOVED without a command id: deleted, no longer matching, node gone) since
     * input {@code since}: its command no longer counts.
     */
    private boolean removedSince(String node, String policy, int since) {
        for (int i = 0; i < timeline.size(); i++) {
            EnactmentEvent event = timeline.get(i);
            if (writtenAt.get(i) >= since && event.getPhase() == EnactmentPhase.REMOVED && event.getCommandId() == null
                && event.getNode().equals(node)
                && event.getPolicy().equals(policy)) {
                return true;
            }
        }
        return false;
    }

    /** Commands not yet answered, oldest first. */
    List<DesiredStateCommand> openCommands(String policy) {
        Set<String> applying = applying(policy);
        Map<String, DesiredStateCommand> last = new LinkedHashMap<>();
        commands(policy).forEach(c -> last.put(c.getNode(), c));
        return last.values().stream().filter(c -> applying.contains(c.getNode())).collect(Collectors.toList());
    }

    @Override
    public void close() {
        driver.close();
        try {
            Utils.delete(stateDir.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
