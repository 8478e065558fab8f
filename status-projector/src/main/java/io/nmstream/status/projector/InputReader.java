package io.nmstream.status.projector;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.nmstream.common.kafka.KafkaClients;
import io.nmstream.common.kafka.MissingTopicException;
import io.nmstream.common.kafka.ReadTimeoutException;
import io.nmstream.common.kafka.RejectedRecords;
import io.nmstream.schemas.Topic;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.NodeNetworkState;
import io.nmstream.schemas.avro.PolicyEvent;
import io.nmstream.schemas.avro.RolloutEvent;
import io.nmstream.schemas.contract.EventContract;
import io.nmstream.schemas.identity.NodeSignatures;
import io.nmstream.schemas.registry.SchemaRegistryException;
import io.nmstream.status.projector.FoldInput.InputTopic;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Reads the fold's input topics (policies, enactments, node states, rollouts) from their beginning, with a consumer of its own
 * that joins no group and commits nothing.
 *
 * <p>{@link #readToEnd} reads the history up to the end offsets of the moment and hands it over merged by
 * {@link FoldInput#ORDER} ({@link PartitionMerge}): every partition's next record is known before the earliest is handed
 * over, so the result depends only on the topics' contents, not on how fetches happened to arrive. While the caller folds,
 * a fetcher thread of the reader keeps polling (the consumer only talks to the broker inside {@code poll}) and a decoder
 * thread decodes what it polled, a bounded number of batches ahead. {@link #poll} then follows new records, each batch in
 * the same order, on the caller's thread.
 *
 * <p>A record that cannot be decoded or breaks the event contract ({@link EventContract}: what the reconciler refuses,
 * plus a policy generation lower than one already read, and an enactment or node state about a node the inventory has
 * never held, {@link KnownNodes}) is handed to {@link RejectedRecords} and never reaches the fold:
 * what the reconciler refuses is never shown as a policy, an enactment or an audit entry.
 */
public final class InputReader implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(200);
    /** Polled batches the fetcher may be ahead of the fold: enough to ride out a slow fetch, few enough to bound memory. */
    private static final int BATCHES_AHEAD = 8;

    private final KafkaConsumer<String, byte[]> consumer;
    private final String clientId;
    private final Map<String, Decoder> decoders = new HashMap<>();
    private final List<TopicPartition> partitions = new ArrayList<>();
    private final RejectedRecords rejections;
    /** The latest generation read of each policy; only the decoding thread of the moment touches it. */
    private final Map<String, PolicyEvent> policies = new HashMap<>();
    /** Each partition's latest event time, which orders its records; only the decoding thread of the moment touches it. */
    private final PartitionClocks clocks = new PartitionClocks();
    /** What {@link #poll} read and holds back, by partition; null until the first poll. */
    private PartitionMerge following;
    /** The inventory's node names, for the known-node rule; null when no input is about nodes. */
    private final KnownNodes knownNodes;
    /** Signatures that verified, shared with the readers before and after this one (the projector's rebuilds). */
    private final VerifiedSignatures verified;

    /** How one input topic's values are decoded. */
    private record Decoder(InputTopic source, Deserializer<?> deserializer) {
    }

    /** What one poll brought: the decoded records of each partition, and the partitions that reached their end with it. */
    private record Fetched(Map<TopicPartition, List<FoldInput>> records, List<TopicPartition> ended) {

        void addTo(PartitionMerge merge) {
            records.forEach(merge::add);
            ended.forEach(merge::end);
        }
    }

    /** A reader of all the input topics that hands records it must skip to {@code rejections}. */
    public InputReader(Properties clientProperties, Topics topics, String clientId, RejectedRecords rejections) {
        this(clientProperties, topics, clientId, EnumSet.allOf(InputTopic.class), rejections, new VerifiedSignatures(),
            KnownNodes.STALL_TIMEOUT);
    }

    /** A reader of some of the input topics ({@code audit} reads no node states). */
    public InputReader(Properties clientProperties, Topics topics, String clientId, Set<InputTopic> sources,
                       RejectedRecords rejections) {
        this(clientProperties, topics, clientId, sources, rejections, new VerifiedSignatures(), KnownNodes.STALL_TIMEOUT);
    }

    /**
     * A reader of {@code sources} that verifies each node signature {@code verified} does not hold yet, and gives up
     * reading the inventory after {@code inventoryStallTimeout} without a record ({@link KnownNodes#STALL_TIMEOUT}).
     */
    InputReader(Properties clientProperties, Topics topics, String clientId, Set<InputTopic> sources, RejectedRecords rejections,
                VerifiedSignatures verified, Duration inventoryStallTimeout) {
        this.rejections = rejections;
        this.verified = verified;
        this.clientId = clientId;
        // values stay bytes until decode, so that a record that cannot be decoded is skipped rather than stopping poll
        consumer = undecodedConsumer(clientProperties, topics.policies(), clientId);
        Map<InputTopic, Topic<String, ?>> all = Map.of(InputTopic.POLICIES, topics.policies(), InputTopic.ENACTMENTS, topics.enactments(),
            InputTopic.NODE_STATES, topics.nodeStates(), InputTopic.ROLLOUTS, topics.rollouts());
        for (InputTopic source : sources) {
            Topic<String, ?> topic = all.get(source);
            decoders.put(topic.name(), new Decoder(source, topic.valueSerde().deserializer()));
        }
        partitions.addAll(assignFromBeginning(consumer, decoders.keySet()));
        knownNodes = sources.contains(InputTopic.ENACTMENTS) || sources.contains(InputTopic.NODE_STATES)
            ? new KnownNodes(clientProperties, topics.nodes(), topics.nodeIdentities(), clientId + "-nodes", verified,
                inventoryStallTimeout)
            : null;
    }

    /**
     * A consumer of {@code topic}'s keys (every input topic is keyed by a string) and undecoded values, that joins no
     * group and commits nothing: for reads from the beginning.
     */
    static KafkaConsumer<String, byte[]> undecodedConsumer(Properties clientProperties, Topic<String, ?> topic, String clientId) {
        return KafkaClients.consumer(clientProperties, topic.withValueSerde(Serdes.ByteArray()), null, clientId);
    }

    /**
     * Assigns {@code consumer} every partition of {@code topicNames}, at their beginning, and returns them; closes the
     * consumer and throws when a topic does not exist.
     */
    static List<TopicPartition> assignFromBeginning(KafkaConsumer<?, ?> consumer, Collection<String> topicNames) {
        List<TopicPartition> assigned = new ArrayList<>();
        for (String topic : topicNames) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                KafkaClients.closeReader(consumer);
                throw new MissingTopicException(topic);
            }
            infos.forEach(info -> assigned.add(new TopicPartition(topic, info.partition())));
        }
        consumer.assign(assigned);
        consumer.seekToBeginning(assigned);
        return assigned;
    }

    /**
     * Hands every record up to the current end of the topics to {@code sink}, merged in fold order, on the calling thread.
     *
     * @return how many records were handed over
     * @throws ReadTimeoutException when the end is not reached within {@code timeout}
     */
    public long readToEnd(Consumer<FoldInput> sink, Duration timeout) {
        return read(consumer.endOffsets(partitions), false, sink, timeout);
    }

    /**
     * Hands every record before {@code positions} (next offset per input partition; a partition left out is read to no
     * record) to {@code sink}, merged in fold order, and nothing beyond: the history exactly as a projection at those
     * positions folded it.
     *
     * @return how many records were handed over
     * @throws ReadTimeoutException when the positions are not reached within {@code timeout}
     */
    public long readUpTo(Map<TopicPartition, Long> positions, Consumer<FoldInput> sink, Duration timeout) {
        Map<TopicPartition, Long> end = new HashMap<>();
        partitions.forEach(partition -> end.put(partition, positions.getOrDefault(partition, 0L)));
        return read(end, true, sink, timeout);
    }

    /** The next offset to read of every input partition: everything before it was handed over or skipped. */
    public Map<TopicPartition, Long> positions() {
        Map<TopicPartition, Long> positions = new HashMap<>();
        for (TopicPartition partition : partitions) {
            Long heldBack = following == null ? null : following.firstBufferedOffset(partition);
            positions.put(partition, heldBack != null ? heldBack : consumer.position(partition));
        }
        return positions;
    }

    /** Reads to {@code end}; records at or beyond it are handed over too unless {@code exact}. */
    private long read(Map<TopicPartition, Long> end, boolean exact, Consumer<FoldInput> sink, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        // decoded batches in poll order: each poll's decoding is submitted as it is polled, and taken in the same order
        BlockingQueue<Future<Fetched>> handoff = new ArrayBlockingQueue<>(BATCHES_AHEAD);
        AtomicBoolean abandoned = new AtomicBoolean();
        ExecutorService decoder = Executors.newSingleThreadExecutor(daemon(clientId + "-decoder"));
        Thread fetcher = daemon(clientId + "-fetcher").newThread(
            () -> fetchToEnd(end, exact, deadline, timeout, decoder, handoff, abandoned));
        fetcher.start();
        PartitionMerge merge = new PartitionMerge(partitions);
        long handed = 0;
        try {
            while (!merge.finished()) {
                take(handoff).addTo(merge);
                handed += merge.drain(sink);
            }
        } finally {
            // the consumer is the caller's again only once the fetcher is gone; it notices within one poll
            abandoned.set(true);
            joinUninterruptibly(fetcher);
            decoder.shutdownNow();
        }
        return handed;
    }

    /**
     * The records that arrived within {@code timeout} and that no record still on the broker can precede, merged in fold
     * order as {@link #readToEnd} merges the history. A partition that lags behind the broker holds the others back until
     * its records arrive (a partition caught up with the broker holds nothing back): a consumer with a backlog fetches
     * some partitions ahead of others, and handing their records over as they come would fold them out of order, which
     * costs the caller a rebuild each time. What is held back is handed over by a later poll; {@link #positions} counts
     * it as not read.
     */
    public List<FoldInput> poll(Duration timeout) {
        Map<TopicPartition, List<FoldInput>> polled = decode(consumer.poll(timeout));
        if (following == null) {
            following = new PartitionMerge(partitions);
        }
        polled.forEach(following::add);
        for (TopicPartition partition : partitions) {
            // unknown until a fetch answered for the partition: the history was read to its end before following
            OptionalLong lag = consumer.currentLag(partition);
            following.caughtUp(partition, lag.isEmpty() || lag.getAsLong() == 0);
        }
        List<FoldInput> batch = new ArrayList<>();
        following.drain(batch::add);
        return batch;
    }

    /** Records skipped because they could not be decoded or broke the event contract. */
    public long rejected() {
        return rejections.count();
    }

    /**
     * Wakes a thread blocked in {@link #poll} or {@link #readToEnd}; it then throws
     * {@link org.apache.kafka.common.errors.WakeupException}.
     */
    public void wakeup() {
        consumer.wakeup();
    }

    /** The consumer's client metrics (fetch rates, records lag), to bind to a registry; closing them unbinds. */
    public KafkaClientMetrics clientMetrics() {
        return new KafkaClientMetrics(consumer);
    }

    @Override
    public void close() {
        KafkaClients.closeReader(consumer);
        if (knownNodes != null) {
            knownNodes.close();
        }
    }

    /**
     * The fetcher thread: polls until every partition reached {@code end}, handing each poll's decoding over; a failure
     * (timeout, wakeup, broker error) is handed over too, to be thrown on the folding thread.
     */
    private void fetchToEnd(Map<TopicPartition, Long> end, boolean exact, Instant deadline, Duration timeout,
                            ExecutorService decoder, BlockingQueue<Future<Fetched>> handoff, AtomicBoolean abandoned) {
        try {
            List<TopicPartition> unended = new ArrayList<>(partitions);
            if (!hand(CompletableFuture.completedFuture(new Fetched(Map.of(), endedNow(unended, end))), handoff, abandoned)) {
                return;
            }
            while (!unended.isEmpty()) {
                if (Instant.now().isAfter(deadline)) {
                    throw new ReadTimeoutException("The history", timeout);
                }
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                List<TopicPartition> ended = endedNow(unended, end);
                Map<TopicPartition, Long> limit = exact ? end : null;
                if (!hand(decoder.submit(() -> new Fetched(before(limit, decode(records)), ended)), handoff, abandoned)) {
                    return;
                }
            }
        } catch (RuntimeException | Error e) {
            hand(CompletableFuture.failedFuture(e), handoff, abandoned);
        }
    }

    /** The records before {@code end} of their partition; all of them when {@code end} is null. */
    private static Map<TopicPartition, List<FoldInput>> before(Map<TopicPartition, Long> end,
                                                               Map<TopicPartition, List<FoldInput>> records) {
        if (end != null) {
            records.forEach((partition, inputs) -> inputs.removeIf(input -> input.offset() >= end.get(partition)));
        }
        return records;
    }

    /** Removes from {@code unended} and returns the partitions whose position reached their end. */
    private List<TopicPartition> endedNow(List<TopicPartition> unended, Map<TopicPartition, Long> end) {
        List<TopicPartition> ended = new ArrayList<>();
        for (Iterator<TopicPartition> it = unended.iterator(); it.hasNext(); ) {
            TopicPartition partition = it.next();
            if (consumer.position(partition) >= end.get(partition)) {
                ended.add(partition);
                it.remove();
            }
        }
        return ended;
    }

    /** Puts {@code fetched} in the handoff, waiting while it is full; false when the folding thread gave up. */
    private static boolean hand(Future<Fetched> fetched, BlockingQueue<Future<Fetched>> handoff, AtomicBoolean abandoned) {
        try {
            while (!abandoned.get()) {
                if (handoff.offer(fetched, POLL.toMillis(), TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The next batch in poll order, once decoded; a failure of the fetcher or the decoder is thrown here. */
    private static Fetched take(BlockingQueue<Future<Fetched>> handoff) {
        try {
            return handoff.take().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error cause) {
                throw cause;
            }
            throw new IllegalStateException("Reading the input topics failed: " + e.getCause(), e.getCause());
        }
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The records of each partition that decode and keep the contract, in offset order. */
    private Map<TopicPartition, List<FoldInput>> decode(ConsumerRecords<String, byte[]> records) {
        Map<TopicPartition, List<DecodedRecord<Object>>> polled = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            Decoder decoder = decoders.get(partition.topic());
            List<DecodedRecord<Object>> decoded = new ArrayList<>();
            records.records(partition).forEach(record -> decoded.add(DecodedRecord.decode(record, decoder.deserializer())));
            polled.put(partition, decoded);
        }
        verifyAhead(polled.values());
        Map<TopicPartition, List<FoldInput>> byPartition = new HashMap<>();
        polled.forEach((partition, decoded) -> {
            InputTopic source = decoders.get(partition.topic()).source();
            List<FoldInput> inputs = new ArrayList<>(decoded.size());
            for (DecodedRecord<Object> each : decoded) {
                ConsumerRecord<String, byte[]> record = each.record();
                try {
                    check(source, record, each.eventOrThrow());
                } catch (SchemaRegistryException | KnownNodes.InventoryUnavailable e) {
                    // no fault of the record: skipping it would lose it
                    throw e;
                } catch (RuntimeException e) {
                    rejections.reject(record, e);
                    continue;
                }
                Instant time = timeOf(each.event(), record);
                inputs.add(new FoldInput(time, clocks.advance(partition, time), source, record.partition(), record.offset(),
                    record.key(), each.event()));
            }
            byPartition.put(partition, inputs);
        });
        return byPartition;
    }

    /**
     * Verifies the signatures of {@code polled} node reports and states against the keys their nodes have so far
     * ({@link VerificationAhead}), reading the inventory first (once) when one of their nodes is not known yet.
     */
    private void verifyAhead(Collection<List<DecodedRecord<Object>>> polled) {
        if (knownNodes == null) {
            return;
        }
        List<DecodedRecord<Object>> signed = new ArrayList<>();
        Set<String> nodes = new HashSet<>();
        for (List<DecodedRecord<Object>> decoded : polled) {
            for (DecodedRecord<Object> each : decoded) {
                String node = signedNodeReport(each.event());
                if (node != null && !verified.contains(each.record())) {
                    signed.add(each);
                    nodes.add(node);
                }
            }
        }
        if (signed.isEmpty()) {
            return;
        }
        Map<String, List<String>> keys = knownNodes.keysOf(nodes);
        List<VerificationAhead.Candidate> candidates = new ArrayList<>(signed.size());
        for (DecodedRecord<Object> each : signed) {
            List<String> nodeKeys = keys.get(signedNodeReport(each.event()));
            if (nodeKeys != null) {
                candidates.add(new VerificationAhead.Candidate(each.record(), () -> verifies(each.event(), nodeKeys), true));
            }
        }
        VerificationAhead.verify(candidates, verified);
    }

    /** The node that signed {@code event}, when it is a node's report or network state that carries a signature. */
    private static String signedNodeReport(Object event) {
        if (event instanceof EnactmentEvent enactment && enactment.getSignature() != null && EventContract.isNodeReport(enactment)) {
            return enactment.getNode().toString();
        }
        if (event instanceof NodeNetworkState state && state.getSignature() != null) {
            return state.getNode().toString();
        }
        return null;
    }

    /** Whether the signature of {@code event}, a node report or state, verifies against {@code keys}. */
    private static boolean verifies(Object event, List<String> keys) {
        return event instanceof EnactmentEvent enactment
            ? NodeSignatures.verifies(enactment, keys)
            : NodeSignatures.verifies((NodeNetworkState) event, keys);
    }

    /** Checks a decoded record against the event contract; a policy's generation may not go down. */
    private void check(InputTopic source, ConsumerRecord<String, byte[]> record, Object event) {
        String key = record.key();
        switch (source) {
            case POLICIES -> {
                PolicyEvent policy = (PolicyEvent) event;
                EventContract.checkPolicy(key, policy);
                EventContract.checkPolicySuccessor(policies.get(key), policy);
                if (policy != null) {
                    policies.put(key, policy);
                }
            }
            case ENACTMENTS -> {
                EnactmentEvent enactment = (EnactmentEvent) event;
                EventContract.checkEnactment(key, enactment);
                if (enactment != null) {
                    EventContract.checkKnownNode("Enactment", key, enactment.getNode(), knownNodes::contains);
                    if (EventContract.isNodeReport(enactment)) {
                        checkSigned(record, "Enactment", enactment.getNode(), enactment.getSignature() != null,
                            keys -> NodeSignatures.verifies(enactment, keys));
                    }
                }
            }
            case NODE_STATES -> {
                NodeNetworkState state = (NodeNetworkState) event;
                EventContract.checkNodeState(key, state);
                if (state != null) {
                    EventContract.checkKnownNode("Node state", key, state.getNode(), knownNodes::contains);
                    checkSigned(record, "Node state", state.getNode(), state.getSignature() != null,
                        keys -> NodeSignatures.verifies(state, keys));
                }
            }
            case ROLLOUTS -> EventContract.checkRollout(key, (RolloutEvent) event);
            default -> throw new IllegalStateException("unknown input " + source);
        }
    }

    /** Checks that {@code record} came from its node, once per record and process (see {@link VerifiedSignatures}). */
    private void checkSigned(ConsumerRecord<String, byte[]> record, String kind, CharSequence node, boolean signed,
                             Predicate<Collection<String>> verifies) {
        if (verified.contains(record)) {
            return;
        }
        knownNodes.checkSigned(kind, record.key(), node.toString(), signed, keys -> {
            boolean verifiesNow = verifies.test(keys);
            if (verifiesNow) {
                verified.add(record);
            }
            return verifiesNow;
        });
    }

    private static Instant timeOf(Object event, ConsumerRecord<String, byte[]> record) {
        if (event instanceof PolicyEvent policy) {
            return policy.getEventTime();
        }
        if (event instanceof EnactmentEvent enactment) {
            return enactment.getTimestamp();
        }
        if (event instanceof NodeNetworkState state) {
            return state.getObservedAt();
        }
        if (event instanceof RolloutEvent rollout) {
            return rollout.getTimestamp();
        }
        return Instant.ofEpochMilli(record.timestamp());
    }
}
