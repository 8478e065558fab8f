package io.nmstream.embedded.registry;

import io.nmstream.embedded.registry.SchemaLog.ConfigEntry;
import io.nmstream.embedded.registry.SchemaLog.Entry;
import io.nmstream.embedded.registry.SchemaLog.SchemaEntry;
import io.nmstream.schemas.registry.AvroCompatibility;
import io.nmstream.schemas.registry.CompatibilityLevel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.Schema;

/**
 * The registry's subjects, versions, global schema ids and compatibility levels, and the rules for changing them: an
 * equal schema registered again keeps its version and id; an equal schema under another subject gets the same id; a new
 * version must pass the subject's compatibility level, checked with Avro's own checker.
 *
 * <p>Every change is written to the {@link SchemaLog} and acknowledged by the broker before it is applied here and
 * answered, so nothing a client was told is lost on restart. One registry writes a topic at a time.
 *
 * <p>Deleting is soft, as Confluent's default: a deleted version disappears from subjects, lookups and compatibility
 * checks, but its id keeps naming its schema (records written with it stay readable) and version numbers go on after it.
 */
final class SchemaStore {

    /** Confluent's default level. */
    static final CompatibilityLevel DEFAULT_LEVEL = CompatibilityLevel.BACKWARD;

    private final SchemaLog log;
    private final Map<String, TreeMap<Integer, SchemaEntry>> versionsBySubject = new TreeMap<>();
    private final Map<Integer, String> schemaById = new HashMap<>();
    private final Map<String, Integer> idBySchema = new HashMap<>();
    private final Map<String, CompatibilityLevel> levelBySubject = new HashMap<>();
    private CompatibilityLevel globalLevel = DEFAULT_LEVEL;
    private int highestId;

    private SchemaStore(SchemaLog log) {
        this.log = log;
    }

    /** A store holding everything the log holds. */
    static SchemaStore replay(SchemaLog log, Duration timeout) {
        SchemaStore store = new SchemaStore(log);
        for (Entry entry : log.readAll(timeout)) {
            store.apply(entry);
        }
        return store;
    }

    synchronized int schemaCount() {
        return schemaById.size();
    }

    /**
     * Registers {@code schema} under {@code subject}: the existing version when an equal schema is already there,
     * otherwise a new version, refused when it breaks the subject's compatibility level.
     */
    synchronized SchemaEntry register(String subject, Schema schema) {
        String canonical = schema.toString();
        Optional<SchemaEntry> existing = find(subject, canonical);
        if (existing.isPresent()) {
            return existing.get();
        }
        List<String> problems = AvroCompatibility.check(schema, parsedVersions(subject), level(subject));
        if (!problems.isEmpty()) {
            throw new RegistryException(409, RegistryException.INCOMPATIBLE_SCHEMA,
                "Schema being registered is incompatible with an earlier schema for subject '" + subject + "' (compatibility level "
                    + level(subject) + "): " + String.join("; ", problems));
        }
        // numbered after every version ever given, deleted ones included, so a number never means two schemas
        TreeMap<Integer, SchemaEntry> versions = versionsBySubject.get(subject);
        int version = versions == null || versions.isEmpty() ? 1 : versions.lastKey() + 1;
        int id = idBySchema.getOrDefault(canonical, highestId + 1);
        SchemaEntry entry = new SchemaEntry(subject, version, id, canonical, false);
        log.append(entry);
        apply(entry);
        return entry;
    }

    /** The version of {@code subject} holding a schema equal to {@code schema}. */
    synchronized Optional<SchemaEntry> lookup(String subject, Schema schema) {
        return find(subject, schema.toString());
    }

    /** The canonical text of the schema with this global id. */
    synchronized Optional<String> schemaById(int id) {
        return Optional.ofNullable(schemaById.get(id));
    }

    /** Every subject version that uses the schema with this global id. */
    synchronized List<SchemaEntry> usesOf(int id) {
        List<SchemaEntry> uses = new ArrayList<>();
        versionsBySubject.keySet().forEach(subject -> live(subject).values().stream().filter(v -> v.id() == id).forEach(uses::add));
        return uses;
    }

    /** Subjects with at least one version that is not deleted. */
    synchronized List<String> subjects() {
        return versionsBySubject.keySet().stream().filter(subject -> !live(subject).isEmpty()).toList();
    }

