package io.nmstream.bench;

import io.nmstream.bench.report.Measurement;
import java.util.List;

/** One benchmark scenario: it measures nmstream and its baseline in the same run and returns the rows of the report. */
public interface Scenario {

    /** The name given to {@code --scenario}. */
    String name();

    List<Measurement> run(BenchRun run) throws Exception;
}
