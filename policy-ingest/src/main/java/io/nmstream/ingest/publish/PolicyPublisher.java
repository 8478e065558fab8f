package io.nmstream.ingest.publish;

import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.kafka.KafkaClients;
import io.nmstream.ingest.manifest.PolicyManifest;
import io.nmstream.schemas.Topic;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.PolicyEvent;
import io.nmstream.schemas.avro.PolicySource;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes policy events to the policies topic: it reads what the topic already holds (from the beginning, with an
 * assigned consumer, then incrementally), plans with {@link PolicyPlanner} and sends the changes with an idempotent,
 * {@code acks=all}, transactional producer keyed by policy name.
 *
 * <p>Reading, planning and sending happen under one lock, so that concurrent requests of one replica cannot hand out the
 * same generation twice; replicas agree because each reads the topic before it plans.
 */
public final class PolicyPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyPublisher.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final Topic<String, PolicyEvent> topic;
    private final Producer<String, PolicyEvent> producer;
    private final Consumer<String, PolicyEvent> consumer;
    private final PolicyPlanner planner;
    private final Duration timeout;
    private final Map<String, PolicyEvent> latest = new HashMap<>();
    private List<TopicPartition> partitions;
    private boolean transactionsReady;

    public PolicyPublisher(Topic<String, PolicyEvent> topic, Producer<String, PolicyEvent> producer, Consumer<String, PolicyEvent> consumer,
        Clock clock, Duration timeout) {
        this.topic = topic;
        this.producer = producer;
        this.consumer = consumer;
        this.planner = new PolicyPlanner(clock);
        this.timeout = timeout;
    }

    /** A publisher for the cluster described by {@code settings}; {@code timeout} bounds every wait for Kafka. */
    public static PolicyPublisher connect(ClusterSettings settings, Duration timeout, String clientId) {
        Topics topics = settings.topics(settings.registryClient());
        Properties base = settings.clientProperties();
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        Properties producerBase = new Properties();
        producerBase.putAll(base);
        producerBase.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Integer.toString(millis));
        // one transactional id per publisher instance: replicas never fence each other, and each apply is atomic
        producerBase.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, clientId + "-" + UUID.randomUUID());
        Properties consumerBase = new Properties();
        consumerBase.putAll(base);
        consumerBase.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Integer.toString(millis));
        return new PolicyPublisher(topics.policies(), KafkaClients.producer(producerBase, topics.policies(), clientId + "-producer"),
            KafkaClients.consumer(consumerBase, topics.policies(), null, clientId + "-reader"), Clock.systemUTC(), timeout);
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
        List<PolicyChange> changes = plan(manifests, source, prune);
        send(changes);
        return changes;
    }

    /** Publishes the deletion of {@code name}; empty when no such policy is in force. */
    public synchronized Optional<PolicyChange> delete(String name, PolicySource source) {
        catchUp();
        Optional<PolicyChange> change = Optional.ofNullable(planner.delete(new PublishedPolicies(latest), name, source));
        change.ifPresent(c -> send(List.of(c)));
        return change;
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
            if (!transactionsReady) {
                producer.initTransactions();
                transactionsReady = true;
            }
            producer.beginTransaction();
            for (PolicyChange change : publishing) {
                producer.send(new ProducerRecord<>(topic.name(), change.name(), change.event()));
            }
            producer.commitTransaction();
        } catch (KafkaException | SchemaRegistryException e) {
            abortQuietly();
            throw unavailable("publishing to " + topic.name(), e);
        }
        publishing.forEach(change -> latest.put(change.name(), change.event()));
        LOG.info("Published {}", publishing.stream().map(PolicyChange::describe).collect(Collectors.joining(", ")));
    }

    private void abortQuietly() {
        if (!transactionsReady) {
            return;
        }
        try {
            producer.abortTransaction();
        } catch (KafkaException e) {
            // the transaction times out on the broker and is aborted there; the producer is unusable either way
            LOG.warn("Aborting the policy transaction failed: {}", e.getMessage());
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
                    throw new ClusterUnavailableException("Timed out after " + timeout + " reading " + topic.name(), null);
                }
                for (ConsumerRecord<String, PolicyEvent> record : consumer.poll(POLL)) {
                    if (record.value() != null) {
                        latest.merge(record.key(), record.value(), PolicyPublisher::newer);
                    }
                }
            }
        } catch (KafkaException | SchemaRegistryException e) {
            throw unavailable("reading " + topic.name(), e);
        }
    }

    /** Our own acknowledged events are recorded before they are read back; never let the read-back replace a newer one. */
    private static PolicyEvent newer(PolicyEvent known, PolicyEvent read) {
        return read.getGeneration() >= known.getGeneration() ? read : known;
    }

    private boolean reached(Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey(), timeout) >= e.getValue());
    }

    private ClusterUnavailableException unavailable(String action, Exception e) {
        return new ClusterUnavailableException("Cannot reach Kafka or the schema registry while " + action + ": " + e.getMessage(), e);
    }

    @Override
    public synchronized void close() {
        producer.close(Duration.ofSeconds(5));
        consumer.close(Duration.ofSeconds(5));
    }
}
