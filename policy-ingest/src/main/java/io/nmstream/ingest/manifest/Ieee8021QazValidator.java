package io.nmstream.ingest.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Validates the IEEE 802.1Qaz (DCB) block RoCE NICs are configured with: priority flow control on priorities 0–7 and
 * ETS traffic classes 0–7 whose bandwidth shares add up to 100 percent.
 *
 * <pre>
 * ieee-8021Qaz:
 *   pfc: {enabled: [3], delay: 0}
 *   ets: {traffic-class: [{traffic-class: 0, bandwidth: 70, algorithm: enhanced-transmission-selection}, ...]}
 * </pre>
 */
final class Ieee8021QazValidator {

    static final int MAX_PRIORITY = 7;
    static final int TOTAL_BANDWIDTH = 100;
    static final String ETS = "enhanced-transmission-selection";
    static final List<String> ALGORITHMS = List.of(ETS, "strict-priority", "credit-based-shaper", "vendor");

    private final Checks checks;
    private final Problems problems;

    Ieee8021QazValidator(Checks checks) {
        this.checks = checks;
        this.problems = checks.problems();
    }

    void validate(JsonNode block, String path) {
        if (!checks.object(block, path)) {
            return;
        }
        checks.knownFields(block, path, List.of("pfc", "ets", "willing"), "ieee-8021Qaz");
        if (block.has("willing")) {
            checks.bool(block.get("willing"), Problems.field(path, "willing"));
        }
        if (block.has("pfc")) {
            validatePfc(block.get("pfc"), Problems.field(path, "pfc"));
        }
        if (block.has("ets")) {
            validateEts(block.get("ets"), Problems.field(path, "ets"));
        }
    }

    /** Manages priority flow control: distinct priorities 0–7 and a non-negative delay allowance. */
    private void validatePfc(JsonNode pfc, String path) {
        if (!checks.object(pfc, path)) {
            return;
        }
        checks.knownFields(pfc, path, List.of("enabled", "delay"), "pfc");
        if (pfc.has("delay")) {
            checks.integer(pfc.get("delay"), Problems.field(path, "delay"), 0, 65535);
        }
        if (!pfc.has("enabled") || !checks.list(pfc.get("enabled"), Problems.field(path, "enabled"))) {
            return;
        }
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < pfc.get("enabled").size(); i++) {
            String priorityPath = Problems.index(Problems.field(path, "enabled"), i);
            checks.integer(pfc.get("enabled").get(i), priorityPath, 0, MAX_PRIORITY).filter(p -> !seen.add(p)).ifPresent(p ->
                problems.addText(priorityPath, String.valueOf(p), "each priority may be listed once"));
        }
    }

    /** Manages ETS: distinct traffic classes 0–7 with known algorithms, whose ETS bandwidths sum to exactly 100. */
    private void validateEts(JsonNode ets, String path) {
        if (!checks.object(ets, path)) {
            return;
        }
        checks.knownFields(ets, path, List.of("traffic-class", "willing"), "ets");
        String classesPath = Problems.field(path, "traffic-class");
        if (!ets.has("traffic-class") || !checks.list(ets.get("traffic-class"), classesPath)) {
            return;
        }
        Set<Long> seen = new HashSet<>();
        long sum = 0;
        boolean sumKnown = true;
        boolean anyEts = false;
        for (int i = 0; i < ets.get("traffic-class").size(); i++) {
            String classPath = Problems.index(classesPath, i);
            JsonNode entry = ets.get("traffic-class").get(i);
            if (!checks.object(entry, classPath)) {
                sumKnown = false;
                continue;
            }
            checks.knownFields(entry, classPath, List.of("traffic-class", "bandwidth", "algorithm"), "an ETS traffic class");
            if (!entry.has("traffic-class")) {
                problems.missing(Problems.field(classPath, "traffic-class"), "a traffic class from 0 to " + MAX_PRIORITY);
            } else {
                checks.integer(entry.get("traffic-class"), Problems.field(classPath, "traffic-class"), 0, MAX_PRIORITY)
                    .filter(tc -> !seen.add(tc)).ifPresent(tc -> problems.add(Problems.field(classPath, "traffic-class"),
                        entry.get("traffic-class"), "each traffic class may be listed once"));
            }
            String algorithm = entry.has("algorithm")
                ? checks.oneOf(entry.get("algorithm"), Problems.field(classPath, "algorithm"), ALGORITHMS).orElse(ETS) : ETS;
            Optional<Long> bandwidth = entry.has("bandwidth")
                ? checks.integer(entry.get("bandwidth"), Problems.field(classPath, "bandwidth"), 0, TOTAL_BANDWIDTH) : Optional.of(0L);
            if (bandwidth.isEmpty()) {
                sumKnown = false;
            } else if (algorithm.equals(ETS)) {
                anyEts = true;
                sum += bandwidth.get();
            } else if (bandwidth.get() != 0) {
                problems.add(Problems.field(classPath, "bandwidth"), entry.get("bandwidth"),
                    "only enhanced-transmission-selection classes get a bandwidth share; " + algorithm + " must have 0");
            }
        }
        if (sumKnown && anyEts && sum != TOTAL_BANDWIDTH) {
            problems.addText(classesPath, "bandwidth sum " + sum, "the bandwidths of the ETS traffic classes must add up to "
                + TOTAL_BANDWIDTH);
        }
    }
}
