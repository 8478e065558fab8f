package io.nmstream.reconciler.errors;

import io.nmstream.schemas.DeadLetterHeaders;
import io.nmstream.schemas.contract.ContractViolation;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * Builds dead-letter records: the original key and value bytes of the record that could not be handled, with the
 * reason and its origin in the headers every nmstream reader writes ({@link DeadLetterHeaders}). The exception handlers
 * share it.
 */
public final class DeadLetters {

    /** Streams property carrying the dead-letter topic name to the exception handlers (from the topic catalogue). */
    public static final String TOPIC_CONFIG = "nmstream.dead.letter.topic";
    /** How Kafka Streams ends the names of the repartition topics it creates. */
    private static final String REPARTITION_SUFFIX = "-repartition";

    private DeadLetters() {
    }

    /** The dead-letter topic named in the handler's configuration. */
    static String topic(Map<String, ?> configs) {
        Object topic = configs.get(TOPIC_CONFIG);
        if (topic == null || topic.toString().isBlank()) {
            throw new IllegalStateException("Streams property " + TOPIC_CONFIG + " must name the dead-letter topic");
        }
        return topic.toString();
    }

    /**
     * A dead letter of the record at {@code context}'s source position, or at the position it was first read from when
     * it came through a repartition topic ({@link DeadLetterHeaders#ORIGIN}).
     */
    static List<ProducerRecord<byte[], byte[]>> of(String deadLetterTopic, byte[] key, byte[] value, ErrorHandlerContext context,
                                                   String stage, Exception error) {
        // only the reconciler's own repartition topics carry an origin it wrote; on any other topic the header is whatever
        // a producer sent, and the record's own position is the truth
        Header origin = context.headers() == null || !context.topic().endsWith(REPARTITION_SUFFIX) ? null
            : context.headers().lastHeader(DeadLetterHeaders.ORIGIN);
        String source = origin != null ? new String(origin.value(), StandardCharsets.UTF_8)
            : DeadLetterHeaders.source(context.topic(), context.partition(), context.offset());
        return List.of(new ProducerRecord<>(deadLetterTopic, null, key, value, DeadLetterHeaders.of(reason(error), error, stage,
            source, context.processorNodeId())));
    }

    /** The most specific message of an exception and its causes. */
    static String reason(Throwable error) {
        Throwable t = error;
        String message = error.toString();
        while (t != null) {
            if (t.getMessage() != null) {
                message = t.getMessage();
            }
            if (t instanceof ContractViolation) {
                return t.getMessage();
            }
            t = t.getCause();
        }
        return message;
    }
}
