package io.nmstream.bench.rollout;

import io.nmstream.common.kafka.KafkaClients;
import io.nmstream.schemas.Topic;
import io.nmstream.schemas.avro.ResourceKind;
import io.nmstream.schemas.avro.ResourceStatus;
import io.nmstream.schemas.avro.StatusCondition;
import io.nmstream.status.fold.StatusKey;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Watches the status topic, as {@code nmstream get nncp -w} or a Kubernetes watch would, for the moment one policy's
 * NNCP says Available for a given generation. Only that NNCP's records are decoded, so that the watch costs the machine
 * little while the rollout runs.
 *
 * <p>An NNCP counts as Available only when its message counts the whole fleet ({@code "N/N nodes successfully
 * configured"}): a policy that is Available while it has heard of fewer nodes than it matches is a status that has not
 * caught up, and the watch says how often it saw one.
 */
final class PolicyAvailability implements AutoCloseable {

    private static final String AVAILABLE = "Available";
    private static final String DEGRADED = "Degraded";
    /** kubernetes-nmstate's count at the start of an NNCP's messages: "10000/10000 nodes successfully configured". */
    private static final Pattern COUNTS = Pattern.compile("^(\\d+)/(\\d+) nodes");

    /** What the watch saw: when the NNCP became Available, its message, and how often it was Available too early. */
    record Seen(long availableAtNanos, String message, int availableBeforeFleet) {
    }

    private final Topic<String, ResourceStatus> topic;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Deserializer<ResourceStatus> values;
    private final List<TopicPartition> partitions;

    PolicyAvailability(Properties clientProperties, Topic<String, ResourceStatus> topic, String clientId, Duration timeout) {
        this.topic = topic;
        this.consumer = KafkaClients.consumer(clientProperties, topic.asValueBytes(), null, clientId);
        this.values = topic.valueSerde().deserializer();
        this.partitions = consumer.partitionsFor(topic.name(), timeout).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
    }

    /** Skips everything written so far: the next wait sees only what comes after this call. */
    void skipToEnd() {
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
    }

    /**
     * Waits until the NNCP of {@code policy} is Available at {@code generation} for all {@code nodes}.
     *
     * @param stillRunning checked between polls; throws when a service under test stopped
     * @throws IllegalStateException when the policy becomes Degraded, or after {@code timeout}
     */
    Seen awaitAvailable(String policy, long generation, int nodes, Duration timeout, Runnable stillRunning) {
        String key = StatusKey.of(ResourceKind.NNCP, policy);
        long deadline = System.nanoTime() + timeout.toNanos();
        int early = 0;
        String last = "nothing";
        while (System.nanoTime() < deadline) {
            stillRunning.run();
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(20))) {
                if (!key.equals(record.key()) || record.value() == null) {
                    continue;
                }
                ResourceStatus status = values.deserialize(topic.name(), record.value());
                if (status.getGeneration() != generation) {
                    continue;
                }
                StatusCondition available = condition(status, AVAILABLE);
                StatusCondition degraded = condition(status, DEGRADED);
                last = available == null ? "no Available condition" : available.getStatus() + " " + available.getReason();
                if (degraded != null && "True".equals(degraded.getStatus())) {
                    throw new IllegalStateException("Policy " + policy + " generation " + generation + " became Degraded: "
                        + degraded.getMessage());
                }
                if (available != null && "True".equals(available.getStatus())) {
                    if (countsWholeFleet(available.getMessage(), nodes)) {
                        return new Seen(System.nanoTime(), available.getMessage(), early);
                    }
                    early++;
                }
            }
        }
        throw new IllegalStateException("Policy " + policy + " generation " + generation + " not Available for " + nodes + " nodes within "
            + timeout + " (its last status: " + last + ")");
    }

    /** Whether an Available message counts {@code nodes} of {@code nodes}; a message without counts is taken as it says. */
    static boolean countsWholeFleet(String message, int nodes) {
        Matcher counts = COUNTS.matcher(message == null ? "" : message);
        if (!counts.find()) {
            return true;
        }
        return Long.parseLong(counts.group(1)) == nodes && Long.parseLong(counts.group(2)) == nodes;
    }

    private static StatusCondition condition(ResourceStatus status, String type) {
        for (StatusCondition condition : status.getConditions()) {
            if (type.equals(condition.getType())) {
                return condition;
            }
        }
        return null;
    }

    @Override
    public void close() {
        KafkaClients.closeReader(consumer);
    }
}
