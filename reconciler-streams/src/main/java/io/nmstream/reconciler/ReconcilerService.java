package io.nmstream.reconciler;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.reconciler.errors.ReconcilerUncaughtExceptionHandler;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.registry.SchemaRegistryClient;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
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

    private final KafkaStreams streams;
    private final ResultsReadUpTo resultsReadUpTo;
    private final KafkaStreamsMetrics streamsMetrics;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private ReconcilerService(KafkaStreams streams, ResultsReadUpTo resultsReadUpTo, String applicationId, MeterRegistry meters) {
        this.streams = streams;
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
            StreamsBuilder builder = new StreamsBuilder();
            ReconcilerTopology.build(builder, topics, config, resultsReadUpTo);
            Properties props = config.streamsProperties(cluster, topics);
            ReconcilerService service = new ReconcilerService(new KafkaStreams(builder.build(props), props), resultsReadUpTo,
                config.applicationId(), meters);
            service.streams.start();
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
        resultsReadUpTo.close();
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(CLOSE_TIMEOUT));
        streamsMetrics.close();
    }
}
