package io.nmstream.schemas;

import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * A typed Kafka topic: its name, the serdes of its keys and values, and the settings it must be created with.
 *
 * <p>Every topic nmstream uses is declared once, in {@link Topics}; code asks that catalogue for a descriptor instead of
 * naming topics with string literals.
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, TopicSettings settings) {

    public Topic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keySerde, "keySerde");
        Objects.requireNonNull(valueSerde, "valueSerde");
        Objects.requireNonNull(settings, "settings");
    }

    @Override
    public String toString() {
        return name;
    }
}
