package io.nmstream.schemas.serde;

import java.nio.ByteBuffer;

/**
 * The Confluent wire format: magic byte 0, the schema id as a 4-byte big-endian integer, then the Avro binary encoding.
 */
public final class ConfluentWireFormat {

    /** The only magic byte the format defines. */
    public static final byte MAGIC_BYTE = 0;
    /** Magic byte plus schema id. */
    public static final int HEADER_SIZE = 5;

    private ConfluentWireFormat() {
    }

    /** Prefixes an Avro payload with the magic byte and schema id. */
    public static byte[] frame(int schemaId, byte[] avroPayload) {
        return ByteBuffer.allocate(HEADER_SIZE + avroPayload.length)
            .put(MAGIC_BYTE)
            .putInt(schemaId)
            .put(avroPayload)
            .array();
    }

    /**
     * Reads the schema id of a framed record.
     *
     * @param where where the bytes came from ("topic nmstream.policies" or "topic t partition 0 offset 42"), for the error
     * @throws WireFormatException when the bytes are too short or the magic byte is not 0
     */
    public static int schemaId(byte[] framed, String where) {
        if (framed.length < HEADER_SIZE) {
            throw new WireFormatException("Record from " + where + " is " + framed.length
                + " bytes long: too short for the Confluent wire format (magic byte and 4-byte schema id)");
        }
        if (framed[0] != MAGIC_BYTE) {
            throw new WireFormatException(String.format(
                "Record from %s starts with magic byte 0x%02x; the Confluent wire format requires 0x00", where, framed[0]));
        }
        return ByteBuffer.wrap(framed, 1, 4).getInt();
    }
}
