package io.nmstream.common.kafka;

import io.nmstream.schemas.Topic;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;

/** Builds producers and consumers for a typed {@link Topic} with nmstream's defaults. */
public final class KafkaClients {

    private KafkaClients() {
    }

    /** An idempotent producer with {@code acks=all}, for the topic's key and value types. */
    public static <K, V> KafkaProducer<K, V> producer(Properties base, Topic<K, V> topic, String clientId) {
        Properties props = new Properties();
        props.putAll(base);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return new KafkaProducer<>(props, topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    /**
     * A consumer of the topic's types. With a null {@code groupId} it commits nothing and is meant for
     * {@code assign()} reads from the beginning (projections, replays, idempotence checks).
     */
    public static <K, V> KafkaConsumer<K, V> consumer(Properties base, Topic<K, V> topic, String groupId, String clientId) {
        Properties props = new Properties();
        props.putAll(base);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        if (groupId != null) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        }
        return new KafkaConsumer<>(props, topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }

    /**
     * Closes a consumer made with a null group id without waiting for the broker. It has no offsets to commit and no
     * group to leave; what a close would wait for is the fetch it still has in flight (a consumer that read to the end
     * has one waiting at the broker for up to {@code fetch.max.wait.ms}, 500 ms) before it can close its fetch session,
     * which the broker evicts on its own. Every command that reads a topic to its end would otherwise take half a second
     * longer.
     */
    public static void closeReader(Consumer<?, ?> consumer) {
        consumer.close(CloseOptions.timeout(Duration.ZERO));
    }
}
