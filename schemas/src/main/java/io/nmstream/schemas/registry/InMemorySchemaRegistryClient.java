package io.nmstream.schemas.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * A registry held in this process's memory, for tests without a network such as {@code TopologyTestDriver}. It keeps the
 * same rules as a real registry: ids are global and stable per schema, registering an equal schema is idempotent, and a
 * new version must be BACKWARD compatible with the latest.
 */
public final class InMemorySchemaRegistryClient implements SchemaRegistryClient {

    private final Map<Integer, Schema> schemaById = new HashMap<>();
    private final Map<Schema, Integer> idBySchema = new HashMap<>();
    private final Map<String, List<Schema>> versionsBySubject = new HashMap<>();
    private final CompatibilityLevel level;

    public InMemorySchemaRegistryClient() {
        this(CompatibilityLevel.BACKWARD);
    }

    public InMemorySchemaRegistryClient(CompatibilityLevel level) {
        this.level = level;
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        List<Schema> versions = versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        if (versions.contains(schema)) {
            return idBySchema.get(schema);
        }
        List<String> problems = AvroCompatibility.check(schema, versions, level);
        if (!problems.isEmpty()) {
            throw new SchemaRegistryException(409, SchemaRegistryException.INCOMPATIBLE_SCHEMA,
                "Schema being registered is incompatible with an earlier schema for subject '" + subject + "': "
                    + String.join("; ", problems));
        }
        versions.add(schema);
        return idBySchema.computeIfAbsent(schema, s -> {
            int id = schemaById.size() + 1;
            schemaById.put(id, s);
            return id;
        });
    }

    @Override
    public synchronized Schema getById(int id) {
        Schema schema = schemaById.get(id);
        if (schema == null) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + id + " not found");
        }
        return schema;
    }

    @Override
    public synchronized Optional<Integer> lookup(String subject, Schema schema) {
        List<Schema> versions = versionsBySubject.getOrDefault(subject, List.of());
        return versions.contains(schema) ? Optional.of(idBySchema.get(schema)) : Optional.empty();
    }

    @Override
    public synchronized List<String> testCompatibility(String subject, Schema schema) {
        return AvroCompatibility.check(schema, versionsBySubject.getOrDefault(subject, List.of()), level);
    }
}
