package io.nmstream.embedded.registry;

import io.nmstream.embedded.registry.SchemaLog.ConfigEntry;
import io.nmstream.embedded.registry.SchemaLog.Entry;
import io.nmstream.embedded.registry.SchemaLog.IdWatermark;
import io.nmstream.embedded.registry.SchemaLog.ModeEntry;
import io.nmstream.embedded.registry.SchemaLog.SchemaEntry;
import io.nmstream.embedded.registry.SchemaLog.SchemaTombstone;
import io.nmstream.schemas.registry.AvroCompatibility;
import io.nmstream.schemas.registry.CompatibilityLevel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.avro.Schema;

/**
 * The registry's subjects, versions, global schema ids, compatibility levels and modes, and the rules for changing them
 * (Confluent's): an equal schema registered again keeps its version and id; an equal schema under another subject gets
 * the same id; a new version must pass the subject's compatibility level, checked with Avro's own checker; in
 * {@link RegistryMode#READONLY} nothing changes, in {@link RegistryMode#IMPORT} only registrations naming their id.
 *
 * <p>Every change is written to the {@link SchemaLog} and acknowledged by the broker before it is applied here and
 * answered, so nothing a client was told is lost on restart. One registry writes a topic at a time.
 *
 * <p>Deleting is soft first, as in Confluent's registry: a soft-deleted version leaves the subject's answers, lookups
 * and compatibility checks (unless asked for with {@code deleted=true}), but its id keeps naming its schema (records
 * written with it stay readable) and version numbers go on after it. Only a soft-deleted version can then be deleted
 * permanently: it is gone from every answer, and its id names nothing once no version uses it; the id is never handed
 * out again.
 */
final class SchemaStore {

    /** Confluent's default level. */
    static final CompatibilityLevel DEFAULT_LEVEL = CompatibilityLevel.BACKWARD;
    /** Confluent's default mode. */
    static final RegistryMode DEFAULT_MODE = RegistryMode.READWRITE;

    /** Which versions (or subjects) an answer includes, as Confluent's {@code deleted} and {@code deletedOnly} say. */
    enum Deleted {
        /** Versions that are not deleted; subjects with at least one. */
        EXCLUDED(entry -> !entry.deleted()),
        /** Every version; every subject with a version, deleted or not. */
        INCLUDED(entry -> true),
        /** Soft-deleted versions only; subjects whose versions are all deleted. */
        ONLY(SchemaEntry::deleted);

        private final Predicate<SchemaEntry> includes;

        Deleted(Predicate<SchemaEntry> includes) {
            this.includes = includes;
        }
    }

