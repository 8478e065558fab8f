package io.nmstream.reconciler;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.reconciler.errors.ReconcilerUncaughtExceptionHandler;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.registry.SchemaRegistryClient;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.ThreadMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running reconciler: the Kafka Streams application built from {@link ReconcilerTopology}, started with exactly-once
 * processing and the dead-letter exception handlers. Local state is kept across restarts (no clean-up on start); what
 * is missing is restored from the changelogs.
 */
public final class ReconcilerService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReconcilerService.class);
    /** Longest wait for a close (commit, leave the group): a gone broker must not hold up a stop. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    /** How often {@link #awaitInventoryRead} asks for the reconciler's committed offsets. */
    private static final Duration INVENTORY_POLL = Duration.ofMillis(100);

    private final KafkaStreams streams;
    private final ResultsReadUpTo resultsReadUpTo;
    private final DepartedInstanceTransactions departedInstanceTransactions;
    private final KafkaStreamsMetrics streamsMetrics;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Properties clientProperties;
    private final String applicationId;
    private final String nodesTopic;

    private ReconcilerService(KafkaStreams streams, ResultsReadUpTo resultsReadUpTo, String applicationId, MeterRegistry meters,
                              Properties clientProperties, String nodesTopic) {
        this.streams = streams;
        this.clientProperties = clientProperties;
        this.applicationId = applicationId;
        this.nodesTopic = nodesTopic;
        this.resultsReadUpTo = resultsReadUpTo;
        this.streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(meters);
        streams.setUncaughtExceptionHandler(new ReconcilerUncaughtExceptionHandler());
        streams.setStateListener((next, previous) -> {
            LOG.info("Reconciler {}: {} -> {}", applicationId, previous, next);
            if (next == KafkaStreams.State.NOT_RUNNING || next == KafkaStreams.State.ERROR) {
                stopped.countDown();
            }
        });
        this.departedInstanceTransactions = DepartedInstanceTransactions.start(clientProperties, applicationId,
            this::ownConsumerClientId);
    }

    /** The client id of one of this instance's stream thread consumers, while it runs. */
    private Optional<String> ownConsumerClientId() {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            return Optional.empty();
        }
        try {
            return streams.metadataForLocalThreads().stream().map(ThreadMetadata::consumerClientId).findFirst();
        } catch (IllegalStateException e) {
            return Optional.empty();  // stopped meanwhile
        }
    }

    /** Starts a reconciler against the cluster; it runs until {@link #close()}. */
    public static ReconcilerService start(ClusterSettings cluster, ReconcilerConfig config) {
        return start(cluster, config, cluster.registryClient());
    }

    /** Starts a reconciler that uses {@code registry} for its serdes (for an in-process registry client). */
    public static ReconcilerService start(ClusterSettings cluster, ReconcilerConfig config, SchemaRegistryClient registry) {
        return start(cluster, config, registry, new SimpleMeterRegistry());
    }

    /**
     * Starts a reconciler that records the Kafka Streams metrics (consumer lag, process and commit rates, state stores)
     * on {@code meters}.
     */
    public static ReconcilerService start(ClusterSettings cluster, ReconcilerConfig config, SchemaRegistryClient registry,
                                          MeterRegistry meters) {
        Topics topics = cluster.topics(registry);
        ResultsReadUpTo resultsReadUpTo = ResultsReadUpTo.start(cluster.clientProperties(), config.applicationId(),
            topics.enactments().name(), config.deadlineCheckInterval());
        try {
            RocksDbLibrary.loadFrom(config.stateDir());
            StreamsBuilder builder = new StreamsBuilder();
            ReconcilerTopology.build(builder, topics, config, resultsReadUpTo);
            Properties props = config.streamsProperties(cluster, topics);
            props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), ReconcilerInstanceId.of(config));
            ReconcilerService service = new ReconcilerService(new KafkaStreams(builder.build(props), props), resultsReadUpTo,
                config.applicationId(), meters, cluster.clientProperties(), topics.nodes().name());
            try {
                service.streams.start();
            } catch (RuntimeException e) {
                service.departedInstanceTransactions.close();
                throw e;
            }
            return service;
        } catch (RuntimeException e) {
            resultsReadUpTo.close();
            throw e;
        }
    }

    /** The Kafka Streams state (RUNNING once tasks are assigned and restored). */
    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Whether the reconciler stopped because of an unrecoverable error. */
    public boolean failed() {
        return streams.state() == KafkaStreams.State.ERROR;
    }

    /**
     * Waits until the reconciler runs and has processed every node registration published before this call: a policy
     * published after it is matched against those nodes, not against part of them (the all-in-one says it is up only
     * then, so that a policy applied at once finds every simulated node).
     *
     * @throws IllegalStateException when the reconciler stops, or does not get there within {@code timeout}
     */
    public void awaitInventoryRead(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(clientProperties)) {
            Map<TopicPartition, Long> registered = inventoryEnd(admin, nodesTopic);
            while (true) {
                if (failed() || streams.state() == KafkaStreams.State.NOT_RUNNING) {
                    throw new IllegalStateException("The reconciler stopped while reading the node inventory: " + streams.state());
                }
                if (streams.state() == KafkaStreams.State.RUNNING && hasRead(admin, applicationId, registered)) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("The reconciler did not read the node inventory within " + timeout + " (state "
                        + streams.state() + "); open transactions of " + applicationId + ": "
                        + OpenTransactions.describe(admin, applicationId + "-", Instant.now()));
                }
                Thread.sleep(INVENTORY_POLL.toMillis());
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot ask the cluster how far the reconciler read the node inventory: " + e.getCause(),
                e.getCause());
        }
    }

    /** The end offset of each partition of the nodes topic: how far a reconciler must read to know every node registered. */
    public static Map<TopicPartition, Long> inventoryEnd(Admin admin, String nodesTopic) throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
        admin.describeTopics(List.of(nodesTopic)).allTopicNames().get().get(nodesTopic).partitions()
            .forEach(p -> latest.put(new TopicPartition(nodesTopic, p.partition()), OffsetSpec.latest()));
        Map<TopicPartition, Long> end = new HashMap<>();
        admin.listOffsets(latest).all().get().forEach((partition, info) -> end.put(partition, info.offset()));
        return end;
    }

    /**
     * Whether the reconcilers of {@code applicationId} have committed past {@code positions} (from {@link #inventoryEnd}):
     * what they do from then on takes those records into account.
     */
    public static boolean hasRead(Admin admin, String applicationId, Map<TopicPartition, Long> positions)
        throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
            .partitionsToOffsetAndMetadata().get();
        return positions.entrySet().stream().allMatch(e -> e.getValue() == 0
            || committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() >= e.getValue());
    }

    /** Blocks until the reconciler stops. */
    public void awaitTermination() throws InterruptedException {
        stopped.await();
    }

    /**
     * Stops processing, commits, and leaves the consumer group. Kafka Streams otherwise stays a member after close
     * (its {@code internal.leave.group.on.close} is false), and a restarted reconciler then waits in REBALANCING for the
     * old member's session to expire (45 s) before it gets any task.
     */
    @Override
    public void close() {
        departedInstanceTransactions.close();
        resultsReadUpTo.close();
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(CLOSE_TIMEOUT));
        streamsMetrics.close();
    }
}
