package io.nmstream.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nmstream.embedded.EmbeddedCluster;
import io.nmstream.embedded.EmbeddedKafka;
import io.nmstream.embedded.junit.EmbeddedClusterExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a reconciler that cannot get going says about open transactions, on the real broker: a transaction left open by
 * one of the application's producers is named with its partitions, another application's is not, and once it is
 * committed there is none; a transaction a killed broker left hanging on a partition is named with what to do about it.
 */
@ExtendWith(EmbeddedClusterExtension.class)
class OpenTransactionsIT {

    @Test
    void namesTheApplicationsOpenTransactionWithItsPartitionsUntilItEnds(EmbeddedCluster cluster) throws Exception {
        String application = "open-txn-" + UUID.randomUUID().toString().substring(0, 8);
        String topic = application + "-input";
        Properties client = cluster.settings().clientProperties();
        try (Admin admin = Admin.create(client);
             KafkaProducer<String, String> ours = transactional(client, application + "-process-1");
             KafkaProducer<String, String> theirs = transactional(client, "other-" + application + "-1")) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
            assertThat(OpenTransactions.describe(admin, application + "-", Instant.now())).isEqualTo("none");

            theirs.beginTransaction();
            theirs.send(new ProducerRecord<>(topic, 0, "k", "v")).get();
            ours.beginTransaction();
            ours.send(new ProducerRecord<>(topic, 1, "k", "v")).get();

            String open = OpenTransactions.describe(admin, application + "-", Instant.now());
            assertThat(open).startsWith(application + "-process-1 (Ongoing for ").contains(topic + "-1").doesNotContain("other-");

            ours.commitTransaction();
            theirs.abortTransaction();
            // a commit returns once the coordinator decided it (PrepareCommit); the markers are written after that
            await().atMost(Duration.ofMinutes(1))
                .until(() -> OpenTransactions.describe(admin, application + "-", Instant.now()), "none"::equals);
        }
    }

    @Test
    void namesATransactionLeftHangingOnAPartitionUntilABrokerRestartedWithTheRepairEndsIt(@TempDir Path dir) throws Exception {
        EmbeddedKafka.Options options = EmbeddedKafka.Options.defaults().withDataDir(dir.resolve("kafka"));
        String topic = "orders";
        try (EmbeddedKafka first = EmbeddedKafka.start(options)) {
            try (Admin admin = Admin.create(first.clientProperties())) {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
            }
            // dies with its broker in the middle of a transaction, which the coordinator aborts on its 1 s timeout
            KafkaProducer<String, String> producer = transactional(first.clientProperties(), "left-open", 1000);
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "o-1", "never committed")).get();
            first.kill();
            producer.close(Duration.ZERO);
        }

        // Kafka 4.4 drops the abort's marker while the restarted broker is still fenced (KAFKA-20734)
        try (EmbeddedKafka restarted = EmbeddedKafka.start(options.withoutEndingHangingTransactions());
             Admin admin = Admin.create(restarted.clientProperties())) {
            await().atMost(Duration.ofMinutes(1)).until(() -> OpenTransactions.describeHanging(admin), text -> !text.isEmpty());
            assertThat(OpenTransactions.describeHanging(admin))
                .startsWith("; transactions hanging on partitions (their coordinator completed them, the partitions never got "
                    + "the marker; end each with kafka-transactions.sh): " + topic + "-0 (producer ")
                .contains("open since offset 0; its coordinator has left-open in CompleteAbort)");
        }

        try (EmbeddedKafka repaired = EmbeddedKafka.start(options); Admin admin = Admin.create(repaired.clientProperties())) {
            assertThat(OpenTransactions.describeHanging(admin)).as("ended by the restart with the repair").isEmpty();
        }
    }

    private static KafkaProducer<String, String> transactional(Properties client, String transactionalId) {
        return transactional(client, transactionalId, 60_000);
    }

    private static KafkaProducer<String, String> transactional(Properties client, String transactionalId, int timeoutMs) {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Integer.toString(timeoutMs));
        KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
        producer.initTransactions();
        return producer;
    }
}
