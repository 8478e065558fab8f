package io.nmstream.status.kubernetes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.nmstream.schemas.avro.ResourceKind;
import io.nmstream.schemas.avro.ResourceStatus;
import io.nmstream.status.resources.NmstateDocuments;
import io.nmstream.common.status.NmstateKind;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link NmstateApi} over fabric8: status goes through the {@code status} subresource as one JSON Patch request that
 * sets the whole, freshly built {@code status} stanza (nmstream is its only writer); nothing is read first and no object
 * read from a cache is ever sent back.
 */
final class Fabric8NmstateApi implements NmstateApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final Map<ResourceKind, ResourceDefinitionContext> contexts = new EnumMap<>(ResourceKind.class);
    private final long requestTimeoutMillis;

    Fabric8NmstateApi(KubernetesClient client) {
        this.client = client;
        for (NmstateKind kind : NmstateKind.values()) {
            contexts.put(kind.resourceKind(), new ResourceDefinitionContext.Builder().withGroup(NmstateKind.GROUP)
                .withVersion(kind.version()).withKind(kind.kind()).withPlural(kind.plural()).withNamespaced(false).build());
        }
        int timeout = client.getConfiguration().getRequestTimeout();
        requestTimeoutMillis = timeout > 0 ? timeout : 10_000;
    }

    @Override
    public boolean writeStatus(ResourceStatus status, boolean knownToExist) {
        // one JSON Patch operation that sets the whole status stanza: lists such as conditions are replaced, never merged
        String body = json(List.of(Map.of("op", "add", "path", "/status", "value", NmstateDocuments.statusStanza(status))));
        boolean owned = status.getKind() != ResourceKind.NNCP;
        if (owned && !knownToExist) {
            create(status);
        }
        try {
            patchStatus(status, body);
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw failure("Writing status of " + describe(status), e);
            }
        }
        if (!owned) {
            return false;
        }
        create(status);
        try {
            patchStatus(status, body);
            return true;
        } catch (KubernetesClientException e) {
            throw failure("Writing status of new " + describe(status), e);
        }
    }

    @Override
    public void delete(ResourceStatus status) {
        if (status.getKind() == ResourceKind.NNCP) {
            return;
        }
        try {
            resources(status.getKind()).withName(status.getName()).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw failure("Deleting " + describe(status), e);
            }
        } catch (RuntimeException e) {
            throw new ApiException("Deleting " + describe(status) + " failed: " + e, true, e);
        }
    }

    /**
     * One PATCH of the status subresource, sent through the client's own HTTP client (with its authentication): the DSL
     * would read the object first, doubling the requests per write.
     */
    private void patchStatus(ResourceStatus status, String body) {
        NmstateKind kind = NmstateKind.of(status.getKind());
        String master = client.getMasterUrl().toString().replaceAll("/+$", "");
        String url = master + "/apis/" + NmstateKind.GROUP + "/" + kind.version() + "/" + kind.plural() + "/" + status.getName()
            + "/status";
        HttpClient http = client.getHttpClient();
        HttpRequest request = http.newHttpRequestBuilder().uri(url).method("PATCH", PatchType.JSON.getContentType(), body).build();
        HttpResponse<String> response;
        try {
            response = http.sendAsync(request, String.class).get(requestTimeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException("Writing status of " + describe(status) + " was interrupted", true, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new ApiException("Writing status of " + describe(status) + " failed: " + e, true, e);
        }
        if (response.code() / 100 != 2) {
            throw new KubernetesClientException("PATCH " + url + " answered HTTP " + response.code() + ": " + response.body(),
                response.code(), null);
        }
    }

    private void create(ResourceStatus status) {
        NmstateKind kind = NmstateKind.of(status.getKind());
        GenericKubernetesResource object = new GenericKubernetesResource();
        object.setApiVersion(kind.apiVersion());
        object.setKind(kind.kind());
        object.setMetadata(new ObjectMetaBuilder().withName(status.getName()).withLabels(status.getLabels()).build());
        try {
            resources(status.getKind()).resource(object).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw failure("Creating " + describe(status), e);
            }
        } catch (RuntimeException e) {
            throw new ApiException("Creating " + describe(status) + " failed: " + e, true, e);
        }
    }

    private NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
        resources(ResourceKind kind) {
        return client.genericKubernetesResources(contexts.get(kind));
    }

    private static ApiException failure(String what, KubernetesClientException e) {
        int code = e.getCode();
        // code 0 or -1: no HTTP answer (timeout, connection refused or reset)
        boolean retryable = code <= 0 || code == 409 || code == 429 || code >= 500;
        return new ApiException(what + " failed with HTTP " + code + ": " + e.getMessage(), retryable, e);
    }

    private static String describe(ResourceStatus status) {
        return NmstateKind.of(status.getKind()).shortName() + "/" + status.getName();
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Status cannot be written as JSON", e);
        }
    }
}
