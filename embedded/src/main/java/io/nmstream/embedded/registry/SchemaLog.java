package io.nmstream.embedded.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nmstream.schemas.registry.CompatibilityLevel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's durable log: a compacted, single-partition Kafka topic holding one record per subject version, per
 * compatibility setting and per mode.
 *
 * <p>Records use Confluent Schema Registry's own {@code _schemas} layout (a JSON key with {@code keytype}, a JSON value),
 * so the topic reads the same to anyone who knows that format. Keys are written with a fixed field order, so that
 * compaction keeps exactly the latest record of each subject version and each setting. A permanently deleted version
 * is a tombstone (null value) on its key, as in Confluent's registry.
 *
 * <p>Ids are never handed out twice, even after compaction has removed the permanently deleted versions that held the
 * highest ones: each permanent delete also writes the highest id handed out so far, in the header
 * {@value #HIGHEST_ID_HEADER} of a record of Confluent's {@code CONTEXT} kind for the default context. That record is
 * the latest of its key, so compaction keeps it; Confluent's registry reads it as the default context and ignores the
 * header.
 */
final class SchemaLog implements AutoCloseable {

    /** One record of the log. */
    sealed interface Entry permits SchemaEntry, SchemaTombstone, ConfigEntry, ModeEntry, IdWatermark {
    }

    /**
     * A subject version as stored: the schema text is canonical. A soft-deleted version stays in the log (compaction
     * keeps it), so its id is never handed out again.
     */
    record SchemaEntry(String subject, int version, int id, String schema, boolean deleted) implements Entry {

        SchemaEntry asDeleted() {
            return new SchemaEntry(subject, version, id, schema, true);
        }
    }

    /** A permanently deleted subject version: gone from every answer, its number free again. */
    record SchemaTombstone(String subject, int version) implements Entry {
    }

    /** A compatibility setting as stored: a null subject is the global level, a null level removes the setting. */
    record ConfigEntry(String subject, CompatibilityLevel level) implements Entry {
    }

    /** A mode as stored: a null subject is the global mode, a null mode removes the setting. */
    record ModeEntry(String subject, RegistryMode mode) implements Entry {
    }

    /** The highest schema id ever handed out, so that a restart never hands it out again. */
    record IdWatermark(int highestId) implements Entry {
    }

    /** Header of the default context's record that carries the highest id handed out. */
    static final String HIGHEST_ID_HEADER = "nmstream.registry.highest-id";

    private static final Logger LOG = LoggerFactory.getLogger(SchemaLog.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEFAULT_TENANT = "default";
    private static final String DEFAULT_CONTEXT = ".";
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);

    private final String topic;
    private final KafkaProducer<String, String> producer;
    private final Properties clientProps;

    private SchemaLog(String topic, Properties clientProps) {
        this.topic = topic;
        this.clientProps = clientProps;
        Properties props = new Properties();
        props.putAll(clientProps);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "schema-registry-writer");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(WRITE_TIMEOUT.toMillis()));
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    /** Opens the log on {@code topic}, creating the topic (compacted, one partition) when it does not exist. */
    static SchemaLog open(Properties clientProps, String topic) {
        ensureTopic(clientProps, topic);
        return new SchemaLog(topic, clientProps);
    }

    String topic() {
        return topic;
    }

    /** Every entry in the topic, oldest first, read up to the end offset the topic had when this was called. */
    List<Entry> readAll(Duration timeout) {
        Properties props = new Properties();
        props.putAll(clientProps);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "schema-registry-reader");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        List<Entry> entries = new ArrayList<>();
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), timeout).get(partition);
            Instant deadline = Instant.now().plus(timeout);
            while (consumer.position(partition, timeout) < end) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("Could not read the registry's topic " + topic + " up to offset " + end
                        + " within " + timeout);
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    parse(record).ifPresent(entries::add);
                }
            }
        }
        return entries;
    }

    /** Writes a subject version and waits until the broker has acknowledged it. */
    void append(SchemaEntry entry) {
        ObjectNode value = JSON.createObjectNode();
        value.put("subject", entry.subject());
        value.put("version", entry.version());
        value.put("id", entry.id());
        value.put("schema", entry.schema());
        value.put("deleted", entry.deleted());
        write(schemaKey(entry.subject(), entry.version()), value.toString(), List.of());
    }

    /** Writes the tombstone of a permanently deleted subject version and waits for the acknowledgement. */
    void append(SchemaTombstone tombstone) {
        write(schemaKey(tombstone.subject(), tombstone.version()), null, List.of());
    }

    /** Writes the highest id handed out and waits for the acknowledgement. */
    void append(IdWatermark watermark) {
        ObjectNode key = JSON.createObjectNode();
        key.put("keytype", "CONTEXT");
        key.put("tenant", DEFAULT_TENANT);
        key.put("context", DEFAULT_CONTEXT);
        key.put("magic", 0);
        String value = JSON.createObjectNode().put("tenant", DEFAULT_TENANT).put("context", DEFAULT_CONTEXT).toString();
        write(key.toString(), value, List.of(new RecordHeader(HIGHEST_ID_HEADER,
            Integer.toString(watermark.highestId()).getBytes(StandardCharsets.UTF_8))));
    }

    /** The key of a subject version, in Confluent's field order. */
    private static String schemaKey(String subject, int version) {
        ObjectNode key = JSON.createObjectNode();
        key.put("keytype", "SCHEMA");
        key.put("subject", subject);
        key.put("version", version);
        key.put("magic", 1);
        return key.toString();
    }

    /** Writes (or, with a null level, removes) a compatibility setting and waits for the acknowledgement. */
    void append(ConfigEntry entry) {
        ObjectNode key = JSON.createObjectNode();
        key.put("keytype", "CONFIG");
        if (entry.subject() == null) {
            key.putNull("subject");
        } else {
            key.put("subject", entry.subject());
        }
        key.put("magic", 0);
        String value = null;
        if (entry.level() != null) {
            value = JSON.createObjectNode().put("compatibilityLevel", entry.level().name()).toString();
        }
        write(key.toString(), value, List.of());
    }

    /** Writes (or, with a null mode, removes) a mode, as Confluent does (no subject field for the global one). */
    void append(ModeEntry entry) {
        ObjectNode key = JSON.createObjectNode();
        key.put("keytype", "MODE");
        if (entry.subject() != null) {
            key.put("subject", entry.subject());
        }
        key.put("magic", 0);
        String value = null;
        if (entry.mode() != null) {
            ObjectNode mode = JSON.createObjectNode();
            if (entry.subject() != null) {
                mode.put("subject", entry.subject());
            }
            value = mode.put("mode", entry.mode().name()).toString();
        }
        write(key.toString(), value, List.of());
    }

    private void write(String key, String value, List<Header> headers) {
        try {
            producer.send(new ProducerRecord<>(topic, 0, null, key, value, headers)).get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw storeError("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw storeError(e.getCause() == null ? e.toString() : e.getCause().toString(), e);
        }
    }

    private RegistryException storeError(String detail, Exception cause) {
        return new RegistryException(500, RegistryException.STORE_ERROR,
            "Error while writing to the registry's storage topic " + topic + ": " + detail, cause);
    }

    /**
     * The entry a record holds; empty for record kinds this registry does not keep (NOOP, other contexts) and for a record
     * not in the registry's format.
     */
    private Optional<Entry> parse(ConsumerRecord<String, String> record) {
        try {
            JsonNode key = JSON.readTree(record.key());
            String keytype = key.path("keytype").asText("");
            String subject = key.path("subject").isTextual() ? key.path("subject").asText() : null;
            if ("SCHEMA".equals(keytype)) {
                if (record.value() == null) {
                    return Optional.of(new SchemaTombstone(subject, key.path("version").asInt()));
                }
                JsonNode value = JSON.readTree(record.value());
                SchemaEntry entry = new SchemaEntry(value.path("subject").asText(), value.path("version").asInt(),
                    value.path("id").asInt(), value.path("schema").asText(), value.path("deleted").asBoolean(false));
                if (entry.subject().isEmpty() || entry.version() < 1 || entry.id() < 1 || entry.schema().isEmpty()) {
                    throw new IllegalArgumentException("a schema entry needs a subject, a version and an id of 1 or more, and a schema");
                }
                return Optional.of(entry);
            }
            if ("CONFIG".equals(keytype)) {
                CompatibilityLevel level = record.value() == null ? null
                    : CompatibilityLevel.parse(JSON.readTree(record.value()).path("compatibilityLevel").asText());
                return Optional.of(new ConfigEntry(subject, level));
            }
            if ("MODE".equals(keytype)) {
                RegistryMode mode = record.value() == null ? null : RegistryMode.parse(JSON.readTree(record.value()).path("mode").asText());
                return Optional.of(new ModeEntry(subject, mode));
            }
            Header highestId = record.headers().lastHeader(HIGHEST_ID_HEADER);
            if ("CONTEXT".equals(keytype) && highestId != null) {
                return Optional.of(new IdWatermark(Integer.parseInt(new String(highestId.value(), StandardCharsets.UTF_8))));
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            // as Confluent's registry does: a record no registry wrote is skipped, so that it cannot keep the registry down
            LOG.warn("Registry topic {} holds a record at offset {} that is not in the registry's format; skipped: {}", topic,
                record.offset(), e.getMessage());
            return Optional.empty();
        }
    }

    /** Creates the topic, or checks that an existing one has the settings the registry relies on. */
    private static void ensureTopic(Properties clientProps, String topic) {
        try (Admin admin = Admin.create(clientProps)) {
            NewTopic wanted = new NewTopic(topic, Optional.of(1), Optional.empty())
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            try {
                admin.createTopics(List.of(wanted)).all().get(30, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("Cannot create the registry's topic " + topic + ": " + e.getCause(), e);
                }
            }
            TopicDescription description = admin.describeTopics(Set.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
            if (description.partitions().size() != 1) {
                throw new IllegalStateException("The registry's topic " + topic + " has " + description.partitions().size()
                    + " partitions; it must have exactly 1 so that schema ids are handed out in one order");
            }
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = admin.describeConfigs(Set.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
            String cleanup = config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
            if (!cleanup.contains(TopicConfig.CLEANUP_POLICY_COMPACT) || cleanup.contains(TopicConfig.CLEANUP_POLICY_DELETE)) {
                throw new IllegalStateException("The registry's topic " + topic + " has cleanup.policy=" + cleanup
                    + "; it must be compact, or old schemas would be deleted and their ids lost");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while preparing the registry's topic " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot check the registry's topic " + topic + ": " + e, e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
