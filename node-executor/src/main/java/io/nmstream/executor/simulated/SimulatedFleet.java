package io.nmstream.executor.simulated;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nmstream.common.config.Config;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.kafka.KafkaClients;
import io.nmstream.common.kafka.RejectedRecords;
import io.nmstream.executor.agent.AgentPublisher;
import io.nmstream.executor.agent.AppliedLedger;
import io.nmstream.executor.agent.CommandProcessor;
import io.nmstream.executor.agent.EnactmentAndStateSink;
import io.nmstream.executor.agent.NodeAgent;
import io.nmstream.executor.agent.NodeAgentSettings;
import io.nmstream.executor.agent.NodeLabels;
import io.nmstream.executor.agent.NodePartitioner;
import io.nmstream.executor.agent.NodeStateTracker;
import io.nmstream.executor.apply.CommitGate;
import io.nmstream.executor.apply.NodeApplier;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.DesiredStateCommand;
import io.nmstream.schemas.avro.NodeEvent;
import io.nmstream.schemas.avro.NodeNetworkState;
import io.nmstream.schemas.contract.EventContract;
import io.nmstream.schemas.identity.NodeKey;
import io.nmstream.schemas.registry.SchemaRegistryException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many simulated nodes in one process, for demos, fleet simulations and benchmarks: each node has its own in-memory
 * host ({@link SimulatedBackend}), applied-policy ledger and command processor, exactly as a real agent does; they share
 * one consumer of the commands topic (dispatching by key), one publisher and a thread pool. A node's commands still run
 * one at a time, in order.
 *
 * <p>A fleet whose agent settings name a state directory ({@code agent.state.dir}) keeps each node there as a real
 * host keeps itself: its host state and its applied-policy ledger ({@code <dir>/<node>/}) survive the process, and the
 * fleet resumes reading commands where it left off, committing a partition's offset only up to the first command whose
 * result is not yet published; a fleet killed at any moment reads again, after its restart, every command it had not
 * answered. Without a state directory the hosts start fresh, so the fleet reads only commands issued after it started.
 */
