package io.nmstream.status.fold;

import io.nmstream.schemas.avro.EnactmentPhase;
import java.util.Map;

/**
 * How far one policy's rollout has come: for its current generation, how many of its enactments stand in each phase,
 * out of how many matching nodes.
 *
 * @param generation the policy's current generation
 * @param matching nodes the policy matches (enactments still at an older generation count here, in no phase)
 * @param byPhase enactments of the current generation in each phase; every phase is present
 */
public record RolloutProgress(long generation, int matching, Map<EnactmentPhase, Integer> byPhase) {

    public RolloutProgress {
        byPhase = Map.copyOf(byPhase);
    }
}
