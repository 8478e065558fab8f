package io.nmstream.schemas.serde;

import io.nmstream.schemas.PublishedSchemas;
import io.nmstream.schemas.registry.SchemaRegistryClient;
import io.nmstream.schemas.registry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde of one generated Avro class in the Confluent wire format, with schemas registered and fetched through a
 * {@link SchemaRegistryClient} under TopicNameStrategy subjects.
 *
 * <p>It registers the class's schema as published ({@link PublishedSchemas}), not the generated {@code SCHEMA$}, so that
 * it shares one version and one id with any other client registering the same {@code .avsc}. The two describe the same
 * binary encoding, so records are written with the generated class's writer as they are.
 *
 * <p>Records written with any registered, compatible version of the schema are read into the current class (Avro
 * schema resolution). A null value is a tombstone both ways.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {

    private final Class<T> type;
    private final Schema readerSchema;
    private final Schema publishedSchema;
    private final SchemaRegistryClient registry;
    private final boolean isKey;
    private final Map<String, Integer> idByTopic = new ConcurrentHashMap<>();
    private final Map<Integer, SpecificDatumReader<T>> readerByWriterId = new ConcurrentHashMap<>();
    private final SpecificDatumWriter<T> writer;

    private AvroSerde(Class<T> type, SchemaRegistryClient registry, boolean isKey) {
        this.type = type;
        this.readerSchema = SpecificData.get().getSchema(type);
        this.publishedSchema = PublishedSchemas.of(type);
        this.registry = registry;
        this.isKey = isKey;
        this.writer = new SpecificDatumWriter<>(readerSchema);
    }

    /** Serde for values of type {@code type} (subject {@code <topic>-value}). */
    public static <T extends SpecificRecord> AvroSerde<T> forValues(Class<T> type, SchemaRegistryClient registry) {
        return new AvroSerde<>(type, registry, false);
    }

    /** Serde for keys of type {@code type} (subject {@code <topic>-key}). */
    public static <T extends SpecificRecord> AvroSerde<T> forKeys(Class<T> type, SchemaRegistryClient registry) {
        return new AvroSerde<>(type, registry, true);
    }

    /** The schema this serde reads into: the generated class's. */
    public Schema schema() {
        return readerSchema;
    }

    /** The schema this serde registers and names in the records it writes: the published {@code .avsc}. */
    public Schema publishedSchema() {
        return publishedSchema;
    }

    /**
     * Registers the published schema under the subject of {@code topic} (idempotent; remembered after the first call).
     * Where this client may not register (a registry that wants credentials for writes, or one in READONLY or IMPORT
     * mode), it uses the version already registered, as a client that only reads the registry needs to.
     *
     * @return the schema's id, which every record this serde writes to {@code topic} carries
     * @throws SchemaRegistryException the registry's refusal when it neither registers the schema nor has it
     */
    public int register(String topic) {
        return idByTopic.computeIfAbsent(topic, t -> registerOrLookUp(subject(t)));
    }

    private int registerOrLookUp(String subject) {
        try {
            return registry.register(subject, publishedSchema);
        } catch (SchemaRegistryException refused) {
            boolean mayOnlyRead = refused.httpStatus() == 401 || refused.httpStatus() == 403
                || refused.errorCode() == SchemaRegistryException.OPERATION_NOT_PERMITTED;
            if (!mayOnlyRead) {
                throw refused;
            }
            try {
                return registry.lookup(subject, publishedSchema).orElseThrow(() -> refused);
            } catch (SchemaRegistryException lookupFailed) {
                if (lookupFailed != refused) {
                    refused.addSuppressed(lookupFailed);
                }
                throw refused;
            }
        }
    }

    /** Frames {@code value} for {@code topic}, registering the schema under the topic's subject on first use. */
    public byte[] encode(String topic, T value) {
        if (value == null) {
            return null;
        }
        int id = register(topic);
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            writer.write(value, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new WireFormatException("Cannot encode " + type.getSimpleName() + " for topic " + topic + ": " + e.getMessage(), e);
        }
        return ConfluentWireFormat.frame(id, out.toByteArray());
    }

    /**
     * Decodes a framed record.
     *
     * @param where where the bytes came from, named in any error ("topic t", or "topic t partition p offset o")
     * @throws WireFormatException when the bytes themselves are bad (framing, unknown schema id, payload): a poison record
     * @throws SchemaRegistryException when the registry cannot be asked for the writer's schema: the record may be fine
     */
    public T decode(String where, byte[] framed) {
        if (framed == null) {
            return null;
        }
        int id = ConfluentWireFormat.schemaId(framed, where);
        SpecificDatumReader<T> reader = readerByWriterId.computeIfAbsent(id, writerId -> {
            Schema writerSchema;
            try {
                writerSchema = registry.getById(writerId);
            } catch (SchemaRegistryException e) {
                if (e.errorCode() != SchemaRegistryException.SCHEMA_NOT_FOUND) {
                    // the registry is down or refuses us: the record may be fine, so it must not be taken for a poison one
                    throw new SchemaRegistryException("Cannot fetch schema id " + writerId + " for the record from " + where
                        + ": " + e.getMessage(), e);
                }
                throw new WireFormatException("Record from " + where + " names schema id " + writerId
                    + ", which the registry does not know: " + e.getMessage(), e);
            }
            return new SpecificDatumReader<>(writerSchema, readerSchema);
        });
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(framed, ConfluentWireFormat.HEADER_SIZE,
            framed.length - ConfluentWireFormat.HEADER_SIZE, null);
        try {
            T value = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new WireFormatException("Record from " + where + " has bytes left over after a "
                    + type.getSimpleName() + " (schema id " + id + ")");
            }
            return value;
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | ClassCastException e) {
            throw new WireFormatException("Record from " + where + " does not decode as " + type.getSimpleName()
                + " with schema id " + id + " (truncated or corrupt payload): " + e, e);
        }
    }

    /** Decodes a record whose partition and offset are known, naming them in any error. */
    public T decode(String topic, int partition, long offset, byte[] framed) {
        return decode("topic " + topic + " partition " + partition + " offset " + offset, framed);
    }

    private String subject(String topic) {
        return isKey ? SchemaRegistryClient.keySubject(topic) : SchemaRegistryClient.valueSubject(topic);
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> encode(topic, value);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> decode("topic " + topic, bytes);
    }
}
