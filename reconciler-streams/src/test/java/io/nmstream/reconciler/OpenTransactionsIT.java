package io.nmstream.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nmstream.embedded.EmbeddedCluster;
import io.nmstream.embedded.junit.EmbeddedClusterExtension;
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

/**
 * What a reconciler that cannot get going says about open transactions, on the real broker: a transaction left open by
 * one of the application's producers is named with its partitions, another application's is not, and once it is
 * committed there is none.
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

    private static KafkaProducer<String, String> transactional(Properties client, String transactionalId) {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
        producer.initTransactions();
        return producer;
    }
}
