package io.nmstream.common.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.nmstream.schemas.DeadLetterHeaders;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.contract.ContractViolation;
import io.nmstream.schemas.registry.SchemaRegistryException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a topic reader sets aside a record it cannot decode or that breaks the event contract, so that one bad record
 * never stops it: the record is logged as a warning, counted in {@value #METRIC} (tags {@code topic} and {@code reason}:
 * {@value #UNDECODABLE} or the broken rule's {@link ContractViolation.Rule#tag()}) and, for the long-running services,
 * written to the dead-letter topic with its original key and value bytes and the reason in {@link DeadLetterHeaders}.
 *
 * <p>Commands that read the topics from their beginning on every run ({@code policy get}, {@code get}, {@code audit},
 * {@code replay}) only warn and count: they would write the same dead letters again on each run, and the service that
 * reads the same topic already wrote them. Thread-safe.
 */
public final class RejectedRecords implements AutoCloseable {

    /**
     * Counter of records set aside, tagged {@code topic} and {@code reason}; Prometheus shows it as
     * {@code nmstream_records_rejected_total}.
     */
    public static final String METRIC = "nmstream.records.rejected";
    /** The {@code reason} tag of a record whose key or value cannot be decoded. */
    public static final String UNDECODABLE = DeadLetterHeaders.UNDECODABLE;

    private static final Logger LOG = LoggerFactory.getLogger(RejectedRecords.class);

    private final String reader;
    private final MeterRegistry meters;
    private final Producer<byte[], byte[]> deadLetters;
    private final String deadLetterTopic;
    private final AtomicLong rejected = new AtomicLong();

    /** A reporter writing dead letters to {@code deadLetterTopic} with {@code deadLetters}; both null to write none. */
    RejectedRecords(String reader, MeterRegistry meters, Producer<byte[], byte[]> deadLetters, String deadLetterTopic) {
        this.reader = reader;
        this.meters = meters;
        this.deadLetters = deadLetters;
        this.deadLetterTopic = deadLetterTopic;
    }

    /**
     * For a long-running service: rejected records also go to {@code topics}' dead-letter topic.
     *
     * @param reader who rejects, in the dead letters' processor header and the client id (e.g. {@code status-projector})
     */
    public static RejectedRecords toDeadLetters(Properties clientProperties, Topics topics, String reader, MeterRegistry meters) {
        return new RejectedRecords(reader, meters, KafkaClients.producer(clientProperties, topics.deadLetters(), reader + "-dead-letters"),
            topics.deadLetters().name());
    }

    /** For a command that must not write: rejected records are only logged and counted. */
    public static RejectedRecords countedOnly(String reader, MeterRegistry meters) {
        return new RejectedRecords(reader, meters, null, null);
    }

    /**
     * Sets {@code record} aside: {@code error} is the {@link ContractViolation} it broke or the failure decoding it.
     * Writing the dead letter does not wait for Kafka; a failed write is logged.
     */
    public void reject(ConsumerRecord<String, byte[]> record, RuntimeException error) {
        boolean violation = error instanceof ContractViolation;
        String reason = violation ? ((ContractViolation) error).rule().tag() : UNDECODABLE;
        String message = error.getMessage() == null ? error.toString() : error.getMessage();
        String source = DeadLetterHeaders.source(record.topic(), record.partition(), record.offset());
        rejected.incrementAndGet();
        Counter.builder(METRIC).description("Records set aside because they could not be decoded or broke the event contract")
            .tag("topic", record.topic()).tag("reason", reason).register(meters).increment();
        if (deadLetters == null) {
            LOG.warn("{} skipped record {} ({}): {}", reader, source, reason, message);
            return;
        }
        LOG.warn("{} skipped record {} ({}) and sent it to {}: {}", reader, source, reason, deadLetterTopic, message);
        byte[] key = record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
        ProducerRecord<byte[], byte[]> letter = new ProducerRecord<>(deadLetterTopic, null, key, record.value(),
            DeadLetterHeaders.of(message, error, violation ? "contract" : "deserialization", source, reader));
        deadLetters.send(letter, (metadata, failure) -> {
            if (failure != null) {
                LOG.error("{} could not write the dead letter of {} to {}: {}", reader, source, deadLetterTopic, failure.toString());
            }
        });
    }

    /**
     * The value of {@code record} decoded with {@code values} and checked with {@code contract} (which throws a
     * {@link ContractViolation}); null for a tombstone and for a record set aside here because it cannot be decoded or
     * breaks the contract. A registry that cannot be asked is no fault of the record: its {@link SchemaRegistryException}
     * is thrown, for the caller to read the record again later rather than skip a record that may be fine.
     */
    public <V> V decodeOrReject(ConsumerRecord<String, byte[]> record, Deserializer<V> values, BiConsumer<String, V> contract) {
        if (record.value() == null) {
            return null;
        }
        try {
            V value = values.deserialize(record.topic(), record.value());
            contract.accept(record.key(), value);
            return value;
        } catch (SchemaRegistryException e) {
            throw e;
        } catch (RuntimeException e) {
            reject(record, e);
            return null;
        }
    }

    /** {@link #decodeOrReject(ConsumerRecord, Deserializer, BiConsumer)} for a topic whose records have no contract to check. */
    public <V> V decodeOrReject(ConsumerRecord<String, byte[]> record, Deserializer<V> values) {
        return decodeOrReject(record, values, (key, value) -> { });
    }

    /** How many records were set aside since this was created. */
    public long count() {
        return rejected.get();
    }

    /** Sends the dead letters still buffered and closes the producer. */
    @Override
    public void close() {
        if (deadLetters != null) {
            deadLetters.close(Duration.ofSeconds(5));
        }
    }
}
