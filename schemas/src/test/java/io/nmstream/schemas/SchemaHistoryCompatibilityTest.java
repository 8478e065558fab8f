package io.nmstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.PolicyEvent;
import io.nmstream.schemas.registry.AvroCompatibility;
import io.nmstream.schemas.registry.CompatibilityLevel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every schema version ever released is kept under {@code schemas/history/<Name>/vN.avsc}; the current one is
 * {@code src/main/avro/<Name>.avsc}. Consumers upgraded to a newer version must read everything written with any older
 * one still in the topics, so each newer version must be BACKWARD compatible with every older one.
 */
class SchemaHistoryCompatibilityTest {

    private static final Path HISTORY = Path.of("history");
    private static final Path CURRENT = Path.of("src", "main", "avro");
    private static final Pattern VERSION_FILE = Pattern.compile("v(\\d+)\\.avsc");

    /** One released or current version of a schema. */
    private record Version(String label, int order, Schema schema) {
    }

    @TestFactory
    Stream<DynamicTest> everyNewerSchemaVersionReadsDataWrittenWithEveryOlderOne() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path dir : schemaHistories()) {
            String name = dir.getFileName().toString();
            List<Version> versions = versionsOf(name, dir);
            for (int newer = 1; newer < versions.size(); newer++) {
                for (int older = 0; older < newer; older++) {
                    Version reader = versions.get(newer);
                    Version writer = versions.get(older);
                    tests.add(DynamicTest.dynamicTest(name + " " + reader.label() + " reads " + writer.label(), () ->
                        assertThat(AvroCompatibility.check(reader.schema(), List.of(writer.schema()), CompatibilityLevel.BACKWARD))
                            .as("%s %s must read data written with %s", name, reader.label(), writer.label())
                            .isEmpty()));
                }
            }
        }
        assertThat(tests).as("schema versions found under %s", HISTORY.toAbsolutePath()).isNotEmpty();
        return tests.stream();
    }

    @Test
    void everyHistoryDirectoryHoldsVersionsOfTheSchemaItIsNamedAfter() throws IOException {
        for (Path dir : schemaHistories()) {
            for (Version version : versionsOf(dir.getFileName().toString(), dir)) {
                assertThat(version.schema().getName()).as("%s %s", dir, version.label()).isEqualTo(dir.getFileName().toString());
            }
        }
    }

    @Test
    void aNewFieldWithoutADefaultIsRefusedNamingTheField() throws IOException {
        Schema current = EnactmentEvent.getClassSchema();
        ObjectNode changed = tree(current);
        ((ArrayNode) changed.get("fields")).addObject().put("name", "rolloutWave").put("type", "int");

        assertThat(AvroCompatibility.check(parse(changed), List.of(current), CompatibilityLevel.BACKWARD))
            .singleElement().asString().contains("field 'rolloutWave'");
    }

    @Test
    void aRemovedEnumSymbolIsRefusedNamingTheFieldOnceTheEnumLosesItsDefault() throws IOException {
        Schema current = EnactmentEvent.getClassSchema();
        ObjectNode changed = tree(current);
        ObjectNode phase = (ObjectNode) field(changed, "phase").get("type");
        ArrayNode symbols = (ArrayNode) phase.get("symbols");
        for (int i = symbols.size() - 1; i >= 0; i--) {
            if ("RETRYING".equals(symbols.get(i).asText())) {
                symbols.remove(i);
            }
        }
        phase.remove("default");

        assertThat(AvroCompatibility.check(parse(changed), List.of(current), CompatibilityLevel.BACKWARD))
            .singleElement().asString().contains("field 'phase'").contains("RETRYING");
    }

    @Test
    void aChangedTypeOfANestedFieldIsRefusedNamingItsPath() throws IOException {
        Schema current = PolicyEvent.getClassSchema();
        ObjectNode changed = tree(current);
        ObjectNode source = (ObjectNode) field(changed, "source").get("type");
        field(source, "kind").put("type", "int").remove("default");

        assertThat(AvroCompatibility.check(parse(changed), List.of(current), CompatibilityLevel.BACKWARD))
            .singleElement().asString().contains("field 'source.kind'");
    }

    private static List<Path> schemaHistories() throws IOException {
        try (Stream<Path> dirs = Files.list(HISTORY)) {
            return dirs.filter(Files::isDirectory).sorted().toList();
        }
    }

    /** The released versions of a schema, oldest first, then the current one (when it differs from the last release). */
    private static List<Version> versionsOf(String name, Path dir) throws IOException {
        List<Version> versions = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Matcher matcher = VERSION_FILE.matcher(file.getFileName().toString());
                if (matcher.matches()) {
                    versions.add(new Version("v" + matcher.group(1), Integer.parseInt(matcher.group(1)), read(file)));
                }
            }
        }
        versions.sort(Comparator.comparingInt(Version::order));
        Path current = CURRENT.resolve(name + ".avsc");
        if (Files.exists(current)) {
            versions.add(new Version("current", Integer.MAX_VALUE, read(current)));
        }
        return versions;
    }

    private static Schema read(Path file) throws IOException {
        // a fresh parser per file: versions of one schema share its full name
        return new Schema.Parser().parse(Files.readString(file));
    }

    private static ObjectNode tree(Schema schema) throws IOException {
        return (ObjectNode) new ObjectMapper().readTree(schema.toString());
    }

    private static Schema parse(ObjectNode tree) {
        return new Schema.Parser().parse(tree.toString());
    }

    private static ObjectNode field(ObjectNode record, String name) {
        for (var field : record.get("fields")) {
            if (name.equals(field.get("name").asText())) {
                return (ObjectNode) field;
            }
        }
        throw new IllegalArgumentException("No field '" + name + "' in " + record.get("name"));
    }
}
