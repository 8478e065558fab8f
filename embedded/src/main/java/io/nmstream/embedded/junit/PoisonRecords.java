package io.nmstream.embedded.junit;

import io.nmstream.common.kafka.KafkaClients;
import io.nmstream.common.kafka.RejectedRecords;
import io.nmstream.embedded.EmbeddedCluster;
import io.nmstream.schemas.Digests;
import io.nmstream.schemas.Topic;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.PolicyAction;
import io.nmstream.schemas.avro.PolicyEvent;
import io.nmstream.schemas.avro.PolicySource;
import io.nmstream.schemas.avro.SourceKind;
import io.nmstream.schemas.contract.ContractViolation.Rule;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Records no reader may act on, for the tests that prove every reader survives them: bytes that do not decode (random
 * bytes, a wire-format frame naming a schema id the registry never gave out) and policy events that decode but break
 * the event contract (a key that is not the name, a negative generation, a digest that is not the desired state's),
 * and a reader of the dead-letter topic they end up in.
 */
public final class PoisonRecords {

    /**
     * One poison record.
     *
     * @param key the record key
     * @param value the value bytes
     * @param reason the {@code reason} tag readers count it under
     */
    public record Poison(String key, byte[] value, String reason) {
    }

    private static final String DESIRED_STATE = "{\"interfaces\":[{\"name\":\"eth1\",\"state\":\"up\",\"type\":\"ethernet\"}]}";

    private PoisonRecords() {
    }

    /** The five poison records of the policies topic of {@code topics} (Avro values registered with its registry). */
    public static List<Poison> policies(Topics topics) {
        byte[] random = new byte[64];
        new Random(7).nextBytes(random);
        // magic byte 0 and a schema id no registry handed out: framed like a record, but nobody can read it
        byte[] unknownSchema = {0, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xfe, 2, 'x'};
        return List.of(
            new Poison("garbage", random, RejectedRecords.UNDECODABLE),
            new Poison("unknown-schema", unknownSchema, RejectedRecords.UNDECODABLE),
            new Poison("not-the-key", avro(topics, policy("eth1-policy", 1).setDesiredStateDigest(Digests.sha256Hex(DESIRED_STATE))),
                Rule.KEY.tag()),
            new Poison("negative", avro(topics, policy("negative", -7)), Rule.GENERATION.tag()),
            new Poison("bad-digest", avro(topics, policy("bad-digest", 1).setDesiredStateDigest("d1")), Rule.DIGEST.tag()));
    }

    /** Writes {@code poison} to {@code topic} and waits until the broker has it. */
    public static void send(EmbeddedCluster cluster, Topic<?, ?> topic, List<Poison> poison) {
        try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(cluster.settings().clientProperties(), topic.asBytes(),
            "poison-writer")) {
            for (Poison record : poison) {
                producer.send(new ProducerRecord<>(topic.name(), record.key().getBytes(StandardCharsets.UTF_8), record.value())).get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot write poison records to " + topic, e.getCause());
        }
    }

    /** Every record of the dead-letter topic of {@code topics} up to its current end: what readers set aside. */
    public static List<ConsumerRecord<byte[], byte[]>> deadLetters(EmbeddedCluster cluster, Topics topics) {
        Topic<byte[], byte[]> topic = topics.deadLetters();
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(cluster.settings().clientProperties(), topic, null,
            "dead-letter-reader")) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            Instant deadline = Instant.now().plusSeconds(30);
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("Could not read " + topic.name() + " to its end");
                }
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
            return records;
        }
    }

    private static PolicyEvent.Builder policy(String name, long generation) {
        return PolicyEvent.newBuilder().setAction(PolicyAction.UPSERT).setName(name).setUid("uid-" + name).setGeneration(generation)
            .setNodeSelector(Map.of()).setMaxUnavailable("1").setDesiredState(DESIRED_STATE)
            .setDesiredStateDigest(Digests.sha256Hex(DESIRED_STATE))
            .setSource(PolicySource.newBuilder().setKind(SourceKind.CLI).setOrigin("poison").build())
            .setEventTime(Instant.parse("2026-01-01T00:00:00Z"));
    }

    private static byte[] avro(Topics topics, PolicyEvent.Builder event) {
        return topics.policies().valueSerde().serializer().serialize(topics.policies().name(), event.build());
    }
}
