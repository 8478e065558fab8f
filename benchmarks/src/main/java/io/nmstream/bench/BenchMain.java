package io.nmstream.bench;

import picocli.CommandLine;

/** Runs the benchmarks on their own: {@code java -cp ... io.nmstream.bench.BenchMain [options]}. */
public final class BenchMain {

    /** Logging configuration of the bench: warnings only, so that the table stays readable. */
    static final String LOGBACK_CONFIGURATION = "nmstream-bench-logback.xml";
    /** The packages whose generated classes Avro may instantiate (the launcher sets the same). */
    static final String AVRO_TRUSTED_PACKAGES = "org.apache.avro.SERIALIZABLE_PACKAGES";

    private BenchMain() {
    }

    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", LOGBACK_CONFIGURATION);
        }
        if (System.getProperty(AVRO_TRUSTED_PACKAGES) == null) {
            System.setProperty(AVRO_TRUSTED_PACKAGES, "io.nmstream.schemas.avro");
        }
        System.exit(new CommandLine(new BenchCommand()).setCommandName("nmstream bench").execute(args));
    }
}
