package io.nmstream.status.projector;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;
import io.nmstream.status.fold.RolloutProgress;
import io.nmstream.status.fold.StatusFold;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The status projector's meters: rollout progress per policy (gauges of the current generation's enactments in each
 * phase, and of the nodes each policy matches) and enactment events by outcome (a counter per phase). Both are bounded:
 * a policy's rows disappear with the policy, and outcomes are the enactment phases.
 */
public final class ProjectorMetrics {

    /** Gauge: enactments of a policy's current generation in a phase, tagged {@code policy} and {@code phase}. */
    public static final String ROLLOUT_ENACTMENTS = "nmstream.rollout.enactments";
    /** Gauge: nodes a policy matches, tagged {@code policy}. */
    public static final String ROLLOUT_NODES = "nmstream.rollout.nodes";
    /** Counter: enactment events that arrived since start (history is not counted), tagged {@code outcome} (the phase, lower case). */
    public static final String ENACTMENTS = "nmstream.enactments";

    private final MeterRegistry meters;
    private final MultiGauge rolloutEnactments;
    private final MultiGauge rolloutNodes;

    public ProjectorMetrics(MeterRegistry meters) {
        this.meters = meters;
        this.rolloutEnactments = MultiGauge.builder(ROLLOUT_ENACTMENTS)
            .description("Enactments of each policy's current generation, by phase").register(meters);
        this.rolloutNodes = MultiGauge.builder(ROLLOUT_NODES).description("Nodes each policy matches").register(meters);
    }

    /** Counts {@code input} when it is an enactment event; the projector calls it for new records only, not for history. */
    public void folded(FoldInput input) {
        if (input.event() instanceof EnactmentEvent enactment) {
            Counter.builder(ENACTMENTS).description("Enactment events folded, by outcome")
                .tag("outcome", enactment.getPhase().name().toLowerCase(Locale.ROOT)).register(meters).increment();
        }
    }

    /** Sets the rollout gauges to what {@code fold} holds now; policies no longer in it lose their rows. */
    public void showProgress(StatusFold fold) {
        List<MultiGauge.Row<?>> phases = new ArrayList<>();
        List<MultiGauge.Row<?>> nodes = new ArrayList<>();
        for (Map.Entry<String, RolloutProgress> policy : fold.rolloutProgress().entrySet()) {
            for (Map.Entry<EnactmentPhase, Integer> phase : policy.getValue().byPhase().entrySet()) {
                phases.add(MultiGauge.Row.of(Tags.of("policy", policy.getKey(), "phase", phase.getKey().name().toLowerCase(Locale.ROOT)),
                    phase.getValue()));
            }
            nodes.add(MultiGauge.Row.of(Tags.of("policy", policy.getKey()), policy.getValue().matching()));
        }
        rolloutEnactments.register(phases, true);
        rolloutNodes.register(nodes, true);
    }
}