    private final SchemaLog log;
    private final Map<String, TreeMap<Integer, SchemaEntry>> versionsBySubject = new TreeMap<>();
    private final Map<Integer, String> schemaById = new HashMap<>();
    private final Map<String, Integer> idBySchema = new HashMap<>();
    private final Map<String, CompatibilityLevel> levelBySubject = new HashMap<>();
    private final Map<String, RegistryMode> modeBySubject = new HashMap<>();
    private CompatibilityLevel globalLevel = DEFAULT_LEVEL;
    private RegistryMode globalMode = DEFAULT_MODE;
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
     *
     * @param version the version the client says it registers, or null; refused unless it is the one the schema gets
     * @throws RegistryException 42205 unless the subject is in {@link RegistryMode#READWRITE}
     */
    synchronized SchemaEntry register(String subject, Schema schema, Integer version) {
        RegistryMode mode = modeInScope(subject);
        if (mode != RegistryMode.READWRITE) {
            throw RegistryException.notPermitted("Subject '" + subject + "' is in " + mode + " mode" + (mode == RegistryMode.IMPORT
                ? ": registrations must name their schema id" : ": no schema can be registered"));
        }
        String canonical = schema.toString();
        Optional<SchemaEntry> existing = find(subject, canonical, Deleted.EXCLUDED);
        int next = nextVersion(subject);
        if (version != null && !version.equals(existing.map(SchemaEntry::version).orElse(next))) {
            throw RegistryException.invalidSchema("Version " + version + " was asked for, but the schema "
                + existing.map(e -> "is version " + e.version()).orElse("would be version " + next) + " of subject '" + subject + "'");
        }
        if (existing.isPresent()) {
            return existing.get();
        }
        List<String> problems = AvroCompatibility.check(schema, parsedVersions(subject), level(subject));
        if (!problems.isEmpty()) {
            throw new RegistryException(409, RegistryException.INCOMPATIBLE_SCHEMA,
                "Schema being registered is incompatible with an earlier schema for subject '" + subject + "' (compatibility level "
                    + level(subject) + "): " + String.join("; ", problems));
        }
        int id = idBySchema.getOrDefault(canonical, highestId + 1);
        return write(new SchemaEntry(subject, next, id, canonical, false));
    }

    /**
     * Imports {@code schema} under {@code subject} with the id (and version) it has in the registry it comes from, as
     * Confluent's registry does in {@link RegistryMode#IMPORT}: no compatibility check, the id kept.
     *
     * @param version the version to import as, or null for the subject's next one
     * @throws RegistryException 42205 unless the subject is in {@link RegistryMode#IMPORT}, when the id names another
     *     schema, or when the version exists with another schema
     */
    synchronized SchemaEntry importSchema(String subject, Schema schema, int id, Integer version) {
        RegistryMode mode = modeInScope(subject);
        if (mode != RegistryMode.IMPORT) {
            throw RegistryException.notPermitted("Subject '" + subject + "' is in " + mode + " mode, not IMPORT: a registration "
                + "that names its schema id (" + id + ") is an import");
        }
        String canonical = schema.toString();
        String named = schemaById.get(id);
        if (named != null && !named.equals(canonical)) {
            throw RegistryException.notPermitted("Overwrite new schema with id " + id + " is not permitted: the id names another schema");
        }
        int number = version == null ? nextVersion(subject) : version;
        SchemaEntry there = versionsBySubject.getOrDefault(subject, new TreeMap<>()).get(number);
        if (there != null) {
            if (there.id() == id && there.schema().equals(canonical) && !there.deleted()) {
                return there;
            }
            throw RegistryException.notPermitted("Subject '" + subject + "' already has a version " + number + " (schema id "
                + there.id() + (there.deleted() ? ", soft-deleted" : "") + ")");
        }
        return write(new SchemaEntry(subject, number, id, canonical, false));
    }

    /** The version of {@code subject} holding a schema equal to {@code schema}, the newest that is not deleted first. */
    synchronized Optional<SchemaEntry> lookup(String subject, Schema schema, Deleted deleted) {
        String canonical = schema.toString();
        return find(subject, canonical, Deleted.EXCLUDED).or(() -> find(subject, canonical, deleted));
    }

    /** The canonical text of the schema with this global id, while a version (soft-deleted or not) uses it. */
    synchronized Optional<String> schemaById(int id) {
        return Optional.ofNullable(schemaById.get(id));
    }

    /** The subject versions that use the schema with this global id, by subject then version; empty for an unknown id. */
    synchronized Optional<List<SchemaEntry>> usesOf(int id, Deleted deleted) {
        if (!schemaById.containsKey(id)) {
            return Optional.empty();
        }
        List<SchemaEntry> uses = new ArrayList<>();
        versionsBySubject.values().forEach(versions -> versions.values().stream()
            .filter(v -> v.id() == id && deleted.includes.test(v)).forEach(uses::add));
        return Optional.of(uses);
    }

    /** Subjects whose versions {@code deleted} includes, in name order. */
    synchronized List<String> subjects(Deleted deleted) {
        return versionsBySubject.keySet().stream().filter(subject -> switch (deleted) {
            case EXCLUDED -> hasVersions(subject, Deleted.EXCLUDED);
            case INCLUDED -> hasVersions(subject, Deleted.INCLUDED);
            case ONLY -> hasVersions(subject, Deleted.INCLUDED) && !hasVersions(subject, Deleted.EXCLUDED);
        }).toList();
    }

    /** Whether the subject has a version that {@code deleted} includes. */
    synchronized boolean hasVersions(String subject, Deleted deleted) {
        return !versions(subject, deleted).isEmpty();
    }

    /** A subject's versions that {@code deleted} includes, oldest first. */
    synchronized List<SchemaEntry> versions(String subject, Deleted deleted) {
        return versionsBySubject.getOrDefault(subject, new TreeMap<>()).values().stream().filter(deleted.includes).toList();
    }

    /**
     * One version of a subject; a null version means the latest that is not deleted (as in Confluent's registry, even
     * when deleted ones are asked for).
     */
    synchronized Optional<SchemaEntry> version(String subject, Integer version, Deleted deleted) {
        if (version == null) {
            List<SchemaEntry> live = versions(subject, Deleted.EXCLUDED);
            return live.isEmpty() ? Optional.empty() : Optional.of(live.get(live.size() - 1));
        }
        return Optional.ofNullable(versionsBySubject.getOrDefault(subject, new TreeMap<>()).get(version)).filter(deleted.includes);
    }

    /**
     * Deletes every version of a subject: softly, or permanently those already soft-deleted (with the subject's own
     * compatibility level and mode).
     *
     * @return the numbers of the versions deleted
     * @throws RegistryException 40401 for a subject without versions, 40404 when soft-deleting one already
     *     soft-deleted, 42205 in {@link RegistryMode#READONLY}, 40405 when permanently deleting versions not
     *     soft-deleted first
     */
    synchronized List<Integer> deleteSubject(String subject, boolean permanent) {
        if (!hasVersions(subject, Deleted.INCLUDED)) {
            throw RegistryException.subjectNotFound(subject);
        }
        if (!permanent && !hasVersions(subject, Deleted.EXCLUDED)) {
            throw new RegistryException(404, RegistryException.SUBJECT_SOFT_DELETED, "Subject '" + subject + "' was soft deleted. "
                + "Set permanent=true to delete permanently");
        }
        refuseInReadOnly(subject);
        if (permanent && hasVersions(subject, Deleted.EXCLUDED)) {
            throw new RegistryException(404, RegistryException.SUBJECT_NOT_SOFT_DELETED, "Subject '" + subject + "' was not deleted "
                + "first before being permanently deleted");
        }
        List<SchemaEntry> deleted = versions(subject, permanent ? Deleted.ONLY : Deleted.EXCLUDED);
        if (permanent) {
            deletePermanently(deleted);
        } else {
            deleted.forEach(entry -> write(entry.asDeleted()));
        }
        return deleted.stream().map(SchemaEntry::version).toList();
    }

    /**
     * Deletes one version: softly, or permanently one already soft-deleted.
     *
     * @param version the version number, or null for the latest that is not deleted
     * @return the number of the version deleted
     * @throws RegistryException 40406 when soft-deleting a soft-deleted version, 40401 or 40402 when there is no
     *     such subject or version, 42205 in {@link RegistryMode#READONLY}, 40407 when permanently deleting a version
     *     not soft-deleted first
     */
    synchronized int deleteVersion(String subject, Integer version, boolean permanent) {
        String named = version == null ? "latest" : version.toString();
        Optional<SchemaEntry> any = version(subject, version, Deleted.INCLUDED);
        if (!permanent && any.isPresent() && any.get().deleted()) {
            throw new RegistryException(404, RegistryException.VERSION_SOFT_DELETED, "Subject '" + subject + "' Version " + named
                + " was soft deleted. Set permanent=true to delete permanently");
        }
        if (any.isEmpty()) {
            throw hasVersions(subject, Deleted.INCLUDED) ? RegistryException.versionNotFound(subject, named)
                : RegistryException.subjectNotFound(subject);
        }
        refuseInReadOnly(subject);
        SchemaEntry entry = any.get();
        if (!permanent) {
            write(entry.asDeleted());
            return entry.version();
        }
        if (!entry.deleted()) {
            throw new RegistryException(404, RegistryException.VERSION_NOT_SOFT_DELETED, "Subject '" + subject + "' Version "
                + entry.version() + " was not deleted first before being permanently deleted");
        }
        deletePermanently(List.of(entry));
        return entry.version();
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
        SchemaEntry against = version(subject, version, Deleted.EXCLUDED).orElseThrow();
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

    /** Sets the level of one subject, or (null subject) the global level; refused in {@link RegistryMode#READONLY}. */
    synchronized void setLevel(String subject, CompatibilityLevel level) {
        refuseInReadOnly(subject);
        write(new ConfigEntry(subject, level));
    }

    /**
     * Removes a subject's own level, so that it follows the global one again, or (null subject) resets the global level
     * to the default; the level it had, if any. Refused in {@link RegistryMode#READONLY}.
     */
    synchronized Optional<CompatibilityLevel> clearLevel(String subject) {
        refuseInReadOnly(subject);
        Optional<CompatibilityLevel> previous = subject == null ? Optional.of(globalLevel) : subjectLevel(subject);
        if (previous.isPresent()) {
            write(new ConfigEntry(subject, null));
        }
        return previous;
    }

    /** The mode a subject is in: its own when set, else the global one. */
    synchronized RegistryMode modeInScope(String subject) {
        return subject == null ? globalMode : modeBySubject.getOrDefault(subject, globalMode);
    }

    synchronized Optional<RegistryMode> subjectMode(String subject) {
        return Optional.ofNullable(modeBySubject.get(subject));
    }

    synchronized RegistryMode globalMode() {
        return globalMode;
    }

    /**
     * Sets the mode of one subject, or (null subject) the global mode. Entering {@link RegistryMode#IMPORT} needs the
     * subject (or, globally, every subject) to have no version that is not deleted, unless {@code force}; the
     * soft-deleted ones are then deleted permanently, so that imported versions can take their numbers (as Confluent's
     * registry does).
     *
     * @throws RegistryException 42205 when entering IMPORT over existing versions without {@code force}
     */
    synchronized void setMode(String subject, RegistryMode mode, boolean force) {
        if (mode == RegistryMode.IMPORT && modeInScope(subject) != RegistryMode.IMPORT && !force) {
            List<String> inScope = subject == null ? subjects(Deleted.INCLUDED) : List.of(subject);
            if (inScope.stream().anyMatch(s -> hasVersions(s, Deleted.EXCLUDED))) {
                throw RegistryException.notPermitted("Cannot import since found existing subjects"
                    + (subject == null ? "" : ": '" + subject + "' has versions") + "; delete them first or set force=true");
            }
            deletePermanently(inScope.stream().flatMap(s -> versions(s, Deleted.ONLY).stream()).toList());
        }
        write(new ModeEntry(subject, mode));
    }

    /** Removes a subject's own mode, or (null subject) resets the global one to the default; the mode it had, if any. */
    synchronized Optional<RegistryMode> clearMode(String subject) {
        Optional<RegistryMode> previous = subject == null ? Optional.of(globalMode) : subjectMode(subject);
        if (previous.isPresent()) {
            write(new ModeEntry(subject, null));
        }
        return previous;
    }

    private void refuseInReadOnly(String subject) {
        if (modeInScope(subject) == RegistryMode.READONLY) {
            throw RegistryException.notPermitted(subject == null ? "The registry is in READONLY mode"
                : "Subject '" + subject + "' is in READONLY mode");
        }
    }

    /**
     * Tombstones soft-deleted versions; a subject left without versions loses its own level and mode too, as in
     * Confluent's registry. The highest id handed out is written first, so that no crash and no compaction can let an
     * id be handed out again once the versions that held it are gone.
     */
    private void deletePermanently(List<SchemaEntry> versions) {
        if (versions.isEmpty()) {
            return;
        }
        write(new IdWatermark(highestId));
        for (SchemaEntry entry : versions) {
            write(new SchemaTombstone(entry.subject(), entry.version()));
            String subject = entry.subject();
            if (!hasVersions(subject, Deleted.INCLUDED)) {
                if (levelBySubject.containsKey(subject)) {
                    write(new ConfigEntry(subject, null));
                }
                if (modeBySubject.containsKey(subject)) {
                    write(new ModeEntry(subject, null));
                }
            }
        }
    }

    /** After every version ever given that was not permanently deleted, so a number never means two live schemas. */
    private int nextVersion(String subject) {
        TreeMap<Integer, SchemaEntry> versions = versionsBySubject.get(subject);
        return versions == null || versions.isEmpty() ? 1 : versions.lastKey() + 1;
    }

    private Optional<SchemaEntry> find(String subject, String canonical, Deleted deleted) {
        List<SchemaEntry> matches = versions(subject, deleted).stream().filter(v -> v.schema().equals(canonical)).toList();
        return matches.isEmpty() ? Optional.empty() : Optional.of(matches.get(matches.size() - 1));
    }

    private List<Schema> parsedVersions(String subject) {
        List<Schema> parsed = new ArrayList<>();
        // each version is parsed on its own: versions of one record share full names
        versions(subject, Deleted.EXCLUDED).forEach(v -> parsed.add(new Schema.Parser().parse(v.schema())));
        return parsed;
    }

    /** Writes an entry to the log and, once the broker has it, applies it here. */
    private <E extends Entry> E write(E entry) {
        if (entry instanceof SchemaEntry schema) {
            log.append(schema);
        } else if (entry instanceof SchemaTombstone tombstone) {
            log.append(tombstone);
        } else if (entry instanceof ConfigEntry config) {
            log.append(config);
        } else if (entry instanceof ModeEntry mode) {
            log.append(mode);
        } else if (entry instanceof IdWatermark watermark) {
            log.append(watermark);
        }
        apply(entry);
        return entry;
    }

    private Stream<SchemaEntry> allVersions() {
        return versionsBySubject.values().stream().flatMap(versions -> versions.values().stream());
    }

    private void apply(Entry entry) {
        if (entry instanceof SchemaEntry schema) {
            versionsBySubject.computeIfAbsent(schema.subject(), s -> new TreeMap<>()).put(schema.version(), schema);
            schemaById.putIfAbsent(schema.id(), schema.schema());
            idBySchema.putIfAbsent(schema.schema(), schema.id());
            highestId = Math.max(highestId, schema.id());
        } else if (entry instanceof SchemaTombstone tombstone) {
            TreeMap<Integer, SchemaEntry> versions = versionsBySubject.getOrDefault(tombstone.subject(), new TreeMap<>());
            SchemaEntry removed = versions.remove(tombstone.version());
            if (versions.isEmpty()) {
                versionsBySubject.remove(tombstone.subject());
            }
            if (removed != null && allVersions().noneMatch(v -> v.id() == removed.id())) {
                schemaById.remove(removed.id());
                idBySchema.remove(removed.schema(), removed.id());
                // an imported copy of the schema under another id keeps naming it
                allVersions().filter(v -> v.schema().equals(removed.schema())).findFirst()
                    .ifPresent(v -> idBySchema.putIfAbsent(v.schema(), v.id()));
            }
        } else if (entry instanceof ConfigEntry config) {
            if (config.subject() == null) {
                globalLevel = config.level() == null ? DEFAULT_LEVEL : config.level();
            } else if (config.level() == null) {
                levelBySubject.remove(config.subject());
            } else {
                levelBySubject.put(config.subject(), config.level());
            }
        } else if (entry instanceof ModeEntry mode) {
            if (mode.subject() == null) {
                globalMode = mode.mode() == null ? DEFAULT_MODE : mode.mode();
            } else if (mode.mode() == null) {
                modeBySubject.remove(mode.subject());
            } else {
                modeBySubject.put(mode.subject(), mode.mode());
            }
        } else if (entry instanceof IdWatermark watermark) {
            highestId = Math.max(highestId, watermark.highestId());
        }
    }
}
