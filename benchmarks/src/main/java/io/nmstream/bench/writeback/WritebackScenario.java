package io.nmstream.bench.writeback;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.nmstream.bench.BenchRun;
import io.nmstream.bench.Scenario;
import io.nmstream.bench.Waits;
import io.nmstream.bench.report.Measurement;
import io.nmstream.bench.report.Outcome;
import io.nmstream.bench.rollout.RolloutEnvironment;
import io.nmstream.bench.rollout.RolloutVariant;
import io.nmstream.common.config.Config;
import io.nmstream.schemas.avro.ResourceStatus;
import io.nmstream.status.kubernetes.KubernetesSettings;
import io.nmstream.status.kubernetes.KubernetesStatusWriter;
import io.nmstream.status.projector.StatusSink;
import io.nmstream.common.status.NmstateKind;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Status write-back: a rollout (a new policy at the default maxUnavailable) to {@code --writeback-nodes} nodes with the
 * status projector's Kubernetes writer
 * pointed at fabric8's mock API server (CRUD mode, in this process), counting the API requests it receives per NNCE.
 * The writer gets a high rate limit here, so that the count, not the limit, is what is measured.
 */
public final class WritebackScenario implements Scenario {

    /** Most API writes accepted per NNCE in one rollout. */
    static final double WRITES_TARGET = 2;
    static final String QPS = "100000";
    /** The policy of the measured rollout leaves maxUnavailable out, as most policies do. */
    static final RolloutVariant VARIANT = RolloutVariant.parse(RolloutVariant.DEFAULT);
    /** The mock server logs every request at INFO through java.util.logging; kept here so the level setting is not collected. */
    private static final java.util.logging.Logger MOCK_SERVER_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    @Override
    public String name() {
        return "writeback";
    }

