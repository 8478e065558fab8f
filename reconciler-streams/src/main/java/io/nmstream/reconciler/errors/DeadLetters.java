package io.nmstream.reconciler.errors;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * Builds dead-letter records: the original key and value bytes of the record that could not be handled, with the
 * reason and its origin in headers. The exception handlers share it.
 */
public final class DeadLetters {

    /** Streams property carrying the dead-letter topic name to the exception handlers (from the topic catalogue). */
    public static final String TOPIC_CONFIG = "nmstream.dead.letter.topic";

    /** Header: why the record was set aside, in words. */
    public static final String REASON = "nmstream.error.reason";
    /** Header: class of the exception. */
    public static final String EXCEPTION = "nmstream.error.exception";
    /** Header: where it failed (deserialization, processing, production). */
    public static final String STAGE = "nmstream.error.stage";
    /** Header: topic, partition and offset of the original record. */
    public static final String SOURCE = "nmstream.error.source";
    /** Header: the processor that failed, when known. */
    public static final String PROCESSOR = "nmstream.error.processor";

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

    /** A dead letter of the record at {@code context}'s source position. */
    static List<ProducerRecord<byte[], byte[]>> of(String deadLetterTopic, byte[] key, byte[] value, ErrorHandlerContext context,
                                                   String stage, Exception error) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(REASON, utf8(reason(error)));
        headers.add(EXCEPTION, utf8(error.getClass().getName()));
        headers.add(STAGE, utf8(stage));
        headers.add(SOURCE, utf8(context.topic() + "-" + context.partition() + "@" + context.offset()));
        if (context.processorNodeId() != null) {
            headers.add(PROCESSOR, utf8(context.processorNodeId()));
        }
        return List.of(new ProducerRecord<>(deadLetterTopic, null, key, value, headers));
    }

    /** The most specific message of an exception and its causes. */
    static String reason(Throwable error) {
        Throwable t = error;
        String message = error.toString();
        while (t != null) {
            if (t.getMessage() != null) {
                message = t.getMessage();
            }
            if (t instanceof InvalidRecordException) {
                return t.getMessage();
            }
            t = t.getCause();
        }
        return message;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
