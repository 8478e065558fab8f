package io.nmstream.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.kafka.KafkaClients;
import io.nmstream.embedded.EmbeddedCluster;
import io.nmstream.embedded.junit.EmbeddedClusterExtension;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.NodeEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A reconciler instance that left its group with a transaction open (killed, or started again on another state
 * directory) holds back every reader of the partitions it wrote to, the instance that took its tasks among them, until
 * the transaction ends. The instances still in the group end it as soon as the group has settled without it, rather than
 * leaving it to the broker's timeout; another application's transaction, even under a name that starts the same, is
 * left alone.
 */
@ExtendWith(EmbeddedClusterExtension.class)
class DepartedInstanceTransactionsIT {

    /** The departed transactions' own timeout: what the readers would wait for without the reconciler ending them. */
    private static final Duration LEFT_ALONE_FOR = Duration.ofMinutes(10);
    /** Guards against a wait that never ends, and is well short of {@link #LEFT_ALONE_FOR}: never a performance check. */
    private static final Duration GUARD = Duration.ofMinutes(3);

    @TempDir
    Path stateDirs;

    @Test
    void anInstanceThatLeftWithATransactionOpenIsFencedOnceTheGroupSettlesAndTheSurvivorReadsOn(EmbeddedCluster cluster)
        throws Exception {
        String namespace = "it-departed-" + UUID.randomUUID().toString().substring(0, 8);
        Topics topics = cluster.createTopics(namespace);
        ClusterSettings settings = new ClusterSettings(cluster.config().with(ClusterSettings.TOPIC_NAMESPACE.name(), namespace));
        Properties client = settings.clientProperties();
        String application = "reconciler-" + namespace;
        ListAppender<ILoggingEvent> fenceLog = new ListAppender<>();
        fenceLog.start();
        Logger departedLogger = (Logger) LoggerFactory.getLogger(DepartedInstanceTransactions.class);
        departedLogger.addAppender(fenceLog);

        try (Admin admin = Admin.create(client)) {
            // the first instance runs, writes with the transactional id Kafka Streams gives it, and leaves
            String departedId;
            try (ReconcilerService first = ReconcilerService.start(settings, config(cluster, application, "first"))) {
                await().atMost(GUARD).until(() -> first.state() == KafkaStreams.State.RUNNING);
                register(client, topics, "node-early");
                first.awaitInventoryRead(GUARD);
                departedId = onlyTransactionalIdOf(admin, application);
            }

            // the second starts on a state directory of its own: another process id
            try (ReconcilerService second = ReconcilerService.start(settings, config(cluster, application, "second"));
                 KafkaProducer<byte[], byte[]> departed = transactional(client, departedId);
                 KafkaProducer<byte[], byte[]> otherApplication = transactional(client, application + "-b-" + UUID.randomUUID() + "-1")) {
                await().atMost(GUARD).until(() -> second.state() == KafkaStreams.State.RUNNING);
                // what a killed first instance would have left: a transaction under its id, open on an inventory partition
                departed.beginTransaction();
                try {
                    departed.send(new ProducerRecord<>(topics.nodes().name(), bytes("node-late"), bytes("never committed"))).get();
                } catch (ExecutionException e) {
                    // the second may fence it between the partition joining the transaction and the record's write
                    assertThat(e.getCause()).isInstanceOfAny(ProducerFencedException.class, InvalidProducerEpochException.class);
                }
                otherApplication.beginTransaction();
                otherApplication.send(new ProducerRecord<>(topics.deadLetters().name(), bytes("k"), bytes("v"))).get();
                register(client, topics, "node-late");

                second.awaitInventoryRead(GUARD);

                // fencing aborts the open transaction and leaves the id with a new epoch and nothing open: Empty
                assertThat(state(admin, departedId)).as("the departed instance's transaction, ended without a commit")
                    .isIn(TransactionState.EMPTY, TransactionState.PREPARE_ABORT, TransactionState.COMPLETE_ABORT);
                assertThatThrownBy(departed::commitTransaction).as("the departed instance's commit, had it come back")
                    .isInstanceOfAny(ProducerFencedException.class, InvalidProducerEpochException.class);
                assertThat(state(admin, application + "-b-")).as("another application's transaction")
                    .isEqualTo(TransactionState.ONGOING);
                assertThat(second.state()).isEqualTo(KafkaStreams.State.RUNNING);
                assertThat(fenceLog.list).filteredOn(e -> e.getLevel() == Level.WARN).singleElement()
                    .extracting(ILoggingEvent::getFormattedMessage).asString()
                    .contains("Aborted the open transactions [" + departedId + "]").contains("left group " + application);
                otherApplication.abortTransaction();
            }
        } finally {
            departedLogger.detachAppender(fenceLog);
        }
    }

    private ReconcilerConfig config(EmbeddedCluster cluster, String application, String instance) {
        return ReconcilerConfig.from(cluster.config()
            .with(ReconcilerConfig.APPLICATION_ID.name(), application)
            .with(ReconcilerConfig.STATE_DIR.name(), stateDirs.resolve(instance).toString())
            .with(ReconcilerConfig.STANDBY_REPLICAS.name(), "0"));
    }

    private static void register(Properties client, Topics topics, String node) throws Exception {
        try (KafkaProducer<String, NodeEvent> producer = KafkaClients.producer(client, topics.nodes(), "it-inventory")) {
            producer.send(new ProducerRecord<>(topics.nodes().name(), node, NodeEvent.newBuilder().setName(node)
                .setLabels(Map.of("node-role.kubernetes.io/worker", "")).setLastSeen(Instant.now()).build())).get();
        }
    }

    /** The one transactional id of the application the cluster knows, whatever its state. */
    private static String onlyTransactionalIdOf(Admin admin, String application) throws Exception {
        List<String> ids = admin.listTransactions().all().get().stream().map(TransactionListing::transactionalId)
            .filter(id -> id.startsWith(application + "-")).toList();
        assertThat(ids).as("transactional ids of " + application).hasSize(1);
        return ids.get(0);
    }

    private static TransactionState state(Admin admin, String idPrefix) throws Exception {
        return admin.listTransactions().all().get().stream().filter(t -> t.transactionalId().startsWith(idPrefix))
            .map(TransactionListing::state).findFirst().orElseThrow();
    }

    private static KafkaProducer<byte[], byte[]> transactional(Properties client, String transactionalId) {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Long.toString(LEFT_ALONE_FOR.toMillis()));
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        producer.initTransactions();
        return producer;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
