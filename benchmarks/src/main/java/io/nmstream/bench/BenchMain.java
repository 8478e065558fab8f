package io.nmstream.bench;

import io.nmstream.common.cli.ProcessCommandLine;
import io.nmstream.schemas.AvroTrust;
import picocli.CommandLine;

/** Runs the benchmarks on their own: {@code java -cp ... io.nmstream.bench.BenchMain [options]}. */
public final class BenchMain {

    /** Logging configuration of the bench: warnings only, so that the table stays readable. */
    static final String LOGBACK_CONFIGURATION = "nmstream-bench-logback.xml";

    private BenchMain() {
    }

    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", LOGBACK_CONFIGURATION);
        }
        AvroTrust.trustGeneratedClasses();
        System.exit(ProcessCommandLine.execute(new CommandLine(new BenchCommand()).setCommandName("nmstream bench"), args));
    }
}
