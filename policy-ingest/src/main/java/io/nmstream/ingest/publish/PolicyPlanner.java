package io.nmstream.ingest.publish;

import io.nmstream.ingest.manifest.PolicyManifest;
import io.nmstream.schemas.avro.PolicyAction;
import io.nmstream.schemas.avro.PolicyEvent;
import io.nmstream.schemas.avro.PolicySource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Decides, without any I/O, which events turn the published policies into the given manifests: a new generation for a
 * changed spec, nothing for an unchanged one, a delete for each policy this source published before and no longer has
 * (when pruning).
 *
 * <p>Generations only grow per name, across deletes too, so consumers can always drop a stale event by comparing
 * generations; a name created again after a delete gets a new uid.
 */
public final class PolicyPlanner {

    private final Clock clock;

    public PolicyPlanner(Clock clock) {
        this.clock = clock;
    }

    /** The changes that bring {@code published} to {@code manifests}, pruning this source's others when {@code prune}. */
    public List<PolicyChange> plan(PublishedPolicies published, List<PolicyManifest> manifests, PolicySource source, boolean prune) {
        List<PolicyChange> changes = new ArrayList<>();
        for (PolicyManifest manifest : manifests) {
            changes.add(upsert(published, manifest, source));
        }
        if (prune) {
            Set<String> kept = manifests.stream().map(PolicyManifest::name).collect(Collectors.toSet());
            for (PolicyEvent live : published.live()) {
                if (!kept.contains(live.getName()) && live.getSource().getOrigin().equals(source.getOrigin())) {
                    changes.add(delete(live, source));
                }
            }
        }
        return changes;
    }

    /** The change that deletes {@code name}, or null when no such policy is in force. */
    public PolicyChange delete(PublishedPolicies published, String name, PolicySource source) {
        return published.live(name).map(live -> delete(live, source)).orElse(null);
    }

    private PolicyChange upsert(PublishedPolicies published, PolicyManifest manifest, PolicySource source) {
        PolicyEvent latest = published.latest(manifest.name()).orElse(null);
        boolean live = latest != null && latest.getAction() == PolicyAction.UPSERT;
        if (live && sameSpec(latest, manifest)) {
            return new PolicyChange(PolicyChange.Kind.UNCHANGED, manifest.name(), latest, null);
        }
        PolicyEvent event = PolicyEvent.newBuilder()
            .setAction(PolicyAction.UPSERT)
            .setName(manifest.name())
            .setUid(live ? latest.getUid() : UUID.randomUUID().toString())
            .setGeneration(latest == null ? 1 : latest.getGeneration() + 1)
            .setNodeSelector(new TreeMap<>(manifest.nodeSelector()))
            .setMaxUnavailable(manifest.maxUnavailable())
            .setCapture(new TreeMap<>(manifest.capture()))
            .setPriority(manifest.priority())
            .setRevertOnDelete(manifest.revertOnDelete())
            .setDesiredState(manifest.desiredState())
            .setDesiredStateDigest(manifest.desiredStateDigest())
            .setSource(PolicySource.newBuilder(source).build())
            .setEventTime(clock.instant())
            .build();
        return new PolicyChange(live ? PolicyChange.Kind.UPDATE : PolicyChange.Kind.CREATE, manifest.name(), latest, event);
    }

    private PolicyChange delete(PolicyEvent live, PolicySource source) {
        PolicyEvent event = PolicyEvent.newBuilder()
            .setAction(PolicyAction.DELETE)
            .setName(live.getName())
            .setUid(live.getUid())
            .setGeneration(live.getGeneration() + 1)
            .setNodeSelector(Map.of())
            .setMaxUnavailable(live.getMaxUnavailable())
            .setCapture(Map.of())
            .setPriority(live.getPriority())
            .setRevertOnDelete(live.getRevertOnDelete())
            .setDesiredState("")
            .setDesiredStateDigest("")
            .setSource(PolicySource.newBuilder(source).build())
            .setEventTime(clock.instant())
            .build();
        return new PolicyChange(PolicyChange.Kind.DELETE, live.getName(), live, event);
    }

    /** The spec is unchanged when everything a reconciler acts on is equal; who published it does not count. */
    static boolean sameSpec(PolicyEvent published, PolicyManifest manifest) {
        return published.getDesiredStateDigest().equals(manifest.desiredStateDigest())
            && new HashMap<>(published.getNodeSelector()).equals(manifest.nodeSelector())
            && published.getMaxUnavailable().equals(manifest.maxUnavailable())
            && new HashMap<>(published.getCapture()).equals(manifest.capture())
            && published.getPriority() == manifest.priority()
            && published.getRevertOnDelete() == manifest.revertOnDelete();
    }
}
