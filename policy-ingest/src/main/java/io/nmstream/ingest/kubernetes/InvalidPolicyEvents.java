package io.nmstream.ingest.kubernetes;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a {@code kubectl} user why an NNCP they applied was not published: a Warning event {@code InvalidPolicy} on the
 * object, which {@code kubectl describe nncp NAME} and {@code kubectl get events} show, naming every problem's path and
 * value. kubernetes-nmstate refuses such an object in its admission webhook; without one, the object exists and this
 * event is where its error is. One event per version of the object: a resync of the same version records nothing new.
 */
final class InvalidPolicyEvents {

    /** The event's reason. */
    static final String REASON = "InvalidPolicy";
    /** Namespace of events about cluster-scoped objects such as NNCPs, as Kubernetes' own controllers use. */
    static final String NAMESPACE = "default";
    private static final String COMPONENT = "nmstream-policy-ingest";
    /** Longest message written: the API server truncates longer ones in {@code events.k8s.io/v1}, so it is kept under it. */
    private static final int MAX_MESSAGE = 1024;
    private static final Logger LOG = LoggerFactory.getLogger(InvalidPolicyEvents.class);

    private final KubernetesClient client;
    private final Clock clock;
    /** The resource version of each NNCP whose problems were recorded last. */
    private final Map<String, String> recorded = new ConcurrentHashMap<>();

    InvalidPolicyEvents(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /** Records that {@code nncp} was not published because of {@code problems}, once per version of the object. */
    void record(GenericKubernetesResource nncp, List<String> problems) {
        String name = nncp.getMetadata().getName();
        String version = nncp.getMetadata().getResourceVersion();
        if (version != null && version.equals(recorded.put(name, version))) {
            return;
        }
        String message = "Not published: " + String.join("; ", problems);
        if (message.length() > MAX_MESSAGE) {
            message = message.substring(0, MAX_MESSAGE - 3) + "...";
        }
        String now = Instant.now(clock).toString();
        Event event = new EventBuilder()
            .withNewMetadata()
                .withName(name + "." + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT))
                .withNamespace(NAMESPACE)
            .endMetadata()
            .withNewInvolvedObject()
                .withApiVersion(nncp.getApiVersion()).withKind(nncp.getKind()).withName(name)
                .withUid(nncp.getMetadata().getUid()).withResourceVersion(version)
            .endInvolvedObject()
            .withType("Warning").withReason(REASON).withMessage(message)
            .withNewSource().withComponent(COMPONENT).endSource()
            .withReportingComponent(COMPONENT)
            .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
            .build();
        try {
            client.v1().events().inNamespace(NAMESPACE).resource(event).create();
        } catch (KubernetesClientException e) {
            // e.g. no RBAC permission to create events: the warning in the log is then all there is
            LOG.warn("Could not record event {} on NNCP {}: {}", REASON, name, e.getMessage());
        }
    }

    /** Forgets a deleted NNCP. */
    void forget(String name) {
        recorded.remove(name);
    }
}
