package io.nmstream.reconciler;

import io.nmstream.schemas.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Stamps each record with the topic, partition and offset it was read from ({@link DeadLetterHeaders#ORIGIN}) before it
 * goes through a repartition topic, so that a record set aside after the repartition is reported at the position a
 * user can look up in the topic they know.
 */
final class OriginHeader<V> implements FixedKeyProcessor<String, V, V> {

    private FixedKeyProcessorContext<String, V> context;

    @Override
    public void init(FixedKeyProcessorContext<String, V> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, V> record) {
        context.recordMetadata().ifPresent(position -> {
            record.headers().remove(DeadLetterHeaders.ORIGIN);
            record.headers().add(DeadLetterHeaders.ORIGIN, DeadLetterHeaders.source(position.topic(), position.partition(),
                position.offset()).getBytes(StandardCharsets.UTF_8));
        });
        context.forward(record);
    }
}
