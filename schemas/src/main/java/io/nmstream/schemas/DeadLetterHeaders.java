package io.nmstream.schemas;

import io.nmstream.schemas.contract.ContractViolation;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Names of the headers a dead letter carries (on {@link Topics#deadLetters()}): why and where a record was set aside.
 * Every reader that writes dead letters (the reconciler's exception handlers, the services' topic readers) uses these,
 * so one consumer of the dead-letter topic can read them all.
 */
public final class DeadLetterHeaders {

    /** Why the record was set aside, in words. */
    public static final String REASON = "nmstream.error.reason";
    /** Class of the exception. */
    public static final String EXCEPTION = "nmstream.error.exception";
    /** Where it failed: deserialization, contract, processing or production. */
    public static final String STAGE = "nmstream.error.stage";
    /** Topic, partition and offset of the original record, as {@code topic-partition@offset}. */
    public static final String SOURCE = "nmstream.error.source";
    /** The processor or reader that set the record aside, when known. */
    public static final String PROCESSOR = "nmstream.error.processor";
    /**
     * The reason's low-cardinality name, the one readers count the record under in their metric: the contract rule it
     * broke ({@code key}, {@code generation}, ...), {@code undecodable}, or the reconciler's stage otherwise.
     */
    public static final String RULE = "nmstream.error.rule";
    /**
     * Where a record read again from an internal topic (a repartition) was first read, as {@link #source} gives it: a
     * dead letter of such a record names that position, the one a user can look up, not the internal topic's.
     */
    public static final String ORIGIN = "nmstream.origin";
    /** {@link #RULE} of a record that could not be decoded. */
    public static final String UNDECODABLE = "undecodable";

    private DeadLetterHeaders() {
    }

    /**
     * The headers of one dead letter.
     *
     * @param processor the processor or reader that set the record aside; null when unknown
     */
    public static Headers of(String reason, Throwable error, String stage, String source, String processor) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(REASON, utf8(reason));
        headers.add(EXCEPTION, utf8(error.getClass().getName()));
        headers.add(STAGE, utf8(stage));
        headers.add(SOURCE, utf8(source));
        headers.add(RULE, utf8(rule(error, stage)));
        if (processor != null) {
            headers.add(PROCESSOR, utf8(processor));
        }
        return headers;
    }

    /** The {@link #RULE} of a record set aside at {@code stage} for {@code error} (or one of its causes). */
    public static String rule(Throwable error, String stage) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ContractViolation violation) {
                return violation.rule().tag();
            }
        }
        return "deserialization".equals(stage) ? UNDECODABLE : stage;
    }

    /** The {@link #SOURCE} header's value of a record. */
    public static String source(String topic, int partition, long offset) {
        return topic + "-" + partition + "@" + offset;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
