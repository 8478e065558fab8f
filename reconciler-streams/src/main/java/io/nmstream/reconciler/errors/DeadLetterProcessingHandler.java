package io.nmstream.reconciler.errors;

import io.nmstream.schemas.contract.ContractViolation;
import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends records the topology cannot act on to the dead-letter topic and carries on.
 *
 * <p>A {@link ContractViolation} is an expected poison record (bad maxUnavailable, name not matching the key, a
 * digest that is not the desired state's), thrown before any state changed. Any other exception is a defect; it is
 * set aside the same way (failing would make the task retry the same record forever), but logged as an error with its
 * stack trace.
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProcessingHandler.class);
    private String deadLetterTopic;

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetterTopic = DeadLetters.topic(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (isPoisonRecord(exception)) {
            LOG.warn("Record {}-{}@{} rejected by {} and sent to {}: {}", context.topic(), context.partition(), context.offset(),
                context.processorNodeId(), deadLetterTopic, DeadLetters.reason(exception));
        } else {
            LOG.error("Processor {} failed on record {}-{}@{}; record sent to {}", context.processorNodeId(), context.topic(),
                context.partition(), context.offset(), deadLetterTopic, exception);
        }
        return Response.resume(DeadLetters.of(deadLetterTopic, context.sourceRawKey(), context.sourceRawValue(), context, "processing",
            exception));
    }

    private static boolean isPoisonRecord(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ContractViolation) {
                return true;
            }
        }
        return false;
    }
}
