package io.nmstream.schemas;

import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

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

    /**
     * The same topic with its records as raw bytes: for clients that move records without decoding them, or that
     * serialize with {@link #keySerde()} and {@link #valueSerde()} themselves (one producer for several topics).
     */
    public Topic<byte[], byte[]> asBytes() {
        return new Topic<>(name, Serdes.ByteArray(), Serdes.ByteArray(), settings);
    }

    /**
     * The same topic with its keys typed and its values as raw bytes: for readers that decode each value themselves, so
     * that a value they cannot decode is set aside instead of failing the poll.
     */
    public Topic<K, byte[]> asValueBytes() {
        return new Topic<>(name, keySerde, Serdes.ByteArray(), settings);
    }

    /** The same topic with its values read and written by {@code serde}: for topics whose values are not registered Avro. */
    public <W> Topic<K, W> withValueSerde(Serde<W> serde) {
        return new Topic<>(name, keySerde, serde, settings);
    }

    @Override
    public String toString() {
        return name;
    }
}
