package io.nmstream.ingest.publish;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.kafka.KafkaClients;
import io.nmstream.common.kafka.ReadTimeoutException;
import io.nmstream.common.kafka.RejectedRecords;
import io.nmstream.ingest.manifest.PolicyManifest;
import io.nmstream.schemas.Topic;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.PolicyEvent;
import io.nmstream.schemas.avro.PolicySource;
import io.nmstream.schemas.contract.EventContract;
import io.nmstream.schemas.registry.SchemaRegistryException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes policy events to the policies topic: it reads what the topic already holds (from the beginning, with an
 * assigned consumer, then incrementally), plans with {@link PolicyPlanner} and sends the changes with an idempotent,
 * {@code acks=all}, transactional producer keyed by policy name.
 *
 * <p>Every publisher of one topic namespace (CLI runs, HTTP and Kubernetes replicas) shares one transactional id, which
 * makes Kafka admit a single writer at a time: a publisher that starts writing fences the previous one. A fenced
 * publisher re-initialises, reads what the other wrote and plans again, so two replicas never hand out the same
 * generation, and each apply is committed all or nothing for consumers that read committed records.
 *
 * <p>A record of the topic that cannot be decoded or breaks the event contract ({@link EventContract}, generations
 * never going down per policy included) is handed to {@link RejectedRecords} and left out of what is published: one bad
 * record never stops planning.
 */
public final class PolicyPublisher implements AutoCloseable {

