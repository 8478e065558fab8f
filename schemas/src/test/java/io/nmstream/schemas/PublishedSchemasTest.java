package io.nmstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.schemas.registry.InMemorySchemaRegistryClient;
import io.nmstream.schemas.registry.SchemaRegistryClient;
import io.nmstream.schemas.serde.AvroSerde;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

class PublishedSchemasTest {

    private static final Path AVRO_SOURCES = Path.of("src", "main", "avro");

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    private final Topics topics = Topics.withDefaults(registry);

    @TestFactory
    Stream<DynamicTest> everyEventClassPublishesItsAvscByteForByte() {
        return avroTopics().map(topic -> DynamicTest.dynamicTest(topic.name(), () -> {
            Class<? extends SpecificRecord> type = eventClass(topic);
            Path avsc = AVRO_SOURCES.resolve(type.getSimpleName() + ".avsc");

            assertThat(PublishedSchemas.text(type)).isEqualTo(Files.readString(avsc));
            assertThat(PublishedSchemas.of(type)).isEqualTo(new Schema.Parser().parse(avsc.toFile()));
        }));
    }

    @TestFactory
    Stream<DynamicTest> theSerializerRegistersThePublishedSchemaNotTheGeneratedOne() {
        return avroTopics().map(topic -> DynamicTest.dynamicTest(topic.name(), () -> {
            Class<? extends SpecificRecord> type = eventClass(topic);
            Schema fromAvsc = new Schema.Parser().parse(AVRO_SOURCES.resolve(type.getSimpleName() + ".avsc").toFile());
            String subject = SchemaRegistryClient.valueSubject(topic.name());

            int id = ((AvroSerde<?>) topic.valueSerde()).register(topic.name());

            // the generated class carries the compiler's Java-only hint; registering it would make a second version
            assertThat(((AvroSerde<?>) topic.valueSerde()).schema().toString()).contains("\"avro.java.string\":\"String\"");
            assertThat(((AvroSerde<?>) topic.valueSerde()).publishedSchema().toString()).doesNotContain("avro.java.string");
            assertThat(registry.lookup(subject, fromAvsc)).as("what another client reading the .avsc looks up").contains(id);
            assertThat(registry.register(subject, fromAvsc)).as("another client registering the .avsc").isEqualTo(id);
        }));
    }

    private Stream<Topic<?, ?>> avroTopics() {
        List<Topic<?, ?>> avro = topics.all().stream().filter(t -> t.valueSerde() instanceof AvroSerde<?>).toList();
        assertThat(avro).extracting(Topic::name).containsExactlyInAnyOrder(topics.policies().name(), topics.nodes().name(),
            topics.nodeStates().name(), topics.nodeIdentities().name(), topics.commands().name(), topics.enactments().name(),
            topics.status().name(), topics.rollouts().name());
        return avro.stream();
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends SpecificRecord> eventClass(Topic<?, ?> topic) throws IOException {
        String fullName = ((AvroSerde<?>) topic.valueSerde()).schema().getFullName();
        try {
            return (Class<? extends SpecificRecord>) Class.forName(fullName);
        } catch (ClassNotFoundException e) {
            throw new IOException(fullName, e);
        }
    }
}
