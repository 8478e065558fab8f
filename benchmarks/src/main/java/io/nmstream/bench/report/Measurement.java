package io.nmstream.bench.report;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One row of the benchmark report: nmstream and its baseline measured in the same run, their ratio, and the target.
 *
 * @param scenario rollout, replay, host-apply, footprint or writeback
 * @param size what was measured, e.g. "10000 nodes" or "p50"
 * @param nmstream nmstream's figure (milliseconds, MiB or writes, see {@code unit}); NaN when not measured
 * @param baseline the baseline's figure in the same unit; NaN when the scenario has none
 * @param unit unit of both figures
 * @param runs measured runs behind the figures (each the median of that many, after unmeasured warm-up runs); 1 for a
 *     single reading, 0 when nothing was measured
 * @param target the target as text, e.g. "ratio >= 0.5"
 * @param outcome whether the target was met
 * @param details everything else measured or used (record counts, settings, why a scenario was skipped)
 */
public record Measurement(String scenario, String size, double nmstream, double baseline, String unit, int runs, String target,
                          Outcome outcome, Map<String, Object> details) {

    public Measurement {
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(outcome, "outcome");
        details = new LinkedHashMap<>(details);
    }

    /** A row for a scenario that could not run here, with the reason. */
    public static Measurement skipped(String scenario, String size, String target, String reason) {
        return new Measurement(scenario, size, Double.NaN, Double.NaN, "", 0, target, Outcome.SKIPPED, Map.of("skipped", reason));
    }

    /** baseline / nmstream: 1.0 means nmstream costs nothing beyond the baseline; NaN without both figures. */
    public double ratio() {
        if (Double.isNaN(nmstream) || Double.isNaN(baseline) || nmstream == 0) {
            return Double.NaN;
        }
        return baseline / nmstream;
    }
}
