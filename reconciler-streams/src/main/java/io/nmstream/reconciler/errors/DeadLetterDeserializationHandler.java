package io.nmstream.reconciler.errors;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends records that cannot be deserialized (wrong schema, corrupt bytes) to the dead-letter topic and carries on. */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);
    private String deadLetterTopic;

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetterTopic = DeadLetters.topic(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        LOG.warn("Unreadable record {}-{}@{} sent to {}: {}", record.topic(), record.partition(), record.offset(), deadLetterTopic,
            DeadLetters.reason(exception));
        return Response.resume(DeadLetters.of(deadLetterTopic, record.key(), record.value(), context, "deserialization", exception));
    }
}
