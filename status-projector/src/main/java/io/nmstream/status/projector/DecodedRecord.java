package io.nmstream.status.projector;

import io.nmstream.schemas.registry.SchemaRegistryException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * A polled record with its value decoded (null for a tombstone), or what stopped it decoding: readers decode a whole poll
 * before they check its records one at a time, and a record that does not decode is set aside at its turn.
 */
record DecodedRecord<T>(ConsumerRecord<String, byte[]> record, T event, RuntimeException undecodable) {

    /**
     * {@code record} decoded with {@code deserializer}. A schema-registry failure is thrown, not kept: the registry cannot
     * be asked now, which is no fault of the record, and setting the record aside would lose it.
     */
    static <T> DecodedRecord<T> decode(ConsumerRecord<String, byte[]> record, Deserializer<? extends T> deserializer) {
        try {
            return new DecodedRecord<>(record, record.value() == null ? null : deserializer.deserialize(record.topic(), record.value()),
                null);
        } catch (SchemaRegistryException e) {
            throw e;
        } catch (RuntimeException e) {
            return new DecodedRecord<>(record, null, e);
        }
    }

    /** The decoded value; what stopped it decoding is thrown. */
    T eventOrThrow() {
        if (undecodable != null) {
            throw undecodable;
        }
        return event;
    }
}
