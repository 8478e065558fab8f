package io.nmstream.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.common.kafka.HangingTransactions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.requests.TransactionResult;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker restarted after SIGKILL drops the markers of a transaction its coordinator ends while the broker is still
 * fenced (KAFKA-20734), and the restarted embedded broker ends such a transaction on its partition as the coordinator
 * decided, so that read_committed readers get past it.
 */
class HangingTransactionsIT {

    private static final TopicPartition ORDERS = new TopicPartition("orders", 0);
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void aTransactionAbortedWhileTheRestartedBrokerIsFencedIsEndedOnItsPartitionAndReadersGetPastIt(@TempDir Path dir)
        throws Exception {
        EmbeddedKafka.Options options = EmbeddedKafka.Options.defaults().withDataDir(dir.resolve("kafka"));
        try (EmbeddedKafka first = EmbeddedKafka.start(options)) {
            try (Admin admin = Admin.create(first.clientProperties())) {
                admin.createTopics(List.of(new NewTopic(ORDERS.topic(), 1, (short) 1))).all().get();
            }
            // a producer that dies with the broker in the middle of a transaction: its coordinator aborts it on timeout
            KafkaProducer<String, String> producer = transactionalProducer(first, "left-open", 1000);
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(ORDERS.topic(), "o-1", "written, never committed")).get();
            first.kill();
            producer.close(Duration.ZERO);
        }

        // restarted without the repair first, to see what Kafka leaves: the coordinator aborts the timed-out transaction
        // within a second of loading it, cannot deliver the markers before the broker is unfenced, and drops them when
        // the fence leaves the partition leaderless. Should Kafka fix this, the first assertion fails: the repair can go.
        int controllerPort = LoopbackPorts.free();
        EmbeddedKafka restarted = EmbeddedKafka.launch(options, new EmbeddedKafka.QuorumSeat(1, 1, "1@127.0.0.1:" + controllerPort,
            controllerPort, org.apache.kafka.common.Uuid.randomUuid().toString()));
        try (restarted; Admin admin = Admin.create(restarted.clientProperties())) {
            restarted.awaitReadyOrClose(WAIT);
            assertThat(restarted.restarted()).isTrue();
            awaitCoordinatorState(admin, "left-open", TransactionState.COMPLETE_ABORT);
            List<HangingTransactions.Hanging> hanging = HangingTransactions.find(admin, WAIT);
            assertThat(hanging).singleElement().satisfies(h -> {
                assertThat(h.partition()).isEqualTo(ORDERS);
                assertThat(h.startOffset()).isZero();
                assertThat(h.transactionalId()).isEqualTo("left-open");
                assertThat(h.decided()).contains(TransactionResult.ABORT);
            });
            assertThat(lastStableOffset(admin)).isZero();

            restarted.endHangingTransactions();

            assertThat(HangingTransactions.find(admin, WAIT)).isEmpty();
            assertThat(lastStableOffset(admin)).isEqualTo(endOffset(admin));
            try (KafkaProducer<String, String> next = transactionalProducer(restarted, "next", 60_000)) {
                next.initTransactions();
                next.beginTransaction();
                next.send(new ProducerRecord<>(ORDERS.topic(), "o-2", "committed"));
                next.commitTransaction();
            }
            // the commit returns once decided; its marker is written after: read up to the end it leaves
            awaitLastStableOffsetAtEnd(admin);
            assertThat(readCommitted(restarted, endOffset(admin))).containsExactly("committed");
        }
    }

    private static KafkaProducer<String, String> transactionalProducer(EmbeddedKafka kafka, String transactionalId, int timeoutMs) {
        Properties props = kafka.clientProperties();
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Integer.toString(timeoutMs));
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private static void awaitCoordinatorState(Admin admin, String transactionalId, TransactionState expected) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        TransactionState state = null;
        while (System.nanoTime() < deadline) {
            state = admin.describeTransactions(List.of(transactionalId)).description(transactionalId).get().state();
            if (state == expected) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(transactionalId + " is " + state + " after " + WAIT + ", expected " + expected);
    }

    private static long lastStableOffset(Admin admin) throws Exception {
        return admin.listOffsets(Map.of(ORDERS, OffsetSpec.latest()), new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
            .partitionResult(ORDERS).get().offset();
    }

    private static void awaitLastStableOffsetAtEnd(Admin admin) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (lastStableOffset(admin) != endOffset(admin)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("last stable offset " + lastStableOffset(admin) + " still behind end " + endOffset(admin));
            }
            Thread.sleep(100);
        }
    }

    private static long endOffset(Admin admin) throws Exception {
        return admin.listOffsets(Map.of(ORDERS, OffsetSpec.latest())).partitionResult(ORDERS).get().offset();
    }

    /**
     * Every value a read_committed consumer reads from the start of the partition to {@code end} (the high watermark: a
     * read_committed consumer's own end offset is the last stable one, which a hanging transaction holds back).
     */
    private static List<String> readCommitted(EmbeddedKafka kafka, long end) {
        Properties props = kafka.clientProperties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(ORDERS));
            consumer.seekToBeginning(List.of(ORDERS));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (consumer.position(ORDERS) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
            assertThat(consumer.position(ORDERS)).as("read_committed position").isEqualTo(end);
        }
        return values;
    }
}
