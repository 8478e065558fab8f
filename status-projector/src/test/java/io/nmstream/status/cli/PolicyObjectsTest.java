package io.nmstream.status.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.schemas.avro.PolicyEvent;
import io.nmstream.schemas.avro.ResourceKind;
import io.nmstream.schemas.avro.ResourceStatus;
import io.nmstream.status.Events;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyObjectsTest {

    private final Events events = new Events();
    private final List<Map<String, PolicyEvent>> topicStates = new ArrayList<>();
    private int reads;

    private PolicyObjects objects() {
        return new PolicyObjects(() -> topicStates.get(Math.min(reads++, topicStates.size() - 1)));
    }

    @Test
    void aPolicyShowsTheManifestInForceWithItsStatus() {
        topicStates.add(Map.of("br1", events.upsert("br1", 1)));

        Map<String, Object> object = objects().apply(status("br1", 1, false));

        assertThat(object).containsKeys("apiVersion", "kind", "metadata", "spec", "status");
        assertThat(field(object, "metadata")).containsEntry("uid", "uid-br1").containsEntry("generation", 1L);
        assertThat(field(object, "status")).containsEntry("observedGeneration", 1L);
    }

    @Test
    void aStatusOfAGenerationPublishedSinceThePoliciesWereReadReadsThemAgain() {
        topicStates.add(Map.of("br1", events.upsert("br1", 1)));
        topicStates.add(Map.of("br1", events.upsert("br1", 2)));
        PolicyObjects objects = objects();

        objects.apply(status("br1", 1, false));
        assertThat(reads).as("the first read serves the generation it holds").isEqualTo(1);

        Map<String, Object> object = objects.apply(status("br1", 2, false));
        assertThat(reads).isEqualTo(2);
        assertThat(field(object, "metadata")).containsEntry("generation", 2L);
    }

    @Test
    void aPolicyTheTopicDoesNotHoldIsReadAgainOncePerGenerationNotForEveryStatus() {
        topicStates.add(Map.of());
        PolicyObjects objects = objects();

        assertThat(objects.apply(status("gone", 1, false))).doesNotContainKey("spec");
        objects.apply(status("gone", 1, false));
        objects.apply(status("gone", 1, false));
        assertThat(reads).as("the first read, and one more for generation 1").isEqualTo(2);

        objects.apply(status("gone", 2, false));
        assertThat(reads).isEqualTo(3);
    }

    @Test
    void aDeletedPolicyShowsItsLastStatusAloneWithoutReadingAgain() {
        topicStates.add(Map.of("br1", events.delete("br1", 2)));
        PolicyObjects objects = objects();

        Map<String, Object> object = objects.apply(status("br1", 2, true));

        assertThat(object).containsKeys("metadata", "status").doesNotContainKey("spec");
        assertThat(reads).isEqualTo(1);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> field(Map<String, Object> object, String name) {
        return (Map<String, Object>) object.get(name);
    }

    private static ResourceStatus status(String name, long generation, boolean deleted) {
        return ResourceStatus.newBuilder().setKind(ResourceKind.NNCP).setName(name).setGeneration(generation).setConditions(List.of())
            .setLabels(Map.of()).setDetail(null).setDeleted(deleted).setUpdatedAt(Instant.parse("2026-12-07T00:00:00Z")).build();
    }
}
