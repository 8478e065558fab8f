package io.nmstream.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.NodeEvent;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class InMemorySchemaRegistryClientTest {

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

    @Test
    void registeringAnEqualSchemaAgainKeepsItsIdUnderAnySubject() {
        int first = registry.register("a-value", NodeEvent.getClassSchema());

        assertThat(registry.register("a-value", NodeEvent.getClassSchema())).isEqualTo(first);
        assertThat(registry.register("b-value", NodeEvent.getClassSchema())).isEqualTo(first);
        assertThat(registry.register("c-value", EnactmentEvent.getClassSchema())).isNotEqualTo(first);
        assertThat(registry.getById(first)).isEqualTo(NodeEvent.getClassSchema());
    }

    @Test
    void incompatibleNewVersionIsRefusedNamingTheField() {
        registry.register("nodes-value", NodeEvent.getClassSchema());
        Schema withRequiredField = new Schema.Parser().parse(NodeEvent.getClassSchema().toString()
            .replace("\"fields\":[", "\"fields\":[{\"name\":\"rack\",\"type\":\"string\"},"));

        assertThatThrownBy(() -> registry.register("nodes-value", withRequiredField))
            .isInstanceOf(SchemaRegistryException.class)
            .hasMessageContaining("field 'rack'")
            .hasMessageContaining("'nodes-value'");
        assertThat(registry.testCompatibility("nodes-value", withRequiredField)).singleElement().asString().contains("'rack'");
        assertThat(registry.lookup("nodes-value", withRequiredField)).isEmpty();
    }

    @Test
    void unknownIdIsASchemaNotFoundError() {
        assertThatThrownBy(() -> registry.getById(99))
            .isInstanceOf(SchemaRegistryException.class)
            .satisfies(e -> assertThat(((SchemaRegistryException) e).errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND));
    }
}
