package io.nmstream.ingest.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.kafka.KafkaClients;
import io.nmstream.embedded.EmbeddedCluster;
import io.nmstream.embedded.junit.EmbeddedClusterExtension;
import io.nmstream.ingest.publish.PolicyPublisher;
import io.nmstream.ingest.testing.Manifests;
import io.nmstream.ingest.testing.TopicContents;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.NodeEvent;
import io.nmstream.schemas.avro.PolicyAction;
import io.nmstream.schemas.avro.PolicyEvent;
import io.nmstream.schemas.avro.SourceKind;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Kubernetes bridge against fabric8's mock API server in CRUD mode and the real broker. */
@EnableKubernetesMockClient(crud = true)
@ExtendWith(EmbeddedClusterExtension.class)
class KubernetesBridgeIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    KubernetesClient client;
    private final EmbeddedCluster cluster;
    private Topics topics;
    private PolicyPublisher publisher;
    private NncpWatcher nncps;
    private NodeInventoryWatcher nodes;

    KubernetesBridgeIT(EmbeddedCluster cluster) {
        this.cluster = cluster;
    }

    @BeforeEach
    void createTopics() {
        String namespace = "k8s-" + UUID.randomUUID();
        topics = cluster.createTopics(namespace);
        publisher = PolicyPublisher.connect(new ClusterSettings(cluster.config().with(ClusterSettings.TOPIC_NAMESPACE.name(), namespace)),
            Duration.ofSeconds(30), "k8s-test");
    }

    @AfterEach
    void stop() {
        if (nncps != null) {
            nncps.close();
        }
        if (nodes != null) {
            nodes.close();
        }
        publisher.close();
    }

    private void startNncpWatcher() {
        nncps = new NncpWatcher(client, publisher);
        nncps.start();
    }

    private void startNodeWatcher() {
        nodes = new NodeInventoryWatcher(client, KafkaClients.producer(cluster.settings().clientProperties(), topics.nodes(), "nodes-test"),
            topics.nodes(), Clock.systemUTC());
        nodes.start();
    }

    private GenericKubernetesResource nncp(String name, int mtu) {
        return client.getKubernetesSerialization().unmarshal(Manifests.ethernetMtu(name, mtu), GenericKubernetesResource.class);
    }

    private List<PolicyEvent> policyEvents() {
        return TopicContents.values(cluster, topics.policies());
    }

    private List<NodeEvent> nodeEvents() {
        return TopicContents.values(cluster, topics.nodes());
    }

    @Test
    void publishesCreatesUpdatesAndDeletesOfNncpObjects() {
        startNncpWatcher();

        client.genericKubernetesResources(NncpWatcher.NNCP).resource(nncp("mtu", 1500)).create();
        await().atMost(WAIT).untilAsserted(() -> assertThat(policyEvents()).hasSize(1));
        client.genericKubernetesResources(NncpWatcher.NNCP).resource(nncp("mtu", 9000)).update();
        await().atMost(WAIT).untilAsserted(() -> assertThat(policyEvents()).hasSize(2));
        client.genericKubernetesResources(NncpWatcher.NNCP).withName("mtu").delete();
        await().atMost(WAIT).untilAsserted(() -> assertThat(policyEvents()).hasSize(3));

        List<PolicyEvent> events = policyEvents();
        assertThat(events).extracting(PolicyEvent::getAction, PolicyEvent::getGeneration).containsExactly(
            org.assertj.core.groups.Tuple.tuple(PolicyAction.UPSERT, 1L), org.assertj.core.groups.Tuple.tuple(PolicyAction.UPSERT, 2L),
            org.assertj.core.groups.Tuple.tuple(PolicyAction.DELETE, 3L));
        assertThat(events.get(1).getDesiredState()).contains("\"mtu\":9000");
        assertThat(events.get(0).getSource().getKind()).isEqualTo(SourceKind.KUBERNETES);
        assertThat(events.get(0).getSource().getOrigin()).isEqualTo("kubernetes:nodenetworkconfigurationpolicies/mtu");
    }

    @Test
    void anUpdateThatChangesNoSpecPublishesNothingAndAnInvalidObjectIsNotPublished() {
        startNncpWatcher();
        client.genericKubernetesResources(NncpWatcher.NNCP).resource(nncp("mtu", 1500)).create();
        await().atMost(WAIT).untilAsserted(() -> assertThat(policyEvents()).hasSize(1));

        GenericKubernetesResource labelled = nncp("mtu", 1500);
        labelled.getMetadata().setLabels(java.util.Map.of("team", "net"));
        client.genericKubernetesResources(NncpWatcher.NNCP).resource(labelled).update();
        client.genericKubernetesResources(NncpWatcher.NNCP).resource(nncp("broken", 20)).create();
        // a valid object created after both proves the watcher has handled them: events are handled in order
        client.genericKubernetesResources(NncpWatcher.NNCP).resource(nncp("marker", 1500)).create();

        await().atMost(WAIT).untilAsserted(() -> assertThat(policyEvents()).extracting(PolicyEvent::getName).contains("marker"));
        assertThat(policyEvents()).extracting(PolicyEvent::getName).containsExactlyInAnyOrder("mtu", "marker");
    }

    @Test
    void anInvalidObjectGetsAWarningEventNamingTheFieldAndValueOncePerVersion() {
        startNncpWatcher();
        GenericKubernetesResource broken = client.genericKubernetesResources(NncpWatcher.NNCP).resource(nncp("broken", 20)).create();

        // what kubectl describe nncp broken lists under Events
        await().atMost(WAIT).untilAsserted(() -> assertThat(eventsAbout("broken")).singleElement().satisfies(event -> {
            assertThat(event.getType()).isEqualTo("Warning");
            assertThat(event.getReason()).isEqualTo("InvalidPolicy");
            assertThat(event.getMessage()).startsWith("Not published: ")
                .contains("spec.desiredState.interfaces[0].mtu", "20");
            assertThat(event.getInvolvedObject().getKind()).isEqualTo("NodeNetworkConfigurationPolicy");
            assertThat(event.getInvolvedObject().getUid()).isEqualTo(broken.getMetadata().getUid());
        }));

        // a new invalid version gets its own event
        client.genericKubernetesResources(NncpWatcher.NNCP).resource(nncp("broken", 30)).update();
        client.genericKubernetesResources(NncpWatcher.NNCP).resource(nncp("marker", 1500)).create();
        await().atMost(WAIT).untilAsserted(() -> assertThat(policyEvents()).extracting(PolicyEvent::getName).contains("marker"));
        assertThat(eventsAbout("broken")).hasSize(2).extracting(Event::getMessage).anySatisfy(m -> assertThat(m).contains("30"));
        assertThat(policyEvents()).extracting(PolicyEvent::getName).containsExactly("marker");
    }

    @Test
    void theSameVersionHandedAgainByAResyncIsRecordedOnce() {
        GenericKubernetesResource broken = client.genericKubernetesResources(NncpWatcher.NNCP).resource(nncp("broken", 20)).create();
        InvalidPolicyEvents events = new InvalidPolicyEvents(client, Clock.systemUTC());

        events.record(broken, List.of("spec.desiredState.interfaces[0].mtu: 20 is not allowed"));
        events.record(broken, List.of("spec.desiredState.interfaces[0].mtu: 20 is not allowed"));

        assertThat(eventsAbout("broken")).hasSize(1);
    }

    private List<Event> eventsAbout(String nncp) {
        return client.v1().events().inNamespace("default").list().getItems().stream()
            .filter(e -> nncp.equals(e.getInvolvedObject().getName())).toList();
    }

    @Test
    void deletesPoliciesWhoseObjectsWereDeletedWhileTheBridgeWasDown() {
        startNncpWatcher();
        client.genericKubernetesResources(NncpWatcher.NNCP).resource(nncp("gone", 1500)).create();
        await().atMost(WAIT).untilAsserted(() -> assertThat(policyEvents()).hasSize(1));
        nncps.close();
        client.genericKubernetesResources(NncpWatcher.NNCP).withName("gone").delete();

        startNncpWatcher();

        await().atMost(WAIT).untilAsserted(() -> assertThat(policyEvents()).extracting(PolicyEvent::getAction)
            .containsExactly(PolicyAction.UPSERT, PolicyAction.DELETE));
    }

    @Test
    void publishesNodeLabelsReadinessAndRemoval() {
        startNodeWatcher();
        Node worker = new NodeBuilder().withNewMetadata().withName("worker-0").addToLabels("node-role.kubernetes.io/worker", "")
            .endMetadata().withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build();

        client.nodes().resource(worker).create();
        await().atMost(WAIT).untilAsserted(() -> assertThat(nodeEvents()).hasSize(1));
        Node notReady = new NodeBuilder(worker).editStatus().editFirstCondition().withStatus("False").endCondition().endStatus().build();
        client.nodes().resource(notReady).update();
        await().atMost(WAIT).untilAsserted(() -> assertThat(nodeEvents()).hasSize(2));
        client.nodes().withName("worker-0").delete();
        await().atMost(WAIT).untilAsserted(() -> assertThat(nodeEvents()).hasSize(3));

        List<NodeEvent> events = nodeEvents();
        assertThat(events).extracting(NodeEvent::getReady, NodeEvent::getRemoved).containsExactly(
            org.assertj.core.groups.Tuple.tuple(true, false), org.assertj.core.groups.Tuple.tuple(false, false),
            org.assertj.core.groups.Tuple.tuple(false, true));
        assertThat(events.get(0).getLabels()).containsEntry("node-role.kubernetes.io/worker", "");
        assertThat(events).extracting(NodeEvent::getName).containsOnly("worker-0");
    }
}
