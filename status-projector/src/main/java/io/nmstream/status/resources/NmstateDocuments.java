package io.nmstream.status.resources;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nmstream.common.policy.PolicyManifests;
import io.nmstream.common.status.NmstateKind;
import io.nmstream.schemas.avro.PolicyEvent;
import io.nmstream.schemas.avro.ResourceStatus;
import io.nmstream.schemas.avro.StatusCondition;
import io.nmstream.status.fold.Nmstate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a projected status into the documents kubernetes-nmstate users know: the {@code status} stanza of an NNCP, NNCE
 * or NNS, and the whole object as {@code kubectl get -o yaml} shows it.
 *
 * <p>The Kubernetes writer sends these status stanzas and the command line prints these objects, so both agree.
 */
public final class NmstateDocuments {

    private static final ObjectMapper JSON = new ObjectMapper();

    private NmstateDocuments() {
    }

    /** The whole object: apiVersion, kind, metadata (name, labels) and status. */
    public static Map<String, Object> object(ResourceStatus status) {
        NmstateKind kind = NmstateKind.of(status.getKind());
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("apiVersion", kind.apiVersion());
        doc.put("kind", kind.kind());
        doc.put("metadata", metadata(status));
        doc.put("status", statusStanza(status));
        return doc;
    }

    /**
     * A policy as kubectl shows the NNCP object: the manifest in force (metadata and spec, as {@code policy get -o yaml}
     * prints it) with the status stanza of {@code status}, which may still describe an earlier generation (its
     * {@code observedGeneration} says which).
     */
    public static Map<String, Object> policyObject(PolicyEvent policy, ResourceStatus status) {
        Map<String, Object> doc = JSON.convertValue(PolicyManifests.of(policy), new TypeReference<LinkedHashMap<String, Object>>() { });
        doc.put("status", statusStanza(status));
        return doc;
    }

    /** The object's metadata: name and, when it has any, labels. */
    public static Map<String, Object> metadata(ResourceStatus status) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", status.getName());
        if (!status.getLabels().isEmpty()) {
            metadata.put("labels", new TreeMap<>(status.getLabels()));
        }
        return metadata;
    }

    /**
     * The {@code status} stanza: conditions and generations for NNCP and NNCE (kubernetes-nmstate's
     * {@code policyGeneration} on an NNCE, and its {@code desiredState} when the node resolved the policy's captures),
     * current state, time of its last change and the node's NetworkManager version for an NNS.
     */
    public static Map<String, Object> statusStanza(ResourceStatus status) {
        Map<String, Object> stanza = new LinkedHashMap<>();
        switch (status.getKind()) {
            case NNCE -> {
                stanza.put("policyGeneration", status.getGeneration());
                stanza.put("observedGeneration", status.getGeneration());
                stanza.put("conditions", conditions(status.getConditions()));
                if (status.getDetail() != null) {
                    Object detail = parse(status.getDetail());
                    if (detail instanceof Map<?, ?> map && map.containsKey(Nmstate.DESIRED_STATE)) {
                        Map<Object, Object> metaInfo = new LinkedHashMap<>(map);
                        stanza.put("desiredState", metaInfo.remove(Nmstate.DESIRED_STATE));
                        detail = metaInfo;
                    }
                    stanza.put("desiredStateMetaInfo", detail);
                }
            }
            case NNS -> {
                stanza.put("currentState", parse(status.getDetail()));
                stanza.put("lastSuccessfulUpdateTime", status.getUpdatedAt().toString());
                if (status.getHostNetworkManagerVersion() != null) {
                    stanza.put("hostNetworkManagerVersion", status.getHostNetworkManagerVersion());
                }
            }
            default -> {
                stanza.put("observedGeneration", status.getGeneration());
                stanza.put("conditions", conditions(status.getConditions()));
            }
        }
        return stanza;
    }

    /** Conditions as Kubernetes lists them; an empty reason or message is left out. */
    public static List<Map<String, Object>> conditions(List<StatusCondition> conditions) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (StatusCondition c : conditions) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", c.getType());
            m.put("status", c.getStatus());
            if (!c.getReason().isEmpty()) {
                m.put("reason", c.getReason());
            }
            if (!c.getMessage().isEmpty()) {
                m.put("message", c.getMessage());
            }
            m.put("lastTransitionTime", c.getLastTransitionTime().toString());
            out.add(m);
        }
        return out;
    }

    /** Parses a JSON document kept as text; text that is not JSON is kept as a string. */
    private static Object parse(String json) {
        if (json == null || json.isEmpty()) {
            return Map.of();
        }
        try {
            return JSON.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            return json;
        }
    }
}
