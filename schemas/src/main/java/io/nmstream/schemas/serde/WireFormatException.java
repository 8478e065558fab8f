package io.nmstream.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record's bytes are not in the Confluent wire format or do not decode with the schema they name.
 *
 * <p>Says which topic (and, where the caller knows them, which partition and offset) the bytes came from, so that an
 * operator can find the record; never returns a half-decoded object.
 */
public class WireFormatException extends SerializationException {

    public WireFormatException(String message) {
        super(message);
    }

    public WireFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
