package io.nmstream.ingest.publish;

import static io.nmstream.ingest.testing.Manifests.parsedEthernetMtu;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.embedded.EmbeddedCluster;
import io.nmstream.embedded.junit.EmbeddedClusterExtension;
import io.nmstream.ingest.testing.TopicContents;
import io.nmstream.schemas.Digests;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.PolicyAction;
import io.nmstream.schemas.avro.PolicyEvent;
import io.nmstream.schemas.avro.PolicySource;
import io.nmstream.schemas.avro.SourceKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Publishing on a real broker and registry: events, generations, idempotence, agreement between publishers, prune, delete. */
@ExtendWith(EmbeddedClusterExtension.class)
class PolicyPublisherIT {

    private final EmbeddedCluster cluster;
    private final List<PolicyPublisher> opened = new ArrayList<>();
    private Topics topics;
    private ClusterSettings settings;
    private final PolicySource gitops = PolicySources.files(Path.of("/srv/gitops/policies"), null, "alice", "test");

    PolicyPublisherIT(EmbeddedCluster cluster) {
        this.cluster = cluster;
    }

    @BeforeEach
    void createTopics() {
        String namespace = "ingest-" + UUID.randomUUID();
        topics = cluster.createTopics(namespace);
        settings = new ClusterSettings(cluster.config().with(ClusterSettings.TOPIC_NAMESPACE.name(), namespace));
    }

    @AfterEach
    void closePublishers() {
        opened.forEach(PolicyPublisher::close);
    }

    private PolicyPublisher publisher() {
        PolicyPublisher publisher = PolicyPublisher.connect(settings, Duration.ofSeconds(30), "test-" + opened.size());
        opened.add(publisher);
        return publisher;
    }

    private List<ConsumerRecord<String, PolicyEvent>> onTopic() {
        return TopicContents.records(cluster, topics.policies());
    }

