package io.nmstream.reconciler;

import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.reconciler.errors.ReconcilerUncaughtExceptionHandler;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.registry.SchemaRegistryClient;
import java.time.Duration;
import java.util.Properties;
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
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaStreams streams;

    private ReconcilerService(KafkaStreams streams) {
        this.streams = streams;
    }

    /** Starts a reconciler against the cluster; it runs until {@link #close()}. */
    public static ReconcilerService start(ClusterSettings cluster, ReconcilerConfig config) {
        return start(cluster, config, cluster.registryClient());
    }

    /** Starts a reconciler that uses {@code registry} for its serdes (for an in-process registry client). */
    public static ReconcilerService start(ClusterSettings cluster, ReconcilerConfig config, SchemaRegistryClient registry) {
        Topics topics = cluster.topics(registry);
        StreamsBuilder builder = new StreamsBuilder();
        ReconcilerTopology.build(builder, topics, config);
        Properties props = config.streamsProperties(cluster, topics);
        KafkaStreams streams = new KafkaStreams(builder.build(props), props);
        streams.setUncaughtExceptionHandler(new ReconcilerUncaughtExceptionHandler());
        streams.setStateListener((next, previous) -> LOG.info("Reconciler {}: {} -> {}", config.applicationId(), previous, next));
        streams.start();
        return new ReconcilerService(streams);
    }

    /** The Kafka Streams state (RUNNING once tasks are assigned and restored). */
    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Whether the reconciler stopped on its own (an unrecoverable error). */
    public boolean failed() {
        return streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING;
    }

    /** Blocks until the reconciler stops. */
    public void awaitTermination() throws InterruptedException {
        while (!(streams.state() == KafkaStreams.State.NOT_RUNNING || streams.state() == KafkaStreams.State.ERROR)) {
            synchronized (this) {
                wait(500);
            }
        }
    }

    @Override
    public void close() {
        streams.close(CLOSE_TIMEOUT);
    }
}
