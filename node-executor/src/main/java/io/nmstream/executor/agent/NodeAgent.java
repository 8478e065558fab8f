package io.nmstream.executor.agent;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.kafka.KafkaClients;
import io.nmstream.common.kafka.RejectedRecords;
import io.nmstream.executor.apply.CommitGate;
import io.nmstream.executor.apply.NodeApplier;
import io.nmstream.executor.backend.BackendException;
import io.nmstream.executor.backend.Checkpoint;
import io.nmstream.executor.backend.NetworkBackend;
import io.nmstream.schemas.Topic;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.DesiredStateCommand;
import io.nmstream.schemas.contract.EventContract;
import io.nmstream.schemas.identity.NodeKey;
import io.nmstream.schemas.registry.SchemaRegistryException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent of one node: at start-up it rolls back any checkpoint a crash left behind, registers the node and
 * publishes its state; then it reads the one commands partition its node's key maps to, skips other nodes' commands,
 * carries out its own one at a time, commits each command's offset only after its result is published, and publishes
 * the node's state whenever it changes (checked after each command and every {@code agent.state.interval} ± 10%).
 * A command of its node that cannot be decoded or breaks the event contract is skipped and written to the dead-letter
 * topic ({@link RejectedRecords}); the next command is carried out as usual.
 */
