package io.nmstream.schemas.registry;

import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry contract that nmstream's serdes need.
 *
 * <p>{@link RestSchemaRegistryClient} speaks it over HTTP to Confluent Schema Registry, Karapace, Apicurio's
 * Confluent-compatible API or nmstream's embedded registry. {@link InMemorySchemaRegistryClient} keeps it in memory for
 * tests that run without a network ({@code TopologyTestDriver}).
 */
public interface SchemaRegistryClient {

    /** Registers {@code schema} under {@code subject} (idempotent) and returns its global id. */
    int register(String subject, Schema schema);

    /** The schema with this global id. */
    Schema getById(int id);

    /** The id of {@code schema} if it is already registered under {@code subject}. */
    Optional<Integer> lookup(String subject, Schema schema);

    /**
     * Checks {@code schema} against the latest version of {@code subject} under the subject's compatibility level.
     *
     * @return the incompatibilities found, each naming the field; empty when compatible (or when the subject is new)
     */
    List<String> testCompatibility(String subject, Schema schema);

    /** TopicNameStrategy: the subject of a topic's values. */
    static String valueSubject(String topic) {
        return topic + "-value";
    }

    /** TopicNameStrategy: the subject of a topic's keys. */
    static String keySubject(String topic) {
        return topic + "-key";
    }
}
