package io.nmstream.reconciler.errors;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles records the reconciler fails to write: one that cannot be serialized or is too large goes to the dead-letter
 * topic (as the source record that caused it) and processing continues; a retriable broker error is retried; anything
 * else fails the thread, because the cluster is not usable.
 */
public final class DeadLetterProductionHandler implements ProductionExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProductionHandler.class);
    private String deadLetterTopic;

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetterTopic = DeadLetters.topic(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        if (exception instanceof RetriableException) {
            return Response.retry();
        }
        if (exception instanceof RecordTooLargeException) {
            LOG.warn("Output to {} caused by {}-{}@{} is too large; source record sent to {}", record.topic(), context.topic(),
                context.partition(), context.offset(), deadLetterTopic);
            return Response.resume(DeadLetters.of(deadLetterTopic, context.sourceRawKey(), context.sourceRawValue(), context, "production",
                exception));
        }
        LOG.error("Cannot write to {}", record.topic(), exception);
        return Response.fail();
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception exception,
                                             SerializationExceptionOrigin origin) {
        LOG.warn("Output to {} caused by {}-{}@{} cannot be serialized ({}); source record sent to {}", record.topic(), context.topic(),
            context.partition(), context.offset(), origin, deadLetterTopic, exception);
        return Response.resume(DeadLetters.of(deadLetterTopic, context.sourceRawKey(), context.sourceRawValue(), context, "serialization",
            exception));
    }
}
