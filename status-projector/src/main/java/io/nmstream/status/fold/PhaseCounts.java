package io.nmstream.status.fold;

import io.nmstream.schemas.avro.EnactmentPhase;
import java.util.Arrays;

/**
 * How many enactments of one policy stand in each phase for the policy's current generation, and how many enactments
 * the policy has at all (its matching nodes).
 *
 * <p>The fold keeps these counters up to date by the delta of one enactment's change, so computing the policy's
 * aggregate costs the same whatever the size of the fleet. A new generation starts from zero: enactments still at an
 * older generation match but count in no phase, as kubernetes-nmstate counts only the current generation.
 */
final class PhaseCounts {

    private final int[] byPhase = new int[EnactmentPhase.values().length];
    private int matching;

    void add(EnactmentPhase phase) {
        byPhase[phase.ordinal()]++;
    }

    void remove(EnactmentPhase phase) {
        byPhase[phase.ordinal()]--;
    }

    void addMatching() {
        matching++;
    }

    void removeMatching() {
        matching--;
    }

    /** Takes the counts of {@code other}. */
    void setTo(PhaseCounts other) {
        System.arraycopy(other.byPhase, 0, byPhase, 0, byPhase.length);
        matching = other.matching;
    }

    /** Forgets the phases of the previous generation; the matching count stays. */
    void startGeneration() {
        Arrays.fill(byPhase, 0);
    }

    int count(EnactmentPhase phase) {
        return byPhase[phase.ordinal()];
    }

    int matching() {
        return matching;
    }

    int available() {
        return byPhase[EnactmentPhase.AVAILABLE.ordinal()];
    }

    /** Failing enactments, retrying ones included: both carry Failing=True. */
    int failed() {
        return byPhase[EnactmentPhase.FAILING.ordinal()] + byPhase[EnactmentPhase.RETRYING.ordinal()];
    }

    int aborted() {
        return byPhase[EnactmentPhase.ABORTED.ordinal()];
    }

    int pending() {
        return byPhase[EnactmentPhase.PENDING.ordinal()];
    }

    /** Enactments of this generation that started it: any phase but PENDING. */
    int started() {
        int started = 0;
        for (EnactmentPhase phase : EnactmentPhase.values()) {
            started += phase == EnactmentPhase.PENDING ? 0 : byPhase[phase.ordinal()];
        }
        return started;
    }

    /** Enactments of this generation, in any phase. */
    int current() {
        return started() + pending();
    }

    /** Enactments that reached an end for this generation: available, failed or aborted. */
    int finished() {
        return available() + failed() + aborted();
    }
}