public final class SimulatedFleet implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatedFleet.class);
    /** Longest wait for the broker of each step of a close (last commit, leaving the group, workers' last sends). */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(3);

    /**
     * How a fleet is made up.
     *
     * @param nodes number of nodes
     * @param namePrefix node names are this prefix and a four-digit index ("sim-0001")
     * @param labels labels every node carries
     * @param rules failure rules every host follows
     * @param applyLatency time every apply takes
     * @param agent retry, verification and state-check settings of every node
     */
    public record Options(int nodes, String namePrefix, Map<String, String> labels, FailureRules rules, Duration applyLatency,
                          NodeAgentSettings agent) {

        /** The nodes these options describe: {@code nodes} alike ones, named by prefix and a four-digit index. */
        List<SimulatedNode> members() {
            List<SimulatedNode> out = new ArrayList<>();
            for (int i = 1; i <= nodes; i++) {
                out.add(new SimulatedNode(String.format(Locale.ROOT, "%s%04d", namePrefix, i), labels, rules));
            }
            return out;
        }
    }

    private final Topics topics;
    private final AgentPublisher publisher;
    /** Each simulated node's own key, as each real node has one. */
    private final Map<String, NodeKey> keys = new ConcurrentHashMap<>();
    private final KafkaConsumer<String, byte[]> consumer;
    private final Deserializer<DesiredStateCommand> commandDecoder;
    /** Where commands the fleet cannot read go: the dead-letter topic, as a node agent sends them. */
    private final RejectedRecords rejections;
    private final ExecutorService workers;
    private final Map<String, Member> members = new LinkedHashMap<>();
    /** Where the nodes are kept across restarts; null when they live in memory only. */
    private final Path stateDir;
    private final CommandOffsets offsets = new CommandOffsets();
    private final Duration stateInterval;
    private final Clock clock = Clock.systemUTC();
    private final Thread loop;
    private volatile boolean running = true;

    /**
     * One simulated node.
     *
     * @param waiting ids of the commands queued or being carried out: a copy of one of them (the reconciler re-sends
     *     unanswered commands after a restart, while the fleet reads again what it had not answered) is answered by the
     *     first
     */
    private record Member(String name, Map<String, String> labels, SimulatedBackend host, CommandProcessor processor,
                          NodeStateTracker states,
                          CompletableFuture<?>[] tail, Set<String> waiting) {
    }

    private SimulatedFleet(ClusterSettings cluster, List<SimulatedNode> nodes, Duration applyLatency,
        NodeAgentSettings agent) {
        this.topics = cluster.topics(cluster.registryClient());
        String dir = agent.get(NodeAgentSettings.STATE_DIR);
        this.stateDir = dir.isEmpty() ? null : Path.of(dir);
        this.publisher = new AgentPublisher(cluster.clientProperties(), topics, "nmstream-simulated-fleet", keys::get);
        this.consumer = KafkaClients.consumer(cluster.clientProperties(), topics.commands().asValueBytes(),
            stateDir == null ? null : topics.simulatedFleetGroup(), "nmstream-simulated-fleet");
        this.commandDecoder = topics.commands().valueSerde().deserializer();
        this.workers = Executors.newFixedThreadPool(Math.max(4, Math.min(64, nodes.size() / 4)), r -> {
            Thread t = new Thread(r, "simulated-node");
            t.setDaemon(true);
            return t;
        });
        this.stateInterval = agent.get(NodeAgentSettings.STATE_INTERVAL);
        // one registry for the whole fleet: apply durations are recorded fleet-wide, not in one registry per node
        MeterRegistry meters = new SimpleMeterRegistry();
        this.rejections = RejectedRecords.toDeadLetters(cluster.clientProperties(), topics, "nmstream-simulated-fleet", meters);
        for (int i = 1; i <= nodes.size(); i++) {
            SimulatedNode node = nodes.get(i - 1);
            String name = node.name();
            SimulatedBackend host = stateDir == null ? new SimulatedBackend(SimulatedBackend.typicalHost(i), applyLatency, node.rules())
                : SimulatedBackend.keptIn(stateDir.resolve(name).resolve("host-state.json"), SimulatedBackend.typicalHost(i), applyLatency,
                    node.rules());
            AppliedLedger ledger = stateDir == null ? AppliedLedger.inMemory() : AppliedLedger.inDirectory(stateDir.resolve(name));
            keys.put(name, stateDir == null ? NodeKey.generate()
                : NodeKey.loadOrCreate(stateDir.resolve(name).resolve(NodeAgent.KEY_FILE)));
            NodeApplier applier = new NodeApplier(host, agent.get(NodeAgentSettings.VERIFY_ATTEMPTS),
                agent.get(NodeAgentSettings.VERIFY_INTERVAL), CommitGate.OPEN, meters);
            NodeStateTracker states = new NodeStateTracker(name, host::version);
            CommandProcessor processor = new CommandProcessor(name, host, applier, ledger,
                CommandProcessor.RetryPolicy.of(agent), new EnactmentAndStateSink(publisher, states, host::currentState, clock), clock);
            members.put(name, new Member(name, NodeLabels.of(name, node.labels()), host, processor, states,
                new CompletableFuture<?>[] {CompletableFuture.completedFuture(null)}, ConcurrentHashMap.newKeySet()));
        }
        List<TopicPartition> partitions = NodePartitioner.partitionsOf(consumer, topics.commands()).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        if (stateDir == null) {
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
        } else {
            resume(partitions);
        }
        registerMembers();
        this.loop = new Thread(this::run, "simulated-fleet");
        loop.start();
        LOG.info("Simulated fleet of {} nodes started", members.size());
    }

    /** Starts {@code nodes} simulated nodes ("sim-0001", ...) with default agent settings and no apply latency. */
    public static SimulatedFleet start(ClusterSettings cluster, int nodes, Map<String, String> labels, FailureRules rules) {
        return start(cluster, new Options(nodes, "sim-", labels, rules, Duration.ZERO, defaultAgentSettings()));
    }

    /** Agent settings of simulated nodes: the defaults, with no state directory (simulated hosts start fresh). */
    public static NodeAgentSettings defaultAgentSettings() {
        return new NodeAgentSettings(Config.of(Map.of(NodeAgentSettings.STATE_DIR.name(), "")));
    }

    public static SimulatedFleet start(ClusterSettings cluster, Options options) {
        return new SimulatedFleet(cluster, options.members(), options.applyLatency(), options.agent());
    }

    /** Starts the given nodes, each with its own name, labels and failure rules, with default agent settings. */
    public static SimulatedFleet start(ClusterSettings cluster, List<SimulatedNode> nodes, Duration applyLatency) {
        return start(cluster, nodes, applyLatency, defaultAgentSettings());
    }

    /** Starts the given nodes with {@code agent}'s retry, verification and state-check settings. */
    public static SimulatedFleet start(ClusterSettings cluster, List<SimulatedNode> nodes, Duration applyLatency,
        NodeAgentSettings agent) {
        return new SimulatedFleet(cluster, nodes, applyLatency, agent);
    }

    /** Node names, in order. */
    public List<String> nodes() {
        return new ArrayList<>(members.keySet());
    }

    /** The simulated host of {@code node}, to inspect (or as a test, to compare with what the fleet reports). */
    public SimulatedBackend host(String node) {
        Member m = members.get(node);
        if (m == null) {
            throw new IllegalArgumentException("No simulated node " + node);
        }
        return m.host();
    }

    /**
     * Manages where a kept fleet reads from: where it committed, or, on its first start, the end of each partition,
     * committed at once so that a fleet killed before its first command still finds every command issued after it.
     */
    private void resume(List<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions));
        List<TopicPartition> fresh = partitions.stream().filter(p -> committed.get(p) == null).toList();
        if (fresh.isEmpty()) {
            return;
        }
        consumer.seekToEnd(fresh);
        Map<TopicPartition, OffsetAndMetadata> start = new LinkedHashMap<>();
        fresh.forEach(p -> start.put(p, new OffsetAndMetadata(consumer.position(p))));
        consumer.commitSync(start);
    }

    private void run() {
        Instant nextStateCheck = clock.instant().plus(NodeStateTracker.jittered(stateInterval));
        try {
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
                for (TopicPartition partition : records.partitions()) {
                    read(partition, records.records(partition));
                }
                commitFinished();
                if (!clock.instant().isBefore(nextStateCheck)) {
                    members.values().forEach(m -> {
                        synchronized (m.tail()) {
                            m.tail()[0] = m.tail()[0].thenRunAsync(() -> publishStateIfChanged(m), workers);
                        }
                    });
                    nextStateCheck = clock.instant().plus(NodeStateTracker.jittered(stateInterval));
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } finally {
            closeConsumer();
        }
    }

    /**
     * Hands each command of a member to it, in order; a record it cannot read is set aside (dead letter, metric) and
     * skipped. While the registry cannot be asked, the partition is read again from that record on the next poll.
     */
    private void read(TopicPartition partition, List<ConsumerRecord<String, byte[]>> records) {
        for (ConsumerRecord<String, byte[]> record : records) {
            Member m = record.key() == null ? null : members.get(record.key());
            DesiredStateCommand value;
            try {
                value = m == null ? null : rejections.decodeOrReject(record, commandDecoder, EventContract::checkCommand);
            } catch (SchemaRegistryException e) {
                LOG.warn("Cannot read command {}-{}@{} while the schema registry is unreachable; reading it again: {}", record.topic(),
                    record.partition(), record.offset(), e.getMessage());
                consumer.seek(partition, record.offset());
                return;
            }
            boolean command = value != null && m.waiting().add(value.getCommandId());
            offsets.read(partition, record.offset(), command);
            if (command) {
                synchronized (m.tail()) {
                    m.tail()[0] = m.tail()[0].thenRunAsync(() -> handle(m, value, partition, record.offset()), workers);
                }
            }
        }
    }

    /**
     * Manages the consumer's end: a last commit of what is finished and a close that leaves the group, each bounded, so
     * that a fleet whose broker is gone still stops; what is not committed is read again after a restart.
     */
    private void closeConsumer() {
        try {
            commitFinished();
        } catch (KafkaException e) {
            LOG.warn("Simulated fleet could not commit its offsets on close ({}); it reads those commands again after a restart",
                e.toString());
        } finally {
            consumer.close(CLOSE_TIMEOUT);
        }
    }

    /** A kept fleet commits, in each partition, up to the first command whose result is not yet published. */
    private void commitFinished() {
        if (stateDir == null) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> done = offsets.toCommit();
        if (!done.isEmpty()) {
            consumer.commitSync(done, CLOSE_TIMEOUT);
        }
    }

    /**
     * Manages registration: every node's registration, then every node's first state, is sent before any
     * acknowledgement is awaited, so that start-up takes a few batched round trips rather than two per node. Returns once
     * all are acknowledged.
     */
    private void registerMembers() {
        List<NodeEvent> registrations = members.values().stream()
            .map(m -> AgentPublisher.registration(m.name(), m.labels(), m.host().version(), clock.instant())).toList();
        publisher.registerAll(registrations);
        List<NodeNetworkState> states = members.values().stream()
            .flatMap(m -> m.states().changed(m.host().currentState(), clock.instant()).stream()).toList();
        publisher.publishStates(states);
        states.forEach(state -> members.get(state.getNode()).states().published(state));
    }

    private void handle(Member m, DesiredStateCommand command, TopicPartition partition, long offset) {
        try {
            m.processor().handle(command);
            // the result is published: only now may the command be considered done
            // the state the command left went out with its result (EnactmentAndStateSink): nothing to read again here
            offsets.finished(partition, offset);
        } catch (RuntimeException e) {
            // not finished: a kept fleet reads it again after a restart
            LOG.error("Simulated node {} failed on command {}: {}", m.name(), command.getCommandId(), e.toString());
        } finally {
            m.waiting().remove(command.getCommandId());
        }
    }

    private void publishStateIfChanged(Member m) {
        m.states().changed(m.host().currentState(), clock.instant()).ifPresent(state -> {
            publisher.publishState(state);
            m.states().published(state);
        });
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            // the loop's own close is bounded (commit and leave, CLOSE_TIMEOUT each): this only guards against a hang
            loop.join(CLOSE_TIMEOUT.multipliedBy(3).toMillis());
            workers.shutdownNow();
            workers.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        members.values().forEach(m -> m.host().close());
        publisher.close();
        rejections.close();
    }
}
