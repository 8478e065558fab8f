package io.nmstream.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.common.kafka.KafkaClients;
import io.nmstream.embedded.junit.EmbeddedClusterExtension;
import io.nmstream.schemas.PublishedSchemas;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.NodeEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedClusterExtension.class)
class EmbeddedClusterIT {

    @Test
    void topicsOfTwoNamespacesAreSeparateAndCarryRegisteredAvroRecords(EmbeddedCluster cluster) throws Exception {
        Topics first = cluster.createTopics("it-first");
        Topics second = cluster.createTopics("it-second");
        assertThat(first.nodes().name()).isEqualTo("it-first.nodes").isNotEqualTo(second.nodes().name());

        NodeEvent node = NodeEvent.newBuilder().setName("worker-0").setLabels(Map.of("node-role.kubernetes.io/worker", ""))
            .setReady(true).setLastSeen(Instant.now().truncatedTo(ChronoUnit.MILLIS)).build();
        try (KafkaProducer<String, NodeEvent> producer =
                 KafkaClients.producer(cluster.settings().clientProperties(), first.nodes(), "it")) {
            producer.send(new ProducerRecord<>(first.nodes().name(), node.getName(), node)).get();
        }
        try (KafkaConsumer<String, NodeEvent> consumer = KafkaClients.consumer(cluster.settings().clientProperties(), first.nodes(),
            null, "it")) {
            List<TopicPartition> partitions = consumer.partitionsFor(first.nodes().name()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            ConsumerRecord<String, NodeEvent> read = null;
            for (int i = 0; i < 40 && read == null; i++) {
                var records = consumer.poll(Duration.ofMillis(250));
                if (!records.isEmpty()) {
                    read = records.iterator().next();
                }
            }
            assertThat(read).isNotNull();
            assertThat(read.value()).isEqualTo(node);
        }
        assertThat(cluster.registryClient().lookup(first.nodes().name() + "-value", PublishedSchemas.of(NodeEvent.class))).isPresent();
    }
}
