package io.nmstream.ingest.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.ingest.manifest.ManifestParser;
import io.nmstream.ingest.manifest.PolicyManifest;
import io.nmstream.schemas.avro.PolicyAction;
import io.nmstream.schemas.avro.PolicyEvent;
import io.nmstream.schemas.avro.PolicySource;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Planning turns the published events and the manifests into exactly the events a user expects, with no I/O. */
class PolicyPlannerTest {

    private final PolicyPlanner planner = new PolicyPlanner(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
    private final PolicySource gitops = PolicySource.newBuilder(PolicySources.cli("alice", "test")).setOrigin("file:/repo/policies")
        .build();
    private final List<PolicyEvent> topic = new ArrayList<>();

    private static PolicyManifest manifest(String name, int mtu) {
        String text = """
            apiVersion: nmstate.io/v1
            kind: NodeNetworkConfigurationPolicy
            metadata:
              name: %s
            spec:
              desiredState:
                interfaces:
                - name: eth1
                  type: ethernet
                  mtu: %d
            """.formatted(name, mtu);
        return new ManifestParser().parse(name + ".yaml", text).policies().get(0);
    }

    private List<PolicyChange> apply(List<PolicyManifest> manifests, PolicySource source, boolean prune) {
        List<PolicyChange> changes = planner.plan(PublishedPolicies.fold(topic), manifests, source, prune);
        changes.stream().filter(PolicyChange::publishes).forEach(change -> topic.add(change.event()));
        return changes;
    }

    @Test
    void createsAtGenerationOneThenIncrementsOnChangeKeepingTheUid() {
        PolicyChange created = apply(List.of(manifest("bond", 1500)), gitops, false).get(0);
        PolicyChange updated = apply(List.of(manifest("bond", 9000)), gitops, false).get(0);

        assertThat(created.kind()).isEqualTo(PolicyChange.Kind.CREATE);
        assertThat(created.event().getGeneration()).isEqualTo(1);
        assertThat(updated.kind()).isEqualTo(PolicyChange.Kind.UPDATE);
        assertThat(updated.event().getGeneration()).isEqualTo(2);
        assertThat(updated.event().getUid()).isEqualTo(created.event().getUid());
    }

    @Test
    void reapplyingAnUnchangedManifestPublishesNothing() {
        apply(List.of(manifest("bond", 1500)), gitops, false);

        List<PolicyChange> again = apply(List.of(manifest("bond", 1500)), gitops, false);

        assertThat(again).singleElement().satisfies(change -> {
            assertThat(change.kind()).isEqualTo(PolicyChange.Kind.UNCHANGED);
            assertThat(change.publishes()).isFalse();
        });
        assertThat(topic).hasSize(1);
    }

    @Test
    void pruneDeletesOnlyWhatThisSourcePublishedAndNoLongerContains() {
        PolicySource other = PolicySource.newBuilder(gitops).setOrigin("file:/elsewhere").build();
        apply(List.of(manifest("a", 1500), manifest("b", 1500)), gitops, false);
        apply(List.of(manifest("c", 1500)), other, false);

        List<PolicyChange> changes = apply(List.of(manifest("a", 1500)), gitops, true);

        assertThat(changes).extracting(PolicyChange::kind, PolicyChange::name)
            .containsExactly(org.assertj.core.groups.Tuple.tuple(PolicyChange.Kind.UNCHANGED, "a"),
                org.assertj.core.groups.Tuple.tuple(PolicyChange.Kind.DELETE, "b"));
        assertThat(changes.get(1).event().getAction()).isEqualTo(PolicyAction.DELETE);
        assertThat(changes.get(1).event().getGeneration()).isEqualTo(2);
    }

    @Test
    void aNameCreatedAgainAfterDeleteGetsANewUidAndAHigherGeneration() {
        PolicyChange first = apply(List.of(manifest("bond", 1500)), gitops, false).get(0);
        topic.add(planner.delete(PublishedPolicies.fold(topic), "bond", gitops).event());

        PolicyChange again = apply(List.of(manifest("bond", 1500)), gitops, false).get(0);

        assertThat(again.kind()).isEqualTo(PolicyChange.Kind.CREATE);
        assertThat(again.event().getGeneration()).isEqualTo(3);
        assertThat(again.event().getUid()).isNotEqualTo(first.event().getUid());
    }

    @Test
    void deletingAPolicyThatIsNotInForcePlansNothing() {
        assertThat(planner.delete(PublishedPolicies.fold(topic), "missing", gitops)).isNull();
    }
}
