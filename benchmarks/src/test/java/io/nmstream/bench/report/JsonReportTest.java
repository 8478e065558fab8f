package io.nmstream.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonReportTest {

    private static final Instant START = Instant.parse("2026-01-01T10:00:00Z");
    private static final Instant END = Instant.parse("2026-01-01T10:05:00Z");

    @Test
    void carriesTheCoreCountTheSettingsAndEveryMeasurementWithItsRatio() {
        Measurement rollout = new Measurement("rollout", "10000 nodes", 4000, 3000, "ms", 3, "ratio >= 0.5", Outcome.MET,
            Map.of("fleet", "stand-in"));
        JsonNode report = JsonReport.toJson(START, END, Map.of("nodes", List.of(10000)), List.of(rollout));

        assertThat(report.path("machine").path("cores").asInt()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(report.path("settings").path("nodes").get(0).asInt()).isEqualTo(10000);
        assertThat(report.path("startedAt").asText()).isEqualTo("2026-01-01T10:00:00Z");
        JsonNode row = report.path("results").get(0);
        assertThat(row.path("scenario").asText()).isEqualTo("rollout");
        assertThat(row.path("nmstream").asDouble()).isEqualTo(4000);
        assertThat(row.path("baseline").asDouble()).isEqualTo(3000);
        assertThat(row.path("ratio").asDouble()).isEqualTo(0.75);
        assertThat(row.path("runs").asInt()).isEqualTo(3);
        assertThat(row.path("outcome").asText()).isEqualTo("MET");
        assertThat(row.path("details").path("fleet").asText()).isEqualTo("stand-in");
    }

    @Test
    void writesWhatWasNotMeasuredAsNullAndSaysWhyAScenarioWasSkipped() {
        Measurement skipped = Measurement.skipped("host-apply", "p50", "p50 <= 150 ms", "needs root");
        JsonNode row = JsonReport.toJson(START, END, Map.of(), List.of(skipped)).path("results").get(0);

        assertThat(row.path("nmstream").isNull()).isTrue();
        assertThat(row.path("ratio").isNull()).isTrue();
        assertThat(row.path("outcome").asText()).isEqualTo("SKIPPED");
        assertThat(row.path("details").path("skipped").asText()).isEqualTo("needs root");
    }
}
