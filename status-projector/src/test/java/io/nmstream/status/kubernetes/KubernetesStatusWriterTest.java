package io.nmstream.status.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nmstream.common.config.Config;
import io.nmstream.schemas.avro.EnactmentPhase;
import io.nmstream.schemas.avro.ResourceKind;
import io.nmstream.schemas.avro.ResourceStatus;
import io.nmstream.schemas.avro.StatusCondition;
import io.nmstream.status.Events;
import io.nmstream.status.fold.StatusFold;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The writer's coalescing, skipping and retrying, over an API that records what reaches it. */
class KubernetesStatusWriterTest {

    private final Events events = new Events();
    private final RecordingApi api = new RecordingApi();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final KubernetesStatusWriter writer = new KubernetesStatusWriter(api, null, Config.of(Map.of(
        KubernetesSettings.WINDOW.name(), "1h", KubernetesSettings.QPS.name(), "1000", KubernetesSettings.BURST.name(), "1000")), meters);

    /** Records writes; fails, retryably or not, while {@code failRetryably} is set. */
    private static final class RecordingApi implements NmstateApi {
        final List<ResourceStatus> writes = new ArrayList<>();
        final List<String> deletes = new ArrayList<>();
        Boolean failRetryably;

        @Override
        public boolean writeStatus(ResourceStatus status, boolean knownToExist) {
            if (failRetryably != null) {
                throw new ApiException("HTTP " + (failRetryably ? 503 : 422), failRetryably, null);
            }
            writes.add(status);
            return true;
        }

        @Override
        public void delete(ResourceStatus status) {
            deletes.add(status.getName());
        }
    }

    @Test
    void writesOnlyTheLatestStatusOfEachObjectPerWindow() throws Exception {
        List<ResourceStatus> history = rollout();
        history.forEach(writer::accept);

        writer.flush();

        assertThat(history).hasSizeGreaterThan(api.writes.size());
        assertThat(api.writes).extracting(ResourceStatus::getName).doesNotHaveDuplicates()
            .containsExactlyInAnyOrder("br1", "a.br1", "b.br1");
        assertThat(api.writes).filteredOn(s -> s.getKind() == ResourceKind.NNCP).singleElement()
            .satisfies(s -> assertThat(s.getConditions()).anySatisfy(c -> {
                assertThat(c.getType()).isEqualTo("Available");
                assertThat(c.getStatus()).isEqualTo("True");
            }));
    }

    @Test
    void skipsAStatusThatChangedOnlyItsTimestamps() throws Exception {
        ResourceStatus status = rollout().get(0);
        writer.accept(status);
        writer.flush();

        writer.accept(withTimestamps(status, Instant.parse("2031-01-01T00:00:00Z")));
        writer.flush();

        assertThat(api.writes).hasSize(1);
        assertThat(writer.skipped()).isEqualTo(1);
    }

    @Test
    void retryableFailureKeepsTheStatusUntilANewerOneReplacesIt() throws Exception {
        List<ResourceStatus> history = rollout();
        ResourceStatus older = history.stream().filter(s -> s.getKind() == ResourceKind.NNCP).findFirst().orElseThrow();
        ResourceStatus newer = history.stream().filter(s -> s.getKind() == ResourceKind.NNCP).reduce((a, b) -> b).orElseThrow();
        api.failRetryably = true;
        writer.accept(older);
        writer.flush();
        assertThat(writer.pendingCount()).isEqualTo(1);

        writer.accept(newer);
        api.failRetryably = null;
        writer.flush();

        assertThat(api.writes).containsExactly(newer);
        assertThat(writer.pendingCount()).isZero();
    }

    @Test
    void pendingStatusesStayBoundedByTheObjectCountWhileTheApiIsDown() throws Exception {
        api.failRetryably = true;
        for (int round = 0; round < 50; round++) {
            rollout().forEach(writer::accept);
            writer.flush();
        }

        assertThat(writer.pendingCount()).isEqualTo(3);
        assertThat(api.writes).isEmpty();
    }

