package io.nmstream.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * The schemas of nmstream's events exactly as published in {@code schemas/src/main/avro} (shipped in this jar next to
 * the generated classes): the form every client registers, so that nmstream's serializer and any other client reading
 * the same {@code .avsc} get one version and one id.
 *
 * <p>The generated classes' {@code SCHEMA$} is not that form: with {@code stringType=String} the Avro compiler adds
 * {@code "avro.java.string": "String"} to every string, a Java-only hint that a registry keeps as part of the schema. A
 * serializer registering {@code SCHEMA$} would therefore add a second version, with a second id, of a schema another
 * client had registered from the {@code .avsc} (Confluent's own serializer strips such properties for the same reason,
 * {@code avro.remove.java.properties}).
 */
public final class PublishedSchemas {

    private static final Map<Class<?>, Schema> BY_CLASS = new ConcurrentHashMap<>();

    private PublishedSchemas() {
    }

    /**
     * The published schema of a generated class, read from its {@code .avsc}.
     *
     * @throws IllegalStateException when the jar has no {@code .avsc} for the class, or one that describes other data
     *     than the class (a build that generated the classes from other files)
     */
    public static Schema of(Class<? extends SpecificRecord> type) {
        return BY_CLASS.computeIfAbsent(type, PublishedSchemas::load);
    }

    /** The {@code .avsc} text of a generated class, byte for byte as in {@code schemas/src/main/avro}. */
    public static String text(Class<? extends SpecificRecord> type) {
        String resource = resourceOf(type);
        try (InputStream in = type.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("No published schema " + resource + " for " + type.getName() + " on the class path: "
                    + "every event class is generated from an .avsc in schemas/src/main/avro, which the schemas jar ships");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + resource, e);
        }
    }

    private static Schema load(Class<?> type) {
        @SuppressWarnings("unchecked")
        Class<? extends SpecificRecord> record = (Class<? extends SpecificRecord>) type;
        Schema published = new Schema.Parser().parse(text(record));
        Schema generated = SpecificData.get().getSchema(type);
        // the parsing canonical form leaves out docs and properties: equal forms describe the same data
        if (!SchemaNormalization.toParsingForm(published).equals(SchemaNormalization.toParsingForm(generated))) {
            throw new IllegalStateException("The published schema " + resourceOf(record) + " and the class " + type.getName()
                + " describe different data: the class was generated from another version of the .avsc; rebuild the schemas module");
        }
        return published;
    }

    private static String resourceOf(Class<? extends SpecificRecord> type) {
        return type.getName().replace('.', '/') + ".avsc";
    }
}
