package io.nmstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code nmstream bench} end to end at a tiny size, on the real broker, NetworkManager sandbox and agent jar: every
 * scenario runs, every figure is printed with its target and written to the report with a measured value. It checks what
 * the bench prints, never how fast anything was.
 */
class BenchCommandIT {

    private static final Path AGENT_JAR = Path.of("..").resolve(Installation.AGENT_JAR).toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void everyScenarioRunsAndPrintsEveryFigureWithItsTarget() throws Exception {
        Path report = dir.resolve("bench.json");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new BenchCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));

        int exit = cli.execute("--nodes", "10", "--runs", "1", "--warmup", "1", "--events", "3000", "--host-iterations", "2",
            "--host-warmup", "1", "--host-cold-iterations", "1", "--agent-applies", "3", "--writeback-nodes", "10",
            "--agent-jar", AGENT_JAR.toString(), "--timeout", "300", "--output", report.toString());

        assertThat(exit).as(out + "\n" + err).isZero();
        List<String> figures = List.of(
            "10 nodes, maxUnavailable default (50%)", "10 nodes, maxUnavailable 10%", "10 nodes, maxUnavailable 100%",
            "10 nodes, time default (50%) / time 100%", "10 nodes, time 10% / time 100%",
            "3000 events, signed", "3000 events, unsigned",
            "in place, p50", "in place, p95", "cold, p50 (process start included)",
            "RSS after start", "RSS after 3 applies", "start to ready",
            "p50", "p95", "max");
        String table = out.toString().substring(out.toString().lastIndexOf("scenario "));
        assertThat(table).contains(figures).contains("baseline/nmstream >= 0.8", "p50 <= nmcli p50", "< 100 MiB",
            "<= 2 API writes per NNCE", "p95 < 1000 ms", "Load average");

        JsonNode results = new ObjectMapper().readTree(report.toFile()).path("results");
        List<String> measured = new ArrayList<>();
        results.forEach(row -> {
            assertThat(row.path("outcome").asText()).as(row.toString()).isNotIn("SKIPPED");
            assertThat(row.path("nmstream").isNumber()).as(row.toString()).isTrue();
            measured.add(row.path("size").asText());
        });
        assertThat(measured).containsAll(figures).contains("10 nodes, maxUnavailable default (50%)");
        assertThat(results).hasSize(figures.size() + 1);
    }
}