    @Test
    void statusTheApiRefusesIsDroppedNotRetried() throws Exception {
        api.failRetryably = false;
        writer.accept(rollout().get(0));
        writer.flush();
        api.failRetryably = null;
        writer.flush();

        assertThat(writer.failures()).isEqualTo(1);
        assertThat(writer.pendingCount()).isZero();
        assertThat(api.writes).isEmpty();
    }

    @Test
    void deletedEnactmentIsDeleted() throws Exception {
        StatusFold fold = new StatusFold();
        fold.apply(events.upsert("br1", 1));
        fold.apply(events.enactment("a", "br1", 1, EnactmentPhase.AVAILABLE)).forEach(writer::accept);
        fold.apply(events.enactment("a", "br1", 1, EnactmentPhase.REMOVED)).forEach(writer::accept);

        writer.flush();

        assertThat(api.deletes).containsExactly("a.br1");
    }

    @Test
    void countsApiWritesAndErrorsByVerbAndKind() throws Exception {
        StatusFold fold = new StatusFold();
        fold.apply(events.upsert("br1", 1));
        List<ResourceStatus> available = fold.apply(events.enactment("a", "br1", 1, EnactmentPhase.AVAILABLE));
        writer.accept(ofKind(available, ResourceKind.NNCP));
        writer.accept(ofKind(available, ResourceKind.NNCE));
        writer.flush();
        writer.accept(ofKind(fold.apply(events.enactment("a", "br1", 1, EnactmentPhase.REMOVED)), ResourceKind.NNCE));
        writer.flush();
        api.failRetryably = true;
        writer.accept(ofKind(fold.apply(events.enactment("b", "br1", 1, EnactmentPhase.PROGRESSING)), ResourceKind.NNCE));
        writer.flush();

        assertThat(meters.get(KubernetesStatusWriter.API_WRITES).tags("verb", "patch", "kind", "nncp").counter().count()).isEqualTo(1);
        assertThat(meters.get(KubernetesStatusWriter.API_WRITES).tags("verb", "patch", "kind", "nnce").counter().count()).isEqualTo(2);
        assertThat(meters.get(KubernetesStatusWriter.API_WRITES).tags("verb", "delete", "kind", "nnce").counter().count()).isEqualTo(1);
        assertThat(meters.get(KubernetesStatusWriter.API_ERRORS).counters()).singleElement().satisfies(errors -> {
            assertThat(errors.getId().getTags()).extracting(tag -> tag.getKey() + "=" + tag.getValue())
                .containsExactlyInAnyOrder("verb=patch", "kind=nnce", "retryable=true");
            assertThat(errors.count()).isEqualTo(1);
        });
    }

    private static ResourceStatus ofKind(List<ResourceStatus> statuses, ResourceKind kind) {
        return statuses.stream().filter(s -> s.getKind() == kind).findFirst().orElseThrow();
    }

    /** The statuses a small rollout publishes, in order. */
    private List<ResourceStatus> rollout() {
        StatusFold fold = new StatusFold();
        List<ResourceStatus> out = new ArrayList<>(fold.apply(events.upsert("br1", 1)));
        out.addAll(fold.apply(events.enactment("a", "br1", 1, EnactmentPhase.PROGRESSING)));
        out.addAll(fold.apply(events.enactment("b", "br1", 1, EnactmentPhase.PENDING)));
        out.addAll(fold.apply(events.enactment("a", "br1", 1, EnactmentPhase.AVAILABLE)));
        out.addAll(fold.apply(events.enactment("b", "br1", 1, EnactmentPhase.PROGRESSING)));
        out.addAll(fold.apply(events.enactment("b", "br1", 1, EnactmentPhase.AVAILABLE)));
        return out;
    }

    private static ResourceStatus withTimestamps(ResourceStatus status, Instant at) {
        List<StatusCondition> conditions = new ArrayList<>();
        status.getConditions().forEach(c -> conditions.add(StatusCondition.newBuilder(c).setLastTransitionTime(at).build()));
        return ResourceStatus.newBuilder(status).setConditions(conditions).setUpdatedAt(at).build();
    }
}