    @Test
    void publishesAnUpsertKeyedByPolicyNameWithCanonicalStateDigestAndSource() {
        publisher().apply(List.of(parsedEthernetMtu("mtu", 9000)), gitops, false);

        assertThat(onTopic()).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo("mtu");
            PolicyEvent event = record.value();
            assertThat(event.getAction()).isEqualTo(PolicyAction.UPSERT);
            assertThat(event.getGeneration()).isEqualTo(1);
            assertThat(event.getMaxUnavailable()).isEqualTo("50%");
            assertThat(event.getNodeSelector()).containsEntry("node-role.kubernetes.io/worker", "");
            assertThat(event.getDesiredState()).isEqualTo("{\"interfaces\":[{\"mtu\":9000,\"name\":\"eth1\",\"state\":\"up\","
                + "\"type\":\"ethernet\"}]}");
            assertThat(event.getDesiredStateDigest()).isEqualTo(Digests.sha256Hex(event.getDesiredState()));
            assertThat(event.getSource().getKind()).isEqualTo(SourceKind.FILE);
            assertThat(event.getSource().getOrigin()).isEqualTo("file:/srv/gitops/policies");
            assertThat(event.getSource().getUser()).isEqualTo("alice");
        });
    }

    @Test
    void reapplyingAnUnchangedManifestPublishesNothing() {
        publisher().apply(List.of(parsedEthernetMtu("mtu", 9000)), gitops, false);

        List<PolicyChange> again = publisher().apply(List.of(parsedEthernetMtu("mtu", 9000)), gitops, false);

        assertThat(again).extracting(PolicyChange::kind).containsExactly(PolicyChange.Kind.UNCHANGED);
        assertThat(onTopic()).hasSize(1);
    }

    @Test
    void twoPublishersAgreeOnGenerationsAndKeepTheUid() {
        PolicyPublisher first = publisher();
        PolicyPublisher second = publisher();

        first.apply(List.of(parsedEthernetMtu("mtu", 1500)), gitops, false);
        second.apply(List.of(parsedEthernetMtu("mtu", 9000)), gitops, false);
        first.apply(List.of(parsedEthernetMtu("mtu", 4000)), gitops, false);

        List<PolicyEvent> events = onTopic().stream().map(ConsumerRecord::value).toList();
        assertThat(events).extracting(PolicyEvent::getGeneration).containsExactly(1L, 2L, 3L);
        assertThat(events).extracting(PolicyEvent::getUid).containsOnly(events.get(0).getUid());
    }

    @Test
    void concurrentPublishersNeverHandOutTheSameGeneration() throws Exception {
        int changesEach = 5;
        PolicyPublisher first = publisher();
        PolicyPublisher second = publisher();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<?> a = threads.submit(() -> IntStream.range(0, changesEach)
                .forEach(i -> first.apply(List.of(parsedEthernetMtu("mtu", 1000 + i)), gitops, false)));
            Future<?> b = threads.submit(() -> IntStream.range(0, changesEach)
                .forEach(i -> second.apply(List.of(parsedEthernetMtu("mtu", 2000 + i)), gitops, false)));
            a.get(2, TimeUnit.MINUTES);
            b.get(2, TimeUnit.MINUTES);
        } finally {
            threads.shutdownNow();
        }

        List<Long> generations = onTopic().stream().map(r -> r.value().getGeneration()).toList();
        assertThat(generations).as("every change got its own generation, in order")
            .containsExactlyElementsOf(LongStream.rangeClosed(1, 2L * changesEach).boxed().toList());
    }

    @Test
    void pruneDeletesWhatThisSourcePublishedBeforeAndNoLongerContains() {
        PolicySource elsewhere = PolicySources.files(Path.of("/srv/other"), null, "bob", "test");
        publisher().apply(List.of(parsedEthernetMtu("keep", 1500), parsedEthernetMtu("drop", 1500)), gitops, false);
        publisher().apply(List.of(parsedEthernetMtu("foreign", 1500)), elsewhere, false);

        publisher().apply(List.of(parsedEthernetMtu("keep", 1500)), gitops, true);

        assertThat(onTopic()).extracting(ConsumerRecord::key, r -> r.value().getAction(), r -> r.value().getGeneration())
            .as("records of different policies may sit on different partitions")
            .containsExactlyInAnyOrder(tuple("keep", PolicyAction.UPSERT, 1L), tuple("drop", PolicyAction.UPSERT, 1L),
                tuple("foreign", PolicyAction.UPSERT, 1L), tuple("drop", PolicyAction.DELETE, 2L));
        assertThat(publisher().published().live()).extracting(PolicyEvent::getName).containsExactly("foreign", "keep");
    }

    @Test
    void deletePublishesADeleteEventAndANewCreateGetsANewUid() {
        PolicyPublisher publisher = publisher();
        publisher.apply(List.of(parsedEthernetMtu("mtu", 1500)), gitops, false);

        assertThat(publisher.delete("mtu", PolicySources.cli("alice", "test"))).isPresent();
        assertThat(publisher().delete("mtu", PolicySources.cli("alice", "test"))).as("already deleted").isEmpty();
        publisher().apply(List.of(parsedEthernetMtu("mtu", 1500)), gitops, false);

        List<PolicyEvent> events = onTopic().stream().map(ConsumerRecord::value).toList();
        assertThat(events).extracting(PolicyEvent::getAction, PolicyEvent::getGeneration)
            .containsExactly(tuple(PolicyAction.UPSERT, 1L), tuple(PolicyAction.DELETE, 2L), tuple(PolicyAction.UPSERT, 3L));
        assertThat(events.get(1).getDesiredState()).isEmpty();
        assertThat(events.get(1).getSource().getKind()).isEqualTo(SourceKind.CLI);
        assertThat(events.get(2).getUid()).isNotEqualTo(events.get(0).getUid());
    }

    @Test
    void dryRunPlanningPublishesNothing() {
        List<PolicyChange> planned = publisher().plan(List.of(parsedEthernetMtu("mtu", 1500)), gitops, false);

        assertThat(planned).extracting(PolicyChange::kind).containsExactly(PolicyChange.Kind.CREATE);
        assertThat(onTopic()).isEmpty();
    }
}
