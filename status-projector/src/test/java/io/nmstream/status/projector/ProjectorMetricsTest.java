package io.nmstream.status.projector;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;
import io.nmstream.schemas.avro.PolicyEvent;
import io.nmstream.status.Events;
import io.nmstream.status.fold.StatusFold;
import io.nmstream.status.projector.FoldInput.InputTopic;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProjectorMetricsTest {

    private final Events events = new Events();
    private final StatusFold fold = new StatusFold();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ProjectorMetrics metrics = new ProjectorMetrics(meters);
    private long offset;

    @Test
    void rolloutGaugesFollowTheCurrentGenerationsEnactmentsAsTheyAreFolded() {
        fold(events.upsert("br1", 1));
        fold(events.enactment("a", "br1", 1, EnactmentPhase.PROGRESSING));
        fold(events.enactment("b", "br1", 1, EnactmentPhase.PENDING));

        assertThat(rollout("br1", "progressing")).isEqualTo(1);
        assertThat(rollout("br1", "pending")).isEqualTo(1);
        assertThat(rollout("br1", "available")).isZero();
        assertThat(meters.get(ProjectorMetrics.ROLLOUT_NODES).tag("policy", "br1").gauge().value()).isEqualTo(2);

        fold(events.enactment("a", "br1", 1, EnactmentPhase.AVAILABLE));
        fold(events.enactment("b", "br1", 1, EnactmentPhase.PROGRESSING));
        fold(events.enactment("b", "br1", 1, EnactmentPhase.FAILING));

        assertThat(rollout("br1", "available")).isEqualTo(1);
        assertThat(rollout("br1", "failing")).isEqualTo(1);
        assertThat(rollout("br1", "progressing")).isZero();
        assertThat(rollout("br1", "pending")).isZero();

        fold(events.upsert("br1", 2));

        assertThat(rollout("br1", "available")).as("a new generation starts from zero").isZero();
        assertThat(rollout("br1", "failing")).isZero();
    }

    @Test
    void enactmentsAreCountedByOutcome() {
        fold(events.upsert("br1", 1));
        fold(events.enactment("a", "br1", 1, EnactmentPhase.PROGRESSING));
        fold(events.enactment("a", "br1", 1, EnactmentPhase.AVAILABLE));
        fold(events.enactment("b", "br1", 1, EnactmentPhase.PROGRESSING));
        fold(events.enactment("b", "br1", 1, EnactmentPhase.AVAILABLE));
        fold(events.enactment("c", "br1", 1, EnactmentPhase.FAILING));

        assertThat(meters.get(ProjectorMetrics.ENACTMENTS).tag("outcome", "available").counter().count()).isEqualTo(2);
        assertThat(meters.get(ProjectorMetrics.ENACTMENTS).tag("outcome", "progressing").counter().count()).isEqualTo(2);
        assertThat(meters.get(ProjectorMetrics.ENACTMENTS).tag("outcome", "failing").counter().count()).isEqualTo(1);
        assertThat(meters.find(ProjectorMetrics.ENACTMENTS).tag("outcome", "aborted").counter()).isNull();
    }

    /** Folds one event the way the projector does: count it, fold it, show the progress. */
    private void fold(Object event) {
        InputTopic source = event instanceof PolicyEvent ? InputTopic.POLICIES : InputTopic.ENACTMENTS;
        FoldInput input = new FoldInput(Instant.EPOCH, source, 0, offset++,
            event instanceof EnactmentEvent e ? Topics.enactmentKey(e.getNode(), e.getPolicy()) : "br1", event);
        metrics.folded(input);
        input.applyTo(fold);
        metrics.showProgress(fold);
    }

    private double rollout(String policy, String phase) {
        return meters.get(ProjectorMetrics.ROLLOUT_ENACTMENTS).tags("policy", policy, "phase", phase).gauge().value();
    }
}
