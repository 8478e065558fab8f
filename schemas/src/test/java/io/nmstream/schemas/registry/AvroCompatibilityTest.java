package io.nmstream.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nmstream.schemas.avro.ResourceStatus;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class AvroCompatibilityTest {

    private static final String ID = "{\"name\": \"id\", \"type\": \"string\"}";

    /** A version of a small record {@code example.Thing} with the given fields. */
    private static Schema thing(String... fields) {
        return new Schema.Parser().parse("{\"type\": \"record\", \"name\": \"Thing\", \"namespace\": \"example\", \"fields\": ["
            + String.join(", ", fields) + "]}");
    }

    @Test
    void backwardAcceptsANewFieldWithADefault() {
        Schema v1 = thing(ID);
        Schema v2 = thing(ID, "{\"name\": \"zone\", \"type\": \"string\", \"default\": \"\"}");

        assertThat(AvroCompatibility.check(v2, List.of(v1), CompatibilityLevel.BACKWARD)).isEmpty();
    }

    @Test
    void backwardRefusesANewFieldWithoutADefaultNamingIt() {
        Schema v1 = thing(ID);
        Schema v2 = thing(ID, "{\"name\": \"zone\", \"type\": \"string\"}");

        assertThat(AvroCompatibility.check(v2, List.of(v1), CompatibilityLevel.BACKWARD))
            .singleElement().asString()
            .contains("field 'zone'")
            .contains("READER_FIELD_MISSING_DEFAULT_VALUE")
            .contains("new schema cannot read data written with the earlier version");
    }

    @Test
    void backwardAcceptsRemovingAFieldThatForwardRefuses() {
        Schema v1 = thing(ID, "{\"name\": \"zone\", \"type\": \"string\"}");
        Schema v2 = thing(ID);

        assertThat(AvroCompatibility.check(v2, List.of(v1), CompatibilityLevel.BACKWARD)).isEmpty();
        assertThat(AvroCompatibility.check(v2, List.of(v1), CompatibilityLevel.FORWARD))
            .singleElement().asString()
            .contains("field 'zone'")
            .contains("earlier version cannot read data written with the new schema");
    }

    @Test
    void fullRefusesWhatEitherDirectionRefuses() {
        Schema v1 = thing(ID, "{\"name\": \"zone\", \"type\": \"string\"}");
        Schema v2 = thing(ID);

        assertThat(AvroCompatibility.check(v2, List.of(v1), CompatibilityLevel.FULL)).singleElement().asString().contains("'zone'");
    }

    @Test
    void changingAFieldToATypeItCannotBeReadAsIsRefusedNamingTheField() {
        Schema v1 = thing(ID, "{\"name\": \"count\", \"type\": \"long\"}");
        Schema v2 = thing(ID, "{\"name\": \"count\", \"type\": \"int\"}");

        assertThat(AvroCompatibility.check(v2, List.of(v1), CompatibilityLevel.BACKWARD))
            .singleElement().asString().contains("field 'count'").contains("TYPE_MISMATCH");
    }

    @Test
    void transitiveLevelsCheckEveryEarlierVersionOthersOnlyTheLatest() {
        Schema v1 = thing(ID, "{\"name\": \"zone\", \"type\": \"int\"}");
        Schema v2 = thing(ID);
        // readable from v2 (zone gets its default) but not from v1, whose zone is an int
        Schema v3 = thing(ID, "{\"name\": \"zone\", \"type\": \"boolean\", \"default\": false}");

        assertThat(AvroCompatibility.check(v3, List.of(v1, v2), CompatibilityLevel.BACKWARD)).isEmpty();
        assertThat(AvroCompatibility.check(v3, List.of(v1, v2), CompatibilityLevel.BACKWARD_TRANSITIVE))
            .singleElement().asString().contains("field 'zone'");
    }

    @Test
    void noneAndAnEmptyHistoryAcceptAnything() {
        Schema v1 = thing(ID);
        Schema unrelated = thing("{\"name\": \"id\", \"type\": \"int\"}", "{\"name\": \"zone\", \"type\": \"string\"}");

        assertThat(AvroCompatibility.check(unrelated, List.of(v1), CompatibilityLevel.NONE)).isEmpty();
        assertThat(AvroCompatibility.check(unrelated, List.of(), CompatibilityLevel.FULL_TRANSITIVE)).isEmpty();
    }

    @Test
    void removingAnEnumSymbolIsAcceptedOnlyWhenTheEnumHasADefault() {
        String withDefault = "{\"name\": \"phase\", \"type\": {\"type\": \"enum\", \"name\": \"Phase\", \"symbols\": [\"UNKNOWN\", \"UP\"],"
            + " \"default\": \"UNKNOWN\"}}";
        String withoutDefault = "{\"name\": \"phase\", \"type\": {\"type\": \"enum\", \"name\": \"Phase\", \"symbols\": [\"UNKNOWN\"]}}";
        Schema v1 = thing(ID, "{\"name\": \"phase\", \"type\": {\"type\": \"enum\", \"name\": \"Phase\","
            + " \"symbols\": [\"UNKNOWN\", \"UP\", \"DOWN\"], \"default\": \"UNKNOWN\"}}");

        assertThat(AvroCompatibility.check(thing(ID, withDefault), List.of(v1), CompatibilityLevel.BACKWARD)).isEmpty();
        assertThat(AvroCompatibility.check(thing(ID, withoutDefault), List.of(v1), CompatibilityLevel.BACKWARD))
            .singleElement().asString().contains("field 'phase'").contains("MISSING_ENUM_SYMBOLS");
    }

    @Test
    void fieldPathsOfNestedFieldsAreDotted() {
        Schema status = ResourceStatus.getClassSchema();
        int conditions = status.getField("conditions").pos();
        int lastTransitionTime = status.getField("conditions").schema().getElementType().getField("lastTransitionTime").pos();

        assertThat(AvroCompatibility.fieldPath(status, "/fields/" + conditions + "/type/items/fields/" + lastTransitionTime))
            .isEqualTo("conditions.lastTransitionTime");
        assertThat(AvroCompatibility.fieldPath(status, "/")).isEqualTo(status.getFullName());
    }

    @Test
    void unknownCompatibilityLevelIsRefusedNamingTheValue() {
        assertThatThrownBy(() -> CompatibilityLevel.parse("SIDEWAYS"))
            .isInstanceOf(SchemaRegistryException.class)
            .hasMessageContaining("'SIDEWAYS'")
            .satisfies(e -> assertThat(((SchemaRegistryException) e).errorCode())
                .isEqualTo(SchemaRegistryException.INVALID_COMPATIBILITY_LEVEL));
        assertThat(CompatibilityLevel.parse(" backward_transitive ")).isEqualTo(CompatibilityLevel.BACKWARD_TRANSITIVE);
    }
}
