package io.nmstream.embedded.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nmstream.schemas.registry.CompatibilityLevel;
import java.io.IOException;
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
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The registry's durable log: a compacted, single-partition Kafka topic holding one record per subject version and per
 * compatibility setting.
 *
 * <p>Records use Confluent Schema Registry's own {@code _schemas} layout (a JSON key with {@code keytype}, a JSON value),
 * so the topic reads the same to anyone who knows that format. Keys are written with a fixed field order, so that
 * compaction keeps exactly the latest record of each subject version and each setting.
 */
final class SchemaLog implements AutoCloseable {

    /** One record of the log. */
    sealed interface Entry permits SchemaEntry, ConfigEntry {
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

    /** A compatibility setting as stored: a null subject is the global level, a null level removes the setting. */
    record ConfigEntry(String subject, CompatibilityLevel level) implements Entry {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
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
        ObjectNode key = JSON.createObjectNode();
        key.put("keytype", "SCHEMA");
        key.put("subject", entry.subject());
        key.put("version", entry.version());
        key.put("magic", 1);
        ObjectNode value = JSON.createObjectNode();
        value.put("subject", entry.subject());
        value.put("version", entry.version());
        value.put("id", entry.id());
        value.put("schema", entry.schema());
        value.put("deleted", entry.deleted());
        write(key.toString(), value.toString());
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
        write(key.toString(), value);
    }

    private void write(String key, String value) {
        try {
            producer.send(new ProducerRecord<>(topic, 0, key, value)).get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
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

    /** The entry a record holds; empty for record kinds this registry does not keep (NOOP, MODE, permanent deletes). */
    private Optional<Entry> parse(ConsumerRecord<String, String> record) {
        try {
            JsonNode key = JSON.readTree(record.key());
            String keytype = key.path("keytype").asText("");
            if ("SCHEMA".equals(keytype)) {
                if (record.value() == null) {
                    return Optional.empty();
                }
                JsonNode value = JSON.readTree(record.value());
                return Optional.of(new SchemaEntry(value.path("subject").asText(), value.path("version").asInt(),
                    value.path("id").asInt(), value.path("schema").asText(), value.path("deleted").asBoolean(false)));
            }
            if ("CONFIG".equals(keytype)) {
                String subject = key.path("subject").isTextual() ? key.path("subject").asText() : null;
                CompatibilityLevel level = record.value() == null ? null
                    : CompatibilityLevel.parse(JSON.readTree(record.value()).path("compatibilityLevel").asText());
                return Optional.of(new ConfigEntry(subject, level));
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("Registry topic " + topic + " holds a record at offset " + record.offset()
                + " that is not in the registry's format: " + e.getMessage(), e);
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