public final class NodeAgent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);
    /** The node's private key in its state directory (readable by the agent's user only). */
    public static final String KEY_FILE = "node.key";

    private final String node;
    private final Map<String, String> labels;
    private final NetworkBackend backend;
    private final Topics topics;
    private final AgentPublisher publisher;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Deserializer<DesiredStateCommand> commandDecoder;
    private final RejectedRecords rejections;
    private final CommandProcessor processor;
    private final NodeStateTracker states;
    private final Duration stateInterval;
    private final Clock clock = Clock.systemUTC();
    private final List<KafkaClientMetrics> clientMetrics = new ArrayList<>();
    /** One thread refreshes the metrics of both Kafka clients (each binder would otherwise start its own). */
    private final ScheduledExecutorService clientMetricsRefresh = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kafka-client-metrics");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean running = true;
    private Thread thread;

    /** An agent for {@code backend}'s host whose meters are kept in a registry of its own (nothing serves them). */
    public NodeAgent(ClusterSettings cluster, NodeAgentSettings settings, NetworkBackend backend) {
        this(cluster, settings, backend, new SimpleMeterRegistry());
    }

    /**
     * An agent for {@code backend}'s host; call {@link #run()} (blocking) or {@link #start()} (own thread). Apply
     * durations and the Kafka clients' metrics (consumer lag included) are recorded on {@code meters}.
     */
    public NodeAgent(ClusterSettings cluster, NodeAgentSettings settings, NetworkBackend backend, MeterRegistry meters) {
        this.node = settings.nodeName();
        this.labels = settings.labels();
        this.backend = backend;
        this.topics = cluster.topics(cluster.registryClient());
        String clientId = "nmstream-node-" + node;
        String stateDir = settings.get(NodeAgentSettings.STATE_DIR);
        // the node's identity: kept with its state, so that a restart keeps the key its registration introduced
        NodeKey key = stateDir.isEmpty() ? NodeKey.generate() : NodeKey.loadOrCreate(Path.of(stateDir).resolve(KEY_FILE));
        this.publisher = new AgentPublisher(cluster.clientProperties(), topics, clientId, name -> name.equals(node) ? key : null);
        // values are decoded one by one, so that one the agent cannot read is set aside instead of failing the poll
        this.consumer = KafkaClients.consumer(cluster.clientProperties(), topics.commands().asValueBytes(),
            topics.nodeAgentGroup(node), clientId + "-commands");
        this.commandDecoder = topics.commands().valueSerde().deserializer();
        this.rejections = RejectedRecords.toDeadLetters(cluster.clientProperties(), topics, clientId, meters);
        AppliedLedger ledger = stateDir.isEmpty() ? AppliedLedger.inMemory() : AppliedLedger.inDirectory(Path.of(stateDir));
        String pauseFile = settings.get(NodeAgentSettings.PAUSE_BEFORE_COMMIT);
        CommitGate gate = pauseFile.isEmpty() ? CommitGate.OPEN : new PauseBeforeCommitGate(Path.of(pauseFile));
        NodeApplier applier = new NodeApplier(backend, settings.get(NodeAgentSettings.VERIFY_ATTEMPTS),
            settings.get(NodeAgentSettings.VERIFY_INTERVAL), gate, meters);
        this.states = new NodeStateTracker(node, backend::version);
        this.processor = new CommandProcessor(node, backend, applier, ledger, CommandProcessor.RetryPolicy.of(settings),
            new EnactmentAndStateSink(publisher, states, backend::currentState, clock), clock);
        this.stateInterval = settings.get(NodeAgentSettings.STATE_INTERVAL);
        KafkaClientMetrics consumerMetrics = new KafkaClientMetrics(consumer, Tags.empty(), clientMetricsRefresh);
        consumerMetrics.bindTo(meters);
        clientMetrics.add(consumerMetrics);
        clientMetrics.add(publisher.bindMetrics(meters, clientMetricsRefresh));
    }

    public String node() {
        return node;
    }

    /** Runs the agent on its own thread. */
    public NodeAgent start() {
        thread = new Thread(this::run, "node-agent-" + node);
        thread.start();
        return this;
    }

    /** Runs the agent on the calling thread until {@link #close()}. */
    public void run() {
        try {
            recoverInterruptedApply();
            register();
            publishStateIfChanged();
            TopicPartition partition = ownPartition();
            consumer.assign(List.of(partition));
            LOG.info("Node agent {} reading {}", node, partition);
            Instant nextStateCheck = clock.instant().plus(NodeStateTracker.jittered(stateInterval));
            while (running) {
                pollOnce(partition);
                if (!clock.instant().isBefore(nextStateCheck)) {
                    publishStateIfChanged();
                    nextStateCheck = clock.instant().plus(NodeStateTracker.jittered(stateInterval));
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } finally {
            clientMetrics.forEach(KafkaClientMetrics::close);
            clientMetricsRefresh.shutdownNow();
            consumer.close();
            rejections.close();
            publisher.close();
        }
    }

    private void pollOnce(TopicPartition partition) {
        List<ConsumerRecord<String, byte[]>> records = consumer.poll(Duration.ofMillis(500)).records(partition);
        long uncommitted = -1;
        for (ConsumerRecord<String, byte[]> record : records) {
            if (!running) {
                break;
            }
            DesiredStateCommand command;
            try {
                command = node.equals(record.key()) ? command(record) : null;
            } catch (SchemaRegistryException e) {
                LOG.warn("Cannot read command {}-{}@{} while the schema registry is unreachable; reading it again: {}", record.topic(),
                    record.partition(), record.offset(), e.getMessage());
                consumer.seek(partition, record.offset());
                break;
            }
            if (command != null) {
                processor.handle(command);
                // the result is published: only now may the command be considered done
                consumer.commitSync(Map.of(partition, new OffsetAndMetadata(record.offset() + 1)));
                // the state the command left went out with its result (EnactmentAndStateSink): nothing to read again here
                uncommitted = -1;
            } else {
                uncommitted = record.offset() + 1;
            }
        }
        if (uncommitted >= 0) {
            // other nodes' commands and set-aside ones: committed once per batch, not one by one
            consumer.commitSync(Map.of(partition, new OffsetAndMetadata(uncommitted)));
        }
    }

    /** The command of a record of this node; null for a tombstone or a record set aside. */
    private DesiredStateCommand command(ConsumerRecord<String, byte[]> record) {
        return rejections.decodeOrReject(record, commandDecoder, EventContract::checkCommand);
    }

    /**
     * Manages crash recovery: a checkpoint that exists at start-up belongs to an apply that never finished, so it is
     * rolled back before anything else (the command is then read again, as its offset was never committed).
     */
    private void recoverInterruptedApply() {
        for (Checkpoint leftover : backend.checkpoints()) {
            LOG.warn("Rolling back checkpoint {} left by an interrupted apply", leftover);
            backend.rollback(leftover);
        }
    }

    private void register() {
        publisher.register(AgentPublisher.registration(node, labels, backend.version(), clock.instant()));
    }

    private void publishStateIfChanged() {
        try {
            states.changed(backend.currentState(), clock.instant()).ifPresent(state -> {
                publisher.publishState(state);
                states.published(state);
            });
        } catch (BackendException e) {
            // NetworkManager restarting: the next check publishes the state
            LOG.warn("Cannot read the node's state: {}", e.getMessage());
        }
    }

    private TopicPartition ownPartition() {
        Topic<String, DesiredStateCommand> commands = topics.commands();
        int partitions = NodePartitioner.partitionsOf(consumer, commands).size();
        return new TopicPartition(commands.name(), NodePartitioner.partitionFor(node, commands, partitions));
    }

    /** Stops the agent after the command in hand (an apply in progress finishes or rolls back first). */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        if (thread != null && thread != Thread.currentThread()) {
            try {
                thread.join(Duration.ofSeconds(120).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
