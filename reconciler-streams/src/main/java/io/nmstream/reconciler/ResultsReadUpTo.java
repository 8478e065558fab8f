package io.nmstream.reconciler;

import io.nmstream.common.kafka.KafkaClients;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far the reconciler has read the agents' results: a time (this host's wall clock, in milliseconds) such that every
 * result published to the enactments topic before it has been processed by the node reconciler. Command deadlines are
 * judged against it ({@link io.nmstream.reconciler.node.NodeReconciler}), not against the wall clock alone, so that a
 * reconciler that is behind (a backlog under load, a restart, an instance's tasks failing over) never fails a node whose
 * answer is already in the topic.
 *
 * <p>A result reaches the node reconciler in two hops, both through the reconciler's consumer group: from the
 * enactments topic to the {@value ReconcilerTopology#REPORTS_BY_NODE} repartition topic, then from there to the node
 * reconciler. Kafka Streams commits an input offset only once the record is processed (and its output is in the same
 * transaction). So a probe notes the end offsets of the enactments topic at time {@code t}; once the group's committed
 * offsets reach them, it notes the end offsets of the repartition topic; once those are reached too, everything
 * published before {@code t} is processed, and the watermark moves to {@code t}. A partition behind only by records a
 * read_committed reader skips (transaction markers, an aborted transaction of a killed instance) counts as caught up:
 * Kafka Streams commits nothing there until a real record follows.
 *
 * <p>While the cluster cannot be asked, the watermark stands still, and deadlines wait: the reconciler cannot tell
 * then whether an answer arrived.
 */
public final class ResultsReadUpTo implements LongSupplier, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ResultsReadUpTo.class);
    /** How long a probe waits on a partition before the partition's gap is read to see whether it holds any record. */
    private static final Duration GAP_CHECK_AFTER = Duration.ofSeconds(2);

    private final Admin admin;
    /** Reads end offsets as a read_committed reader sees them, and the gaps of partitions that wait long. */
    private final KafkaConsumer<byte[], byte[]> reader;
    private final String group;
    private final String enactments;
    private final String repartition;
    private final Duration interval;
    private final Thread thread;
    private volatile long readUpTo = Long.MIN_VALUE;
    private volatile boolean running = true;
    /** The probe waiting for the enactments topic to be read, and the one waiting for the repartition topic. */
    private Probe first;
    private Probe second;

    /** One probe: the wall-clock time it was taken at, and the end offsets the group must reach. */
    private record Probe(long takenAt, Map<TopicPartition, Long> ends, long startedNanos) {
    }

    private ResultsReadUpTo(Properties client, String applicationId, String enactments, Duration interval) {
        this.admin = Admin.create(client);
        Properties readCommitted = new Properties();
        readCommitted.putAll(client);
        readCommitted.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        readCommitted.put(ConsumerConfig.CLIENT_ID_CONFIG, applicationId + "-results-read-up-to");
        this.reader = new KafkaConsumer<>(readCommitted, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.group = applicationId;
        this.enactments = enactments;
        this.repartition = ReconcilerTopology.reportsRepartitionTopic(applicationId);
        this.interval = interval;
        this.thread = new Thread(this::run, "results-read-up-to");
        thread.setDaemon(true);
    }

    /**
     * Starts following the reconciler group {@code applicationId} on the cluster {@code client} reaches, probing every
     * {@code interval}.
     */
    public static ResultsReadUpTo start(Properties client, String applicationId, String enactmentsTopic, Duration interval) {
        ResultsReadUpTo watermark = new ResultsReadUpTo(client, applicationId, enactmentsTopic, interval);
        watermark.thread.start();
        return watermark;
    }

    /** Every result published before this time (epoch milliseconds) has been processed; {@link Long#MIN_VALUE} before the first. */
    @Override
    public long getAsLong() {
        return readUpTo;
    }

    private void run() {
        while (running) {
            try {
                probe();
            } catch (InterruptedException e) {
                return;
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                // the cluster cannot be asked now (a broker or the coordinator is moving): the watermark waits
                LOG.debug("Cannot tell how far results are read: {}", e.toString());
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Manages the two probes: starts one, moves one on when the group has read to its offsets. */
    private void probe() throws ExecutionException, InterruptedException, TimeoutException {
        if (first == null) {
            first = new Probe(System.currentTimeMillis(), ends(enactments), System.nanoTime());
        }
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
            .get(timeout(), TimeUnit.MILLISECONDS);
        if (second != null && readTo(second, committed)) {
            readUpTo = second.takenAt();
            second = null;
        }
        if (second == null && readTo(first, committed)) {
            second = new Probe(first.takenAt(), ends(repartition), System.nanoTime());
            first = null;
        }
    }

    /** Whether the group has processed everything up to the probe's end offsets. */
    private boolean readTo(Probe probe, Map<TopicPartition, OffsetAndMetadata> committed) {
        boolean waitedLong = System.nanoTime() - probe.startedNanos() > GAP_CHECK_AFTER.toNanos();
        for (Map.Entry<TopicPartition, Long> end : probe.ends().entrySet()) {
            OffsetAndMetadata at = committed.get(end.getKey());
            long position = at == null ? 0 : at.offset();
            if (position < end.getValue() && !(waitedLong && holdsNoRecord(end.getKey(), position, end.getValue()))) {
                return false;
            }
        }
        return true;
    }

    /** Whether a read_committed reader finds no record between the two offsets (only markers or aborted records). */
    private boolean holdsNoRecord(TopicPartition partition, long from, long to) {
        reader.assign(List.of(partition));
        reader.seek(partition, from);
        long deadline = System.nanoTime() + interval.toNanos();
        while (reader.position(partition) < to && System.nanoTime() < deadline) {
            if (!reader.poll(Duration.ofMillis(100)).isEmpty()) {
                return false;
            }
        }
        return reader.position(partition) >= to;
    }

    /** The last stable offset of every partition of {@code topic}: where a read_committed reader ends. */
    private Map<TopicPartition, Long> ends(String topic) {
        Duration timeout = Duration.ofMillis(timeout());
        List<TopicPartition> partitions = reader.partitionsFor(topic, timeout).stream()
            .map(p -> new TopicPartition(topic, p.partition())).toList();
        return new HashMap<>(reader.endOffsets(partitions, timeout));
    }

    private long timeout() {
        return Math.max(5_000, interval.toMillis() * 5);
    }

    /** Stops probing at once: nothing of it needs to reach the cluster, so a stop never waits for a slow broker. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(2).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        KafkaClients.closeReader(reader);
        admin.close(Duration.ZERO);
    }
}
