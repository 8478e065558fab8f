package io.nmstream.status.kubernetes;

import static io.nmstream.schemas.avro.EnactmentPhase.AVAILABLE;
import static io.nmstream.schemas.avro.EnactmentPhase.FAILING;
import static io.nmstream.schemas.avro.EnactmentPhase.PENDING;
import static io.nmstream.schemas.avro.EnactmentPhase.PROGRESSING;
import static io.nmstream.schemas.avro.EnactmentPhase.REMOVED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.nmstream.embedded.EmbeddedCluster;
import io.nmstream.embedded.junit.EmbeddedClusterExtension;
import io.nmstream.schemas.Digests;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.ResourceKind;
import io.nmstream.schemas.avro.ResourceStatus;
import io.nmstream.schemas.avro.StatusCondition;
import io.nmstream.status.EventLog;
import io.nmstream.status.Events;
import io.nmstream.status.projector.StatusProjector;
import io.nmstream.common.status.NmstateKind;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The projector writing to the fabric8 mock API server (CRUD mode) from a rollout on the real broker. */
@ExtendWith(EmbeddedClusterExtension.class)
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = KubernetesStatusWriterIT.NoClientRetries.class)
class KubernetesStatusWriterIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** A state a node rendered from a policy's captures, as its agent sends it. */
    private static final String RESOLVED = "{\"interfaces\":[{\"name\":\"br1\",\"type\":\"linux-bridge\"}]}";

    /** The writer does the retrying, as it does with the client it builds itself. */
    public static final class NoClientRetries implements Consumer<KubernetesClientBuilder> {
        @Override
        public void accept(KubernetesClientBuilder builder) {
            builder.editOrNewConfig().withRequestRetryBackoffLimit(0).endConfig();
        }
    }

    KubernetesMockServer server;
    KubernetesClient client;

    private final EmbeddedCluster cluster;
    private final Events events = new Events();

    KubernetesStatusWriterIT(EmbeddedCluster cluster) {
        this.cluster = cluster;
    }

    @BeforeEach
    void installCrdsAndAPolicy() throws Exception {
        for (NmstateKind kind : NmstateKind.values()) {
            try (InputStream crd = getClass().getResourceAsStream("/crds/nmstate.io_" + kind.plural() + ".yaml")) {
                CustomResourceDefinition definition = client.apiextensions().v1().customResourceDefinitions().load(crd).item();
                assertThat(definition.getSpec().getNames().getShortNames()).containsExactly(kind.shortName());
                client.apiextensions().v1().customResourceDefinitions().resource(definition).create();
            }
        }
        GenericKubernetesResource policy = new GenericKubernetesResource();
        policy.setApiVersion("nmstate.io/v1");
        policy.setKind("NodeNetworkConfigurationPolicy");
        policy.setMetadata(new ObjectMetaBuilder().withName("br1").build());
        policy.setAdditionalProperty("spec", Map.of("desiredState", Map.of("interfaces", List.of())));
        client.genericKubernetesResources(context(NmstateKind.NNCP)).resource(policy).create();
        drainRequests();
    }

    @Test
    void rolloutEndsInKubernetesWithOneStatusWritePerObjectPerWindow() throws Exception {
        Topics topics = cluster.createTopics("status-k8s-" + UUID.randomUUID());
        KubernetesStatusWriter writer = KubernetesStatusWriter.start(client, cluster.config()
            .with(KubernetesSettings.WINDOW.name(), "1h"));
        try (EventLog log = new EventLog(cluster.settings().clientProperties(), topics);
             StatusProjector projector = StatusProjector.start(cluster.config(), topics, List.of(writer))) {
            assertThat(projector.awaitCaughtUp(WAIT)).isTrue();
            log.send(events.upsert("br1", 1));
            for (String node : List.of("worker-0", "worker-1", "worker-2")) {
                log.send(events.enactment(node, "br1", 1, PENDING));
            }
            for (String node : List.of("worker-0", "worker-1")) {
                log.send(events.enactment(node, "br1", 1, PROGRESSING));
                EnactmentEvent available = events.enactment(node, "br1", 1, AVAILABLE);
                // worker-0 rendered the policy from captures, as its agent reports it
                log.send(node.equals("worker-0") ? EnactmentEvent.newBuilder(available).setResolvedState(RESOLVED)
                    .setResolvedStateDigest(Digests.sha256Hex(RESOLVED)).build() : available);
            }
            log.send(events.enactment("worker-2", "br1", 1, PROGRESSING));
            log.send(events.enactment("worker-2", "br1", 1, FAILING, "Interface ens8f0np0: MTU 9000 exceeds the maximum supported"));
            log.send(events.nodeState("worker-0", "{\"interfaces\":[{\"name\":\"ens8f0np0\",\"mtu\":9000}]}"));
            await().atMost(WAIT).until(() -> projector.view().snapshot().size() == 5 && writer.pendingCount() == 5
                && degradedMessage(projector).equals("1/3 nodes failed to configure"));

            flush(writer);

            List<RecordedRequest> requests = drainRequests();
            assertThat(requests).extracting(RecordedRequest::getMethod).containsOnly("POST", "PATCH");
            assertThat(requests).filteredOn(r -> r.getMethod().equals("POST")).hasSize(4);
            Map<String, Integer> statusWrites = countStatusWrites(requests);
            assertThat(statusWrites).containsOnlyKeys("nodenetworkconfigurationpolicies/br1",
                "nodenetworkconfigurationenactments/worker-0.br1", "nodenetworkconfigurationenactments/worker-1.br1",
                "nodenetworkconfigurationenactments/worker-2.br1", "nodenetworkstates/worker-0");
            assertThat(statusWrites.values()).allMatch(writes -> writes == 1);

            GenericKubernetesResource failing = get(NmstateKind.NNCE, "worker-2.br1");
            assertThat(failing.getMetadata().getLabels()).containsEntry("nmstate.io/node", "worker-2")
                .containsEntry("nmstate.io/policy", "br1");
            assertThat(trueCondition(failing)).containsEntry("type", "Failing").containsEntry("reason", "FailedToConfigure")
                .containsEntry("message", "Interface ens8f0np0: MTU 9000 exceeds the maximum supported");
            assertThat(status(failing)).containsEntry("policyGeneration", 1);
            assertThat(trueCondition(get(NmstateKind.NNCE, "worker-0.br1"))).containsEntry("type", "Available");
            assertThat(status(get(NmstateKind.NNCE, "worker-0.br1"))).as("the state worker-0 rendered")
                .containsEntry("desiredState", Map.of("interfaces", List.of(Map.of("name", "br1", "type", "linux-bridge"))));
            assertThat(status(get(NmstateKind.NNCE, "worker-1.br1"))).doesNotContainKey("desiredState");
            GenericKubernetesResource policy = get(NmstateKind.NNCP, "br1");
            assertThat(trueCondition(policy)).containsEntry("type", "Degraded").containsEntry("reason", "FailedToConfigure")
                .containsEntry("message", "1/3 nodes failed to configure");
            assertThat(policy.getAdditionalProperties()).containsKey("spec");
            assertThat(status(get(NmstateKind.NNS, "worker-0")).get("currentState").toString()).contains("ens8f0np0");
            assertThat(status(get(NmstateKind.NNS, "worker-0"))).as("the version the node reported")
                .containsEntry("hostNetworkManagerVersion", "1.42.2");

            drainRequests();
            ResourceStatus unchanged = projector.view().get(ResourceKind.NNCP, "br1").orElseThrow();
            writer.accept(withTransitionTimesAt(unchanged, Instant.parse("2030-01-01T00:00:00Z")));
            long skippedBefore = writer.skipped();
            flush(writer);
            assertThat(drainRequests()).isEmpty();
            assertThat(writer.skipped()).isEqualTo(skippedBefore + 1);

            log.send(events.enactment("worker-2", "br1", 1, REMOVED));
            await().atMost(WAIT).until(() -> writer.pendingCount() == 2);
            flush(writer);
            assertThat(client.genericKubernetesResources(context(NmstateKind.NNCE)).withName("worker-2.br1").get()).isNull();
            assertThat(trueCondition(get(NmstateKind.NNCP, "br1"))).containsEntry("type", "Available")
                .containsEntry("message", "2/2 nodes successfully configured");
        }
    }

    @Test
    void serverErrorsAreRetriedWithBackoffUntilTheStatusIsWritten() throws Exception {
        Topics topics = cluster.createTopics("status-k8s-" + UUID.randomUUID());
        server.expect().patch().withPath("/apis/nmstate.io/v1/nodenetworkconfigurationpolicies/br1/status")
            .andReturn(503, "{\"kind\":\"Status\",\"code\":503,\"message\":\"etcd unavailable\"}").times(2);
        KubernetesStatusWriter writer = KubernetesStatusWriter.start(client, cluster.config()
            .with(KubernetesSettings.WINDOW.name(), "100ms").with(KubernetesSettings.MAX_BACKOFF.name(), "400ms"));
        try (EventLog log = new EventLog(cluster.settings().clientProperties(), topics);
             StatusProjector projector = StatusProjector.start(cluster.config(), topics, List.of(writer))) {
            assertThat(projector.awaitCaughtUp(WAIT)).isTrue();
            log.send(events.upsert("br1", 1));
            log.send(events.enactment("worker-0", "br1", 1, PROGRESSING));
            log.send(events.enactment("worker-0", "br1", 1, AVAILABLE));

            await().atMost(WAIT).untilAsserted(() -> assertThat(trueCondition(get(NmstateKind.NNCP, "br1")))
                .containsEntry("type", "Available").containsEntry("message", "1/1 nodes successfully configured"));
            assertThat(writer.failures()).isGreaterThanOrEqualTo(2);
            assertThat(writer.pendingCount()).isZero();
        }
    }

    private static String degradedMessage(StatusProjector projector) {
        return projector.view().get(ResourceKind.NNCP, "br1").flatMap(s -> s.getConditions().stream()
            .filter(c -> c.getType().equals("Degraded") && c.getStatus().equals("True")).findFirst())
            .map(StatusCondition::getMessage).orElse("");
    }

    private static void flush(KubernetesStatusWriter writer) {
        long before = writer.flushes();
        writer.flushNow();
        await().atMost(WAIT).until(() -> writer.flushes() > before);
    }

    private List<RecordedRequest> drainRequests() throws InterruptedException {
        List<RecordedRequest> requests = new ArrayList<>();
        RecordedRequest request;
        while ((request = server.takeRequest(100, TimeUnit.MILLISECONDS)) != null) {
            requests.add(request);
        }
        return requests;
    }

    /** Status writes (PATCH of the status subresource) by "plural/name". */
    private static Map<String, Integer> countStatusWrites(List<RecordedRequest> requests) {
        Map<String, Integer> writes = new HashMap<>();
        for (RecordedRequest request : requests) {
            String path = request.getPath().replaceFirst("\\?.*", "");
            if (request.getMethod().equals("PATCH") && path.endsWith("/status")) {
                String[] parts = path.split("/");
                writes.merge(parts[parts.length - 3] + "/" + parts[parts.length - 2], 1, Integer::sum);
            }
        }
        return writes;
    }

    private GenericKubernetesResource get(NmstateKind kind, String name) {
        GenericKubernetesResource resource = client.genericKubernetesResources(context(kind)).withName(name).get();
        assertThat(resource).as(kind.shortName() + "/" + name).isNotNull();
        return resource;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> status(GenericKubernetesResource resource) {
        Object status = resource.getAdditionalProperties().get("status");
        assertThat(status).as("status of " + resource.getMetadata().getName()).isInstanceOf(Map.class);
        return (Map<String, Object>) status;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> trueCondition(GenericKubernetesResource resource) {
        List<Map<String, Object>> conditions = (List<Map<String, Object>>) status(resource).get("conditions");
        return conditions.stream().filter(c -> "True".equals(c.get("status"))).findFirst().orElseThrow();
    }

    private static ResourceStatus withTransitionTimesAt(ResourceStatus status, Instant at) {
        List<StatusCondition> conditions = new ArrayList<>();
        status.getConditions().forEach(c -> conditions.add(StatusCondition.newBuilder(c).setLastTransitionTime(at).build()));
        return ResourceStatus.newBuilder(status).setConditions(conditions).setUpdatedAt(at).build();
    }

    private static ResourceDefinitionContext context(NmstateKind kind) {
        return new ResourceDefinitionContext.Builder().withGroup(NmstateKind.GROUP).withVersion(kind.version()).withKind(kind.kind())
            .withPlural(kind.plural()).withNamespaced(false).build();
    }
}
