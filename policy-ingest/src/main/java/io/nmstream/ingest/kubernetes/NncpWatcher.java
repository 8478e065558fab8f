package io.nmstream.ingest.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.nmstream.ingest.manifest.ManifestParser;
import io.nmstream.ingest.manifest.ManifestProblem;
import io.nmstream.ingest.publish.ClusterUnavailableException;
import io.nmstream.ingest.publish.PolicyChange;
import io.nmstream.ingest.publish.PolicyPublisher;
import io.nmstream.ingest.publish.PolicySources;
import io.nmstream.schemas.avro.PolicyEvent;
import io.nmstream.schemas.avro.SourceKind;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the NodeNetworkConfigurationPolicy custom resources of a Kubernetes cluster as policy events, so that
 * {@code kubectl apply -f nncp.yaml} keeps working for kubernetes-nmstate users: creates and updates become upserts
 * (unchanged specs publish nothing), deletes become delete events.
 *
 * <p>On start, once the informer has listed every NNCP, policies that came from Kubernetes but whose object no longer
 * exists (deleted while the bridge was down) are deleted too.
 */
public final class NncpWatcher implements AutoCloseable {

    /** The NNCP custom resource, served by kubernetes-nmstate's CRD; cluster-scoped. */
    public static final ResourceDefinitionContext NNCP = new ResourceDefinitionContext.Builder()
        .withGroup("nmstate.io").withVersion("v1").withKind(ManifestParser.KIND).withPlural("nodenetworkconfigurationpolicies")
        .withNamespaced(false).build();
    private static final Logger LOG = LoggerFactory.getLogger(NncpWatcher.class);
    private static final long RESYNC_MILLIS = 10 * 60 * 1000L;

    private final KubernetesClient client;
    private final PolicyPublisher publisher;
    private final ManifestParser parser = new ManifestParser();
    private final InvalidPolicyEvents invalid;
    private SharedIndexInformer<GenericKubernetesResource> informer;

    public NncpWatcher(KubernetesClient client, PolicyPublisher publisher) {
        this.client = client;
        this.publisher = publisher;
        this.invalid = new InvalidPolicyEvents(client, Clock.systemUTC());
    }

    /** Starts watching; returns once the initial list has been published. */
    public void start() {
        informer = client.genericKubernetesResources(NNCP).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(GenericKubernetesResource resource) {
                upsert(resource);
            }

            @Override
            public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource after) {
                upsert(after);
            }

            @Override
            public void onDelete(GenericKubernetesResource resource, boolean finalStateUnknown) {
                delete(resource.getMetadata().getName(), resource.getMetadata().getResourceVersion());
            }
        }, RESYNC_MILLIS);
        deleteThoseGoneWhileAway();
    }

    private void upsert(GenericKubernetesResource resource) {
        String name = resource.getMetadata().getName();
        String source = "kubernetes:nodenetworkconfigurationpolicies/" + name;
        ManifestParser.Result result = parser.parse(source, client.getKubernetesSerialization().asJson(resource));
        if (!result.valid()) {
            // an invalid object stays unpublished; its previous valid generation, if any, stays in force
            List<String> problems = result.problems().stream().map(ManifestProblem::message).toList();
            LOG.warn("NNCP {} is invalid and was not published: {}", name, String.join("; ", problems));
            invalid.record(resource, problems);
            return;
        }
        try {
            List<PolicyChange> changes = publisher.apply(result.policies(),
                PolicySources.kubernetes(name, resource.getMetadata().getResourceVersion(), managerOf(resource)), false);
            changes.forEach(change -> LOG.info("NNCP {}: {}", name, change.describe()));
        } catch (ClusterUnavailableException e) {
            // the next resync (or update) retries; the informer thread must survive
            LOG.error("NNCP {} could not be published: {}", name, e.getMessage());
        }
    }

    private void delete(String name, String resourceVersion) {
        invalid.forget(name);
        try {
            publisher.delete(name, PolicySources.kubernetes(name, resourceVersion, null))
                .ifPresent(change -> LOG.info("NNCP {}: {}", name, change.describe()));
        } catch (ClusterUnavailableException e) {
            LOG.error("Deletion of NNCP {} could not be published: {}", name, e.getMessage());
        }
    }

    private void deleteThoseGoneWhileAway() {
        Set<String> present = informer.getStore().list().stream().map(r -> r.getMetadata().getName()).collect(Collectors.toSet());
        for (PolicyEvent live : publisher.published().live()) {
            if (live.getSource().getKind() == SourceKind.KUBERNETES && !present.contains(live.getName())) {
                delete(live.getName(), "");
            }
        }
    }

    /** The field manager of the object's latest change, as the closest thing Kubernetes records to "who". */
    private static String managerOf(GenericKubernetesResource resource) {
        List<ManagedFieldsEntry> fields = resource.getMetadata().getManagedFields();
        return fields == null || fields.isEmpty() ? null : fields.get(fields.size() - 1).getManager();
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
    }
}