    @Override
    public List<Measurement> run(BenchRun run) throws Exception {
        int nodes = run.writebackNodes();
        MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
            new KubernetesCrudDispatcher(), false);
        server.init();
        try (NamespacedKubernetesClient client = server.createClient()) {
            installCrds(client);
            createPolicy(client);
            drain(server);
            Config writerConfig = Config.of(Map.of(KubernetesSettings.QPS.name(), QPS, KubernetesSettings.BURST.name(), QPS));
            KubernetesStatusWriter writer = KubernetesStatusWriter.start(client, writerConfig);
            Map<String, Long> requests;
            RolloutEnvironment.Result rollout;
            Object fleet;
            try {
                try (RolloutEnvironment nmstream = RolloutEnvironment.start(run.cluster(), run.fleet(), run.serviceSettings(), nodes,
                         run.namespace(name(), nodes), List.of(new KeepOpen(writer)), run.timeout())) {
                    rollout = nmstream.rollout(VARIANT);
                    awaitWritten(writer, run.timeout());
                    fleet = nmstream.description().get("fleet");
                }
                requests = countRequests(server);
            } finally {
                writer.close();
            }
            long nnceWrites = requests.entrySet().stream().filter(e -> e.getKey().endsWith(" " + NmstateKind.NNCE.plural())
                && !e.getKey().startsWith("GET")).mapToLong(Map.Entry::getValue).sum();
            double perNnce = (double) nnceWrites / nodes;
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("nodes", nodes);
            details.put("requestsByMethodAndResource", requests);
            details.put("writerWrites", writer.writes());
            details.put("writerSkippedUnchanged", writer.skipped());
            details.put("writerFailures", writer.failures());
            details.put("writerSettings", Map.of("qps", QPS, "burst", QPS, "window", KubernetesSettings.WINDOW.defaultValue().toString()));
            details.put("maxUnavailable", VARIANT.effective());
            details.put("rolloutMillis", rollout.elapsedMillis());
            details.put("fleet", fleet);
            return List.of(new Measurement(name(), nodes + " nodes, maxUnavailable " + VARIANT.label(), perNnce, Double.NaN,
                "writes/NNCE", 1,
                "<= 2 API writes per NNCE", Outcome.of(perNnce <= WRITES_TARGET), details));
        } finally {
            stop(server);
        }
    }

    /** Stops the mock server; one that does not stop in time must not hide what was measured. */
    private static void stop(KubernetesMockServer server) {
        try {
            server.destroy();
        } catch (RuntimeException e) {
            MOCK_SERVER_LOG.warning("The mock API server did not stop cleanly: " + e.getMessage());
        }
    }

    /** Installs the CRDs the status projector ships, as on a real cluster, so the mock serves the kinds with their scope. */
    private static void installCrds(NamespacedKubernetesClient client) throws IOException {
        for (NmstateKind kind : NmstateKind.values()) {
            String resource = "/crds/" + NmstateKind.GROUP + "_" + kind.plural() + ".yaml";
            try (InputStream crd = WritebackScenario.class.getResourceAsStream(resource)) {
                if (crd == null) {
                    throw new IllegalStateException("CRD " + resource + " is not on the class path (it ships with status-projector)");
                }
                CustomResourceDefinition definition = client.apiextensions().v1().customResourceDefinitions().load(crd).item();
                client.apiextensions().v1().customResourceDefinitions().resource(definition).create();
            }
        }
    }

    private static CustomResourceDefinitionContext context(NmstateKind kind) {
        return new CustomResourceDefinitionContext.Builder().withGroup(NmstateKind.GROUP).withVersion(kind.version()).withKind(kind.kind())
            .withPlural(kind.plural()).withScope("Cluster").build();
    }

    /** The NNCP exists in Kubernetes, as when it was applied with kubectl: the writer only writes status of existing ones. */
    private static void createPolicy(NamespacedKubernetesClient client) {
        GenericKubernetesResource policy = new GenericKubernetesResourceBuilder()
            .withApiVersion(NmstateKind.GROUP + "/" + NmstateKind.NNCP.version()).withKind(NmstateKind.NNCP.kind())
            .withNewMetadata().withName(RolloutEnvironment.POLICY).endMetadata().build();
        client.genericKubernetesResources(context(NmstateKind.NNCP)).resource(policy).create();
    }

    /** Waits until the writer has nothing pending and has completed a flush after that. */
    private static void awaitWritten(KubernetesStatusWriter writer, Duration timeout) throws InterruptedException {
        Waits.until("the Kubernetes writer to empty its queue", timeout, () -> writer.pendingCount() == 0);
        long flushes = writer.flushes();
        writer.flushNow();
        Waits.until("the Kubernetes writer's last flush", timeout, () -> writer.flushes() > flushes && writer.pendingCount() == 0);
    }

    /** Requests received, by "METHOD plural". */
    private static Map<String, Long> countRequests(KubernetesMockServer server) throws InterruptedException {
        Map<String, Long> counts = new TreeMap<>();
        RecordedRequest request;
        while ((request = server.takeRequest(100, TimeUnit.MILLISECONDS)) != null) {
            counts.merge(request.getMethod() + " " + resourceOf(request.getPath()), 1L, Long::sum);
        }
        return counts;
    }

    private static void drain(KubernetesMockServer server) throws InterruptedException {
        while (server.takeRequest(100, TimeUnit.MILLISECONDS) != null) {
            // requests made before the rollout are not counted
        }
    }

    /** The resource plural of a request path, e.g. nodenetworkconfigurationenactments. */
    static String resourceOf(String path) {
        for (NmstateKind kind : NmstateKind.values()) {
            if (path.contains("/" + kind.plural())) {
                return kind.plural();
            }
        }
        return "other";
    }

    /** Hands statuses to the writer but leaves closing it to the scenario, which counts its writes first. */
    private record KeepOpen(KubernetesStatusWriter writer) implements StatusSink {
        @Override
        public void accept(ResourceStatus status) {
            writer.accept(status);
        }
    }
}