    /** How often a publish is re-planned after another publisher wrote in between. */
    static final int MAX_ATTEMPTS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(PolicyPublisher.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final Topic<String, PolicyEvent> topic;
    private final Supplier<Producer<String, PolicyEvent>> producers;
    private final Consumer<String, byte[]> consumer;
    private final Deserializer<PolicyEvent> decoder;
    private final RejectedRecords rejections;
    private final PolicyPlanner planner;
    private final Duration timeout;
    private final Map<String, PolicyEvent> latest = new HashMap<>();
    private List<TopicPartition> partitions;
    private Producer<String, PolicyEvent> producer;

    /**
     * @param producers makes transactional producers, all with the same transactional id; a new one replaces a fenced one
     * @param consumer a consumer without group, for assigned reads of the whole topic; values are decoded here, so that
     *     a record that cannot be decoded is set aside rather than failing the read
     * @param rejections where records that cannot be decoded or break the contract go; the caller closes it
     */
    public PolicyPublisher(Topic<String, PolicyEvent> topic, Supplier<Producer<String, PolicyEvent>> producers,
        Consumer<String, byte[]> consumer, RejectedRecords rejections, Clock clock, Duration timeout) {
        this.topic = topic;
        this.producers = producers;
        this.consumer = consumer;
        this.decoder = topic.valueSerde().deserializer();
        this.rejections = rejections;
        this.planner = new PolicyPlanner(clock);
        this.timeout = timeout;
    }

    /**
     * A publisher for the cluster described by {@code settings}, for a command: records it must set aside are logged
     * and counted, not written as dead letters (the ingest service reading the same topic writes those).
     * {@code timeout} bounds every wait for Kafka.
     */
    public static PolicyPublisher connect(ClusterSettings settings, Duration timeout, String clientId) {
        return connect(settings, timeout, clientId, RejectedRecords.countedOnly(clientId, new SimpleMeterRegistry()));
    }

    /**
     * A publisher for the cluster described by {@code settings} that hands records it must set aside to
     * {@code rejections} (the service's, which writes dead letters); {@code timeout} bounds every wait for Kafka.
     */
    public static PolicyPublisher connect(ClusterSettings settings, Duration timeout, String clientId, RejectedRecords rejections) {
        Topics topics = settings.topics(settings.registryClient());
        Properties base = settings.clientProperties();
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        Properties producerBase = new Properties();
        producerBase.putAll(base);
        producerBase.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Integer.toString(millis));
        producerBase.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId(topics));
        Properties consumerBase = new Properties();
        consumerBase.putAll(base);
        consumerBase.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Integer.toString(millis));
        String producerId = clientId + "-producer-" + UUID.randomUUID();
        return new PolicyPublisher(topics.policies(), () -> KafkaClients.producer(producerBase, topics.policies(), producerId),
            KafkaClients.consumer(consumerBase, topics.policies().asValueBytes(), null, clientId + "-reader"), rejections,
            Clock.systemUTC(), timeout);
    }

    /** The transactional id every publisher of the namespace's policies shares, so that Kafka admits one writer at a time. */
    static String transactionalId(Topics topics) {
        return topics.policyPublisherTransactionalId();
    }

    /** The client metrics of the policy reader (fetch rates, records lag), to bind to a registry; closing them unbinds. */
    public KafkaClientMetrics readerMetrics() {
        return new KafkaClientMetrics(consumer);
    }

    /** What is published now, read up to the topic's current end. */
    public synchronized PublishedPolicies published() {
        catchUp();
        return new PublishedPolicies(latest);
    }

    /** The changes that applying {@code manifests} would publish, without publishing them ({@code diff}, {@code --dry-run}). */
    public synchronized List<PolicyChange> plan(List<PolicyManifest> manifests, PolicySource source, boolean prune) {
        catchUp();
        return planner.plan(new PublishedPolicies(latest), manifests, source, prune);
    }

    /** Publishes what {@code manifests} change; returns every change, the unchanged ones included. */
    public synchronized List<PolicyChange> apply(List<PolicyManifest> manifests, PolicySource source, boolean prune) {
        return publishAsSoleWriter(published -> planner.plan(published, manifests, source, prune));
    }

    /** The change that deleting {@code name} would publish, without publishing it; empty when no such policy is in force. */
    public synchronized Optional<PolicyChange> planDelete(String name, PolicySource source) {
        catchUp();
        return Optional.ofNullable(planner.delete(new PublishedPolicies(latest), name, source));
    }

    /** Publishes the deletion of {@code name}; empty when no such policy is in force. */
    public synchronized Optional<PolicyChange> delete(String name, PolicySource source) {
        return publishAsSoleWriter(published -> Optional.ofNullable(planner.delete(published, name, source)).map(List::of)
            .orElse(List.of())).stream().findFirst();
    }

    /**
     * Plans on what is published and sends the plan as the only writer: when another publisher wrote in between (and so
     * fenced this one), re-initialise, read its events and plan again.
     */
    private List<PolicyChange> publishAsSoleWriter(Function<PublishedPolicies, List<PolicyChange>> planning) {
        for (int attempt = 1; ; attempt++) {
            catchUp();
            List<PolicyChange> changes = planning.apply(new PublishedPolicies(latest));
            if (changes.stream().noneMatch(PolicyChange::publishes)) {
                return changes;
            }
            try {
                becomeWriter();
                // events committed by the writer fenced just now are visible only after our initialisation
                catchUp();
                List<PolicyChange> replanned = planning.apply(new PublishedPolicies(latest));
                send(replanned);
                return replanned;
            } catch (FencedException e) {
                discardProducer();
                if (attempt == MAX_ATTEMPTS) {
                    throw new ClusterUnavailableException("Other publishers kept writing " + topic.name() + "; gave up after "
                        + MAX_ATTEMPTS + " attempts", e);
                }
                LOG.info("Another publisher wrote {}; reading its events and planning again", topic.name());
            }
        }
    }

    /** Makes this publisher the topic's writer, fencing any other; a no-op while no other publisher took over. */
    private void becomeWriter() {
        if (producer != null) {
            return;
        }
        producer = producers.get();
        try {
            producer.initTransactions();
        } catch (KafkaException e) {
            discardProducer();
            throw unavailable("registering as the writer of " + topic.name(), e);
        }
    }

    /**
     * Sends the events of {@code changes} in one transaction and waits until it is committed: consumers (which read
     * committed records only) see all of an apply or none of it, even if Kafka fails half-way.
     */
    private void send(List<PolicyChange> changes) {
        List<PolicyChange> publishing = changes.stream().filter(PolicyChange::publishes).toList();
        if (publishing.isEmpty()) {
            return;
        }
        try {
            producer.beginTransaction();
            for (PolicyChange change : publishing) {
                producer.send(new ProducerRecord<>(topic.name(), change.name(), change.event()));
            }
            producer.commitTransaction();
        } catch (KafkaException | SchemaRegistryException e) {
            if (fenced(e)) {
                throw new FencedException(e);
            }
            abortQuietly();
            throw unavailable("publishing to " + topic.name(), e);
        }
        publishing.forEach(change -> latest.put(change.name(), change.event()));
        // DEBUG: each caller reports what it published in its own terms (the CLI on stdout, the HTTP API and the NNCP
        // watch in their logs), so that a CLI command's stderr does not repeat its output
        LOG.debug("Published {}", publishing.stream().map(PolicyChange::describe).collect(Collectors.joining(", ")));
    }

    /** Another publisher took over the transactional id; this producer can never write again. */
    private static final class FencedException extends RuntimeException {
        FencedException(Throwable cause) {
            super(cause);
        }
    }

    /**
     * Whether a transaction failed because another publisher took over the transactional id. Besides the fence itself,
     * Kafka's transaction coordinator answers a commit that races another writer's fencing with INVALID_TXN_STATE, or,
     * while that fence is still pending, with an unexpected server error on EndTxn (which the client raises as a bare
     * KafkaException "Unhandled error in EndTxnResponse"). Starting over as the writer is right in each case, and safe:
     * planning again on what is committed never publishes a change twice.
     */
    private static boolean fenced(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException
                || t instanceof InvalidTxnStateException) {
                return true;
            }
        }
        return e.getClass() == KafkaException.class && e.getCause() == null && e.getMessage() != null
            && e.getMessage().startsWith("Unhandled error in EndTxnResponse");
    }

    private void abortQuietly() {
        try {
            producer.abortTransaction();
        } catch (KafkaException e) {
            // the broker aborts the transaction when it times out, or when the next writer initialises
            LOG.warn("Aborting the policy transaction failed: {}", e.getMessage());
            discardProducer();
        }
    }

    private void discardProducer() {
        if (producer != null) {
            producer.close(Duration.ZERO);
            producer = null;
        }
    }

    /** Reads the policies topic from where this publisher left off up to its current end offsets. */
    private void catchUp() {
        try {
            if (partitions == null) {
                List<PartitionInfo> infos = consumer.partitionsFor(topic.name(), timeout);
                if (infos == null || infos.isEmpty()) {
                    throw new ClusterUnavailableException("Topic " + topic.name() + " does not exist; create nmstream's topics first",
                        null);
                }
                partitions = infos.stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
            }
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            Instant deadline = Instant.now().plus(timeout);
            while (!reached(end)) {
                if (Instant.now().isAfter(deadline)) {
                    ReadTimeoutException timedOut = readTimedOut();
                    throw new ClusterUnavailableException(timedOut.getMessage(), null, timedOut);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    read(record);
                }
            }
        } catch (TimeoutException e) {
            // Kafka gone, or only slow: a command that finds it answering says which flag gives it longer
            throw new ClusterUnavailableException(unavailable("reading " + topic.name(), e).getMessage(), e, readTimedOut());
        } catch (KafkaException | SchemaRegistryException e) {
            throw unavailable("reading " + topic.name(), e);
        }
    }

    private ReadTimeoutException readTimedOut() {
        return new ReadTimeoutException("Topic '" + topic.name() + "'", timeout);
    }

    /**
     * Takes in one record of the topic; a record that cannot be decoded or breaks the contract is set aside. Our own
     * events are recorded before they are read back, so a read-back has the generation already known.
     */
    private void read(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        PolicyEvent event;
        try {
            event = decoder.deserialize(record.topic(), record.value());
            EventContract.checkPolicy(record.key(), event);
            EventContract.checkPolicySuccessor(latest.get(record.key()), event);
        } catch (SchemaRegistryException e) {
            // the registry cannot be asked now: that is no fault of the record
            throw e;
        } catch (RuntimeException e) {
            rejections.reject(record, e);
            return;
        }
        latest.put(record.key(), event);
    }

    private boolean reached(Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey(), timeout) >= e.getValue());
    }

    private ClusterUnavailableException unavailable(String action, Exception e) {
        return new ClusterUnavailableException("Cannot reach Kafka or the schema registry while " + action + ": " + e.getMessage(), e);
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        KafkaClients.closeReader(consumer);
    }
}