    /** The version numbers of a subject that are not deleted, oldest first; empty when there are none. */
    synchronized List<Integer> versions(String subject) {
        return new ArrayList<>(live(subject).keySet());
    }

    /** One version of a subject that is not deleted; a null version means the latest. */
    synchronized Optional<SchemaEntry> version(String subject, Integer version) {
        TreeMap<Integer, SchemaEntry> versions = live(subject);
        if (versions.isEmpty()) {
            return Optional.empty();
        }
        return Optional.ofNullable(version == null ? versions.lastEntry().getValue() : versions.get(version));
    }

    /** Soft-deletes every version of a subject; the numbers of the versions deleted. */
    synchronized List<Integer> deleteSubject(String subject) {
        List<Integer> deleted = new ArrayList<>();
        for (SchemaEntry entry : live(subject).values()) {
            log.append(entry.asDeleted());
            apply(entry.asDeleted());
            deleted.add(entry.version());
        }
        return deleted;
    }

    /** Soft-deletes one version that is not deleted already. */
    synchronized void deleteVersion(SchemaEntry entry) {
        log.append(entry.asDeleted());
        apply(entry.asDeleted());
    }

    /**
     * Incompatibilities of {@code schema} with the subject: with one given version, or (null) with the versions the
     * subject's level checks against.
     */
    synchronized List<String> check(String subject, Schema schema, Integer version) {
        CompatibilityLevel level = level(subject);
        if (version == null) {
            return AvroCompatibility.check(schema, parsedVersions(subject), level);
        }
        SchemaEntry against = version(subject, version).orElseThrow();
        return AvroCompatibility.check(schema, List.of(new Schema.Parser().parse(against.schema())), level);
    }

    /** The level a subject's new versions are checked with: its own when set, else the global one. */
    synchronized CompatibilityLevel level(String subject) {
        return levelBySubject.getOrDefault(subject, globalLevel);
    }

    synchronized Optional<CompatibilityLevel> subjectLevel(String subject) {
        return Optional.ofNullable(levelBySubject.get(subject));
    }

    synchronized CompatibilityLevel globalLevel() {
        return globalLevel;
    }

    /** Sets the level of one subject, or (null subject) the global level. */
    synchronized void setLevel(String subject, CompatibilityLevel level) {
        ConfigEntry entry = new ConfigEntry(subject, level);
        log.append(entry);
        apply(entry);
    }

    /** Removes a subject's own level, so that it follows the global one again; the level it had, if any. */
    synchronized Optional<CompatibilityLevel> clearLevel(String subject) {
        CompatibilityLevel previous = levelBySubject.get(subject);
        if (previous != null) {
            ConfigEntry entry = new ConfigEntry(subject, null);
            log.append(entry);
            apply(entry);
        }
        return Optional.ofNullable(previous);
    }

    private Optional<SchemaEntry> find(String subject, String canonical) {
        return live(subject).values().stream().filter(v -> v.schema().equals(canonical)).findFirst();
    }

    /** The versions of a subject that are not deleted. */
    private TreeMap<Integer, SchemaEntry> live(String subject) {
        TreeMap<Integer, SchemaEntry> live = new TreeMap<>();
        versionsBySubject.getOrDefault(subject, new TreeMap<>()).forEach((number, entry) -> {
            if (!entry.deleted()) {
                live.put(number, entry);
            }
        });
        return live;
    }

    private List<Schema> parsedVersions(String subject) {
        List<Schema> parsed = new ArrayList<>();
        // each version is parsed on its own: versions of one record share full names
        live(subject).values().forEach(v -> parsed.add(new Schema.Parser().parse(v.schema())));
        return parsed;
    }

    private void apply(Entry entry) {
        if (entry instanceof SchemaEntry schema) {
            versionsBySubject.computeIfAbsent(schema.subject(), s -> new TreeMap<>()).put(schema.version(), schema);
            schemaById.putIfAbsent(schema.id(), schema.schema());
            idBySchema.putIfAbsent(schema.schema(), schema.id());
            highestId = Math.max(highestId, schema.id());
        } else if (entry instanceof ConfigEntry config) {
            if (config.subject() == null) {
                globalLevel = config.level() == null ? DEFAULT_LEVEL : config.level();
            } else if (config.level() == null) {
                levelBySubject.remove(config.subject());
            } else {
                levelBySubject.put(config.subject(), config.level());
            }
        }
    }
}
