package io.nmstream.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nmstream.schemas.PublishedSchemas;
import io.nmstream.schemas.SampleEvents;
import io.nmstream.schemas.Topic;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.PolicyEvent;
import io.nmstream.schemas.registry.InMemorySchemaRegistryClient;
import io.nmstream.schemas.registry.SchemaRegistryClient;
import io.nmstream.schemas.registry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class AvroSerdeTest {

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    private final Topics topics = Topics.withDefaults(registry);
    private final Topic<String, PolicyEvent> policies = topics.policies();

    @TestFactory
    Stream<DynamicTest> everyEventTypeRoundTripsInTheConfluentWireFormat() {
        return Stream.of(
            roundTrip(topics.policies(), SampleEvents.policy()),
            roundTrip(topics.nodes(), SampleEvents.node()),
            roundTrip(topics.nodeStates(), SampleEvents.nodeState()),
            roundTrip(topics.commands(), SampleEvents.command()),
            roundTrip(topics.enactments(), SampleEvents.enactment()),
            roundTrip(topics.status(), SampleEvents.status()));
    }

    private <V extends SpecificRecord> DynamicTest roundTrip(Topic<String, V> topic, V event) {
        return DynamicTest.dynamicTest(event.getSchema().getName() + " on " + topic.name(), () -> {
            byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), event);

            assertThat(bytes[0]).as("magic byte").isEqualTo(ConfluentWireFormat.MAGIC_BYTE);
            int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
            assertThat(registry.lookup(SchemaRegistryClient.valueSubject(topic.name()), PublishedSchemas.of(event.getClass())))
                .as("schema registered under the topic's value subject with the id in the header").contains(id);
            assertThat(topic.valueSerde().deserializer().deserialize(topic.name(), bytes)).isEqualTo(event);
        });
    }

    @Test
    void nullIsATombstoneBothWays() {
        assertThat(policies.valueSerde().serializer().serialize(policies.name(), null)).isNull();
        assertThat(policies.valueSerde().deserializer().deserialize(policies.name(), null)).isNull();
    }

    @Test
    void unknownMagicByteIsRefusedNamingTheTopic() {
        byte[] bytes = encodedPolicy();
        bytes[0] = 1;

        assertThatThrownBy(() -> policies.valueSerde().deserializer().deserialize(policies.name(), bytes))
            .isInstanceOf(WireFormatException.class)
            .hasMessageContaining("topic " + policies.name())
            .hasMessageContaining("magic byte 0x01");
    }

    @Test
    void errorsOfARecordWithKnownPositionNamePartitionAndOffset() {
        byte[] bytes = encodedPolicy();
        bytes[0] = 7;
        AvroSerde<PolicyEvent> serde = (AvroSerde<PolicyEvent>) policies.valueSerde();

        assertThatThrownBy(() -> serde.decode(policies.name(), 4, 1234L, bytes))
            .isInstanceOf(WireFormatException.class)
            .hasMessageContaining("topic " + policies.name() + " partition 4 offset 1234");
    }

    @Test
    void unknownSchemaIdIsRefusedNamingTheTopicAndTheId() {
        byte[] payload = Arrays.copyOfRange(encodedPolicy(), ConfluentWireFormat.HEADER_SIZE, encodedPolicy().length);
        byte[] bytes = ConfluentWireFormat.frame(4711, payload);

        assertThatThrownBy(() -> policies.valueSerde().deserializer().deserialize(policies.name(), bytes))
            .isInstanceOf(WireFormatException.class)
            .hasMessageContaining("topic " + policies.name())
            .hasMessageContaining("schema id 4711");
    }

    @Test
    void registryThatCannotBeReachedIsNotMistakenForAPoisonRecord() {
        byte[] bytes = encodedPolicy();
        UnreachableUntilUp flaky = new UnreachableUntilUp(registry);
        AvroSerde<PolicyEvent> reader = AvroSerde.forValues(PolicyEvent.class, flaky);

        assertThatThrownBy(() -> reader.decode(policies.name(), 0, 9L, bytes))
            .isInstanceOf(SchemaRegistryException.class)
            .isNotInstanceOf(WireFormatException.class)
            .hasMessageContaining("topic " + policies.name() + " partition 0 offset 9");
        flaky.up = true;
        assertThat(reader.decode(policies.name(), 0, 9L, bytes)).as("the failure was not cached").isEqualTo(SampleEvents.policy());
    }

    /** A registry whose answers fail as an unreachable one's do until it is up. */
    private static final class UnreachableUntilUp implements SchemaRegistryClient {
        private final SchemaRegistryClient delegate;
        private volatile boolean up;

        UnreachableUntilUp(SchemaRegistryClient delegate) {
            this.delegate = delegate;
        }

        private void requireUp() {
            if (!up) {
                throw new SchemaRegistryException("Schema registry at http://registry:8081 is unreachable after 6 attempts",
                    new ConnectException("Connection refused"));
            }
        }

        @Override
        public int register(String subject, Schema schema) {
            requireUp();
            return delegate.register(subject, schema);
        }

        @Override
        public Schema getById(int id) {
            requireUp();
            return delegate.getById(id);
        }

        @Override
        public Optional<Integer> lookup(String subject, Schema schema) {
            requireUp();
            return delegate.lookup(subject, schema);
        }

        @Override
        public List<String> testCompatibility(String subject, Schema schema) {
            requireUp();
            return delegate.testCompatibility(subject, schema);
        }
    }

    @Test
    void truncatedPayloadIsRefusedNamingTheTopic() {
        byte[] whole = encodedPolicy();
        byte[] truncated = Arrays.copyOf(whole, whole.length - 4);

        assertThatThrownBy(() -> policies.valueSerde().deserializer().deserialize(policies.name(), truncated))
            .isInstanceOf(WireFormatException.class)
            .hasMessageContaining("topic " + policies.name())
            .hasMessageContaining("PolicyEvent");
    }

    @Test
    void recordShorterThanTheHeaderIsRefusedNamingTheTopic() {
        byte[] tooShort = {0, 0, 1};

        assertThatThrownBy(() -> policies.valueSerde().deserializer().deserialize(policies.name(), tooShort))
            .isInstanceOf(WireFormatException.class)
            .hasMessageContaining("topic " + policies.name())
            .hasMessageContaining("3 bytes long");
    }

    @Test
    void bytesLeftOverAfterTheRecordAreRefused() {
        byte[] whole = encodedPolicy();
        byte[] padded = Arrays.copyOf(whole, whole.length + 3);

        assertThatThrownBy(() -> policies.valueSerde().deserializer().deserialize(policies.name(), padded))
            .isInstanceOf(WireFormatException.class)
            .hasMessageContaining("topic " + policies.name())
            .hasMessageContaining("left over");
    }

    @Test
    void dataWrittenWithAnOlderSchemaVersionReadsIntoTheCurrentClassWithDefaults() throws IOException {
        // the version before priority and revertOnDelete were added
        Schema current = PolicyEvent.getClassSchema();
        Schema older = withoutFields(current, "priority", "revertOnDelete");
        int olderId = registry.register(SchemaRegistryClient.valueSubject(policies.name()), older);
        PolicyEvent event = SampleEvents.policy();
        byte[] writtenByOlderProducer = ConfluentWireFormat.frame(olderId, rewrite(payloadOf(encodedPolicy()), current, older));

        PolicyEvent read = policies.valueSerde().deserializer().deserialize(policies.name(), writtenByOlderProducer);

        assertThat(read).isEqualTo(PolicyEvent.newBuilder(event).setPriority(0).setRevertOnDelete(false).build());
    }

    private byte[] encodedPolicy() {
        return policies.valueSerde().serializer().serialize(policies.name(), SampleEvents.policy());
    }

    private static byte[] payloadOf(byte[] framed) {
        return Arrays.copyOfRange(framed, ConfluentWireFormat.HEADER_SIZE, framed.length);
    }

    /** The schema as it was before {@code names} were added. */
    private static Schema withoutFields(Schema schema, String... names) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode tree = (ObjectNode) json.readTree(schema.toString());
        ArrayNode fields = (ArrayNode) tree.get("fields");
        for (int i = fields.size() - 1; i >= 0; i--) {
            if (Arrays.asList(names).contains(fields.get(i).get("name").asText())) {
                fields.remove(i);
            }
        }
        return new Schema.Parser().parse(tree.toString());
    }

    /** Re-encodes Avro binary written with {@code writer} as {@code target} would have written it. */
    private static byte[] rewrite(byte[] payload, Schema writer, Schema target) throws IOException {
        GenericRecord record = new GenericDatumReader<GenericRecord>(writer, target)
            .read(null, DecoderFactory.get().binaryDecoder(payload, null));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(target).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
