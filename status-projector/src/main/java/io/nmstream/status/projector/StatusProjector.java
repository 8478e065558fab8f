package io.nmstream.status.projector;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nmstream.common.config.Config;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.kafka.KafkaClients;
import io.nmstream.common.kafka.RejectedRecords;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.ResourceStatus;
import io.nmstream.status.projector.FoldInput.InputTopic;
import io.nmstream.status.fold.StatusKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live status projector: folds the policy, enactment and node-state topics into NNCP, NNCE and NNS status, publishes
 * each status that changed to the status topic, keeps a queryable {@link StatusView} and feeds {@link StatusSink}s (the
 * Kubernetes writer).
 *
 * <p>At start it rebuilds the projection by folding the input topics from their beginning (the same way {@code replay}
 * does), compares it with what the status topic holds and publishes only the differences; then it follows new records.
 * It keeps no offsets and no local state, so a restart, a crash or a lost status topic all heal the same way. Records it
 * must skip go to the dead-letter topic ({@link RejectedRecords}), again after each restart, as it reads everything
 * again. Statuses
 * are published only when something besides their timestamps changed. One thread does all the folding.
 *
 * <p>What it publishes is, by construction, what a fold of the inputs from their beginning up to its positions gives:
 * inputs are folded in the order a fold from the beginning merges them ({@link FoldInput#ORDER}, {@link PartitionMerge});
 * a batch holding an input earlier than one already folded folds the recent inputs again with it ({@link RewindableFold}),
 * or, when it is earlier than those too, the whole history ({@link #rebuild}). Each publish is one transaction whose statuses
 * carry those positions ({@link ProjectionMark}), and the start publishes every status that differs in any field. That
 * is what lets {@code replay} compare exactly ({@link Replay}).
 */
public final class StatusProjector implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StatusProjector.class);

    private final ClusterSettings cluster;
    private final Topics topics;
    private final List<StatusSink> sinks;
    private final String clientId;
    private final Duration catchUpTimeout;
    private final Duration pollTimeout;
    private final StatusView view = new StatusView();
    /** Read by other threads only for {@link #eventsFolded}. */
    private final RewindableFold fold = new RewindableFold();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final KafkaProducer<String, ResourceStatus> producer;
    private final RejectedRecords rejections;
    /** Node signatures that verified, kept across rebuilds: each rebuild reads the whole history again. */
    private final VerifiedSignatures verifiedSignatures = new VerifiedSignatures();
    private final InputReader reader;
    private final ProjectorMetrics metrics;
    private final List<KafkaClientMetrics> clientMetrics = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long published;
    /** The sequence of the latest publish, continued from the status topic's at start. */
    private long sequence;

    private StatusProjector(Config config, Topics topics, List<StatusSink> sinks, MeterRegistry meters) {
        config.validate(ProjectorSettings.ALL);
        this.cluster = new ClusterSettings(config);
        this.topics = topics;
        this.sinks = List.copyOf(sinks);
        this.clientId = config.get(ProjectorSettings.CLIENT_ID);
        this.catchUpTimeout = config.get(ProjectorSettings.CATCH_UP_TIMEOUT);
        this.pollTimeout = config.get(ProjectorSettings.POLL_TIMEOUT);
        Properties producerProperties = new Properties();
        producerProperties.putAll(cluster.clientProperties());
        // one transactional id per projection: a restarted projector fences its crashed predecessor and aborts its publish
        producerProperties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, clientId + "-" + topics.status().name());
        this.producer = KafkaClients.producer(producerProperties, topics.status(), clientId + "-producer");
        this.rejections = RejectedRecords.toDeadLetters(cluster.clientProperties(), topics, clientId, meters);
        try {
            this.reader = inputReader(clientId + "-inputs", rejections);
        } catch (RuntimeException e) {
            rejections.close();
            producer.close();
            throw e;
        }
        this.metrics = new ProjectorMetrics(meters);
        clientMetrics.add(new KafkaClientMetrics(producer));
        clientMetrics.add(reader.clientMetrics());
        clientMetrics.forEach(bound -> bound.bindTo(meters));
        this.thread = new Thread(this::run, "status-projector");
    }

    /**
     * Starts a projector over {@code topics}, with the cluster and projector settings of {@code config}.
     *
     * @param sinks receivers of every published status, such as the Kubernetes writer; closed with the projector
     */
    public static StatusProjector start(Config config, Topics topics, List<StatusSink> sinks) {
        return start(config, topics, sinks, new SimpleMeterRegistry());
    }

    /**
     * Starts a projector as {@link #start(Config, Topics, List)} does, recording rollout progress, enactments by
     * outcome and the Kafka clients' metrics (consumer lag included) on {@code meters}.
     */
    public static StatusProjector start(Config config, Topics topics, List<StatusSink> sinks, MeterRegistry meters) {
        StatusProjector projector = new StatusProjector(config, topics, sinks, meters);
        projector.thread.start();
        return projector;
    }

    /** Starts a projector that publishes to the status topic and nowhere else. */
    public static StatusProjector start(Config config, Topics topics) {
        return start(config, topics, List.of());
    }

    /** The current projection. */
    public StatusView view() {
        return view;
    }

    /** Waits until the history is folded and published; false when the time ran out. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Events folded so far. */
    public long eventsFolded() {
        return fold.eventsApplied();
    }

    /** Status records published so far. */
    public long statusesPublished() {
        return published;
    }

    /** Why the projector stopped, if it failed. */
    public Throwable failure() {
        return failure.get();
    }

    /** True while the projector thread runs. */
    public boolean isRunning() {
        return thread.isAlive();
    }

    /** Waits for the projector thread to end (on {@link #close()} or a failure). */
    public void join() throws InterruptedException {
        thread.join();
    }

    @Override
    public void close() {
        running = false;
        reader.wakeup();
        try {
            thread.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        clientMetrics.forEach(KafkaClientMetrics::close);
        reader.close();
        rejections.close();
        producer.close(Duration.ofSeconds(5));
        for (StatusSink sink : sinks) {
            sink.close();
        }
    }

    private void run() {
        try {
            catchUp();
            caughtUp.countDown();
            while (running) {
                follow();
            }
        } catch (WakeupException e) {
            if (running) {
                fail(e);
            }
        } catch (RuntimeException | Error e) {
            fail(e);
        }
    }

    /** Manages the start: folds the history, then publishes where the status topic differs from it. */
    private void catchUp() {
        Instant started = Instant.now();
        // fences a predecessor with the same transactional id: its unfinished publish is aborted, never half visible
        producer.initTransactions();
        // history is not counted as enactments: a restart would count it again and show a burst that never happened
        long events = reader.readToEnd(fold::foldInOrder, catchUpTimeout);
        Map<String, ResourceStatus> rebuilt = fold.live().snapshot();
        LiveProjection stored = LiveProjection.read(cluster.clientProperties(), topics.status(), clientId + "-status",
            catchUpTimeout, rejections);
        sequence = stored.mark().map(ProjectionMark::sequence).orElse(0L);
        List<ResourceStatus> differences = differences(stored.statuses(), rebuilt);
        publish(differences);
        view.putAll(rebuilt.values());
        metrics.showProgress(fold.live());
        rebuilt.values().forEach(this::feedSinks);
        LOG.info("Status projection rebuilt from {} events in {} ms: {} resources, {} statuses published", events,
            Duration.between(started, Instant.now()).toMillis(), rebuilt.size(), differences.size());
    }

    /** Manages one batch of new records: fold, publish what changed, then show it. */
    private void follow() {
        List<FoldInput> batch = reader.poll(pollTimeout);
        if (batch.isEmpty()) {
            return;
        }
        batch.forEach(metrics::folded);
        Optional<Map<String, ResourceStatus>> folded = fold.fold(batch);
        if (folded.isEmpty()) {
            rebuild();
            return;
        }
        Map<String, ResourceStatus> changed = folded.get();
        publish(changed.values());
        metrics.showProgress(fold.live());
        changed.values().forEach(status -> {
            view.put(status);
            feedSinks(status);
        });
    }

    /** A reader of every input topic that shares this projector's verified signatures, so that a rebuild verifies none again. */
    private InputReader inputReader(String readerId, RejectedRecords readerRejections) {
        return new InputReader(cluster.clientProperties(), topics, readerId, EnumSet.allOf(InputTopic.class), readerRejections,
            verifiedSignatures, KnownNodes.STALL_TIMEOUT);
    }

    /**
     * Manages a batch that holds an input earlier (in fold order) than the recent inputs {@link RewindableFold} can fold
     * again: folding it on top would give a projection no rebuild from the topics gives, so the projection is folded
     * again from the beginning up to the reader's positions, and what differs is published.
     */
    private void rebuild() {
        Instant started = Instant.now();
        Map<TopicPartition, Long> positions = reader.positions();
        Map<String, ResourceStatus> before = fold.live().snapshot();
        fold.reset();
        String rebuildId = clientId + "-rebuild";
        // the live reader already set aside (and dead-lettered) what this one will skip again
        try (InputReader history = inputReader(rebuildId, RejectedRecords.countedOnly(rebuildId, new SimpleMeterRegistry()))) {
            history.readUpTo(positions, fold::foldInOrder, catchUpTimeout);
        }
        List<ResourceStatus> differences = differences(before, fold.live().snapshot());
        publish(differences);
        metrics.showProgress(fold.live());
        differences.forEach(status -> {
            view.put(status);
            feedSinks(status);
        });
        LOG.info("Inputs arrived out of fold order: projection folded again up to the same positions in {} ms, {} statuses "
            + "published", Duration.between(started, Instant.now()).toMillis(), differences.size());
    }

    /**
     * What to publish so that {@code published} (the latest status of every key, deleted ones included) becomes exactly
     * {@code projection}: every status that differs in any field, timestamps included, and the deletion of every other.
     */
    private static List<ResourceStatus> differences(Map<String, ResourceStatus> published, Map<String, ResourceStatus> projection) {
        List<ResourceStatus> differences = new ArrayList<>();
        projection.forEach((key, status) -> {
            if (!status.equals(published.get(key))) {
                differences.add(status);
            }
        });
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        published.forEach((key, status) -> {
            if (!status.getDeleted() && !projection.containsKey(key)) {
                differences.add(ResourceStatus.newBuilder(status).setDeleted(true).setUpdatedAt(now).build());
            }
        });
        return differences;
    }

    /**
     * Publishes {@code statuses} in one transaction, each marked with the input positions folded so far
     * ({@link ProjectionMark}): readers see the whole publish or none of it, and a replay knows where to fold to.
     */
    private void publish(Collection<ResourceStatus> statuses) {
        if (statuses.isEmpty()) {
            return;
        }
        ProjectionMark mark = new ProjectionMark(sequence + 1, statuses.size(), reader.positions());
        List<Header> markHeaders = mark.headers();
        try {
            producer.beginTransaction();
            for (ResourceStatus status : statuses) {
                ProducerRecord<String, ResourceStatus> record = new ProducerRecord<>(topics.status().name(), StatusKey.of(status), status);
                markHeaders.forEach(record.headers()::add);
                producer.send(record);
            }
            producer.commitTransaction();
        } catch (KafkaException e) {
            throw new IllegalStateException("Publishing status to " + topics.status().name() + " failed: " + e, e);
        }
        sequence = mark.sequence();
        published += statuses.size();
    }

    private void feedSinks(ResourceStatus status) {
        for (StatusSink sink : sinks) {
            sink.accept(status);
        }
    }

    private void fail(Throwable e) {
        failure.set(e);
        LOG.error("Status projector stopped", e);
    }
}
