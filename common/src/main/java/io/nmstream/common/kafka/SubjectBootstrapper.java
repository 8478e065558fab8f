package io.nmstream.common.kafka;

import io.nmstream.schemas.Topic;
import io.nmstream.schemas.registry.SchemaRegistryClient;
import io.nmstream.schemas.serde.AvroSerde;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the published value schema of each of nmstream's Avro topics under its subject ({@code <topic>-value}), so
 * that the subjects exist before anything is written: a client that only uses what is registered
 * ({@code auto.register.schemas=false}, {@code use.latest.version=true}, as GitOps publishers are often set up) then
 * succeeds on its first record.
 *
 * <p>Idempotent: registering a schema a subject already has changes nothing. Runs next to {@link TopicBootstrapper}.
 */
public final class SubjectBootstrapper {

    private static final Logger LOG = LoggerFactory.getLogger(SubjectBootstrapper.class);

    private SubjectBootstrapper() {
    }

    /**
     * Registers the value schema of every topic whose values are Avro; topics of raw bytes (dead letters) have none.
     *
     * @return the schema id of each subject registered, in the order of {@code topics}
     * @throws io.nmstream.schemas.registry.SchemaRegistryException when the registry refuses one, naming the subject
     */
    public static Map<String, Integer> ensure(Collection<Topic<?, ?>> topics) {
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (Topic<?, ?> topic : topics) {
            if (topic.valueSerde() instanceof AvroSerde<?> avro) {
                ids.put(SchemaRegistryClient.valueSubject(topic.name()), avro.register(topic.name()));
            }
        }
        LOG.info("Registered subjects {}", ids);
        return ids;
    }
}
