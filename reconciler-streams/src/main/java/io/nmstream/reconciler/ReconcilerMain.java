package io.nmstream.reconciler;

import picocli.CommandLine;

/** Runs the reconciler as a service: {@code java -cp ... io.nmstream.reconciler.ReconcilerMain [--set name=value ...]}. */
public final class ReconcilerMain {

    /** Avro refuses to load generated classes from packages it was not told to trust. */
    private static final String AVRO_TRUSTED_PACKAGES = "org.apache.avro.SERIALIZABLE_PACKAGES";

    private ReconcilerMain() {
    }

    public static void main(String[] args) {
        if (System.getProperty(AVRO_TRUSTED_PACKAGES) == null) {
            System.setProperty(AVRO_TRUSTED_PACKAGES, "io.nmstream.schemas.avro");
        }
        System.exit(new CommandLine(new ReconcilerCommand()).execute(args));
    }
}
