package io.nmstream.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultTableTest {

    @Test
    void showsBothFiguresTheRatioTheTargetAndWhetherItWasMet() {
        String table = ResultTable.render(List.of(
            new Measurement("rollout", "10000 nodes", 8000, 2000, "ms", 3, "ratio >= 0.5", Outcome.MISSED, Map.of()),
            new Measurement("footprint", "RSS after start", 61.5, Double.NaN, "MiB", 1, "< 100 MiB", Outcome.MET, Map.of())));

        List<String> lines = table.lines().toList();
        assertThat(lines.get(0)).startsWith("scenario").contains("nmstream", "baseline", "baseline/nmstream", "runs", "target", "met?");
        assertThat(lines.get(2)).contains("rollout", "10000 nodes", "8000 ms", "2000 ms", "0.250", "median of 3", "ratio >= 0.5", "NO");
        assertThat(lines.get(3)).contains("footprint", "61.5 MiB", "< 100 MiB", "yes");
        assertThat(lines).allMatch(line -> !line.endsWith(" "));
    }

    @Test
    void alignsEveryColumn() {
        String table = ResultTable.render(List.of(
            new Measurement("a", "1 nodes", 1, 1, "ms", 1, "-", Outcome.NOT_JUDGED, Map.of()),
            new Measurement("writeback", "10000 nodes", 1.5, Double.NaN, "writes/NNCE", 1, "<= 2", Outcome.MET, Map.of())));

        List<String> lines = table.lines().toList();
        int sizeColumn = lines.get(0).indexOf("size");
        assertThat(lines.get(2).indexOf("1 nodes")).isEqualTo(sizeColumn);
        assertThat(lines.get(3).indexOf("10000 nodes")).isEqualTo(sizeColumn);
    }
}
