package io.nmstream.schemas;

import java.util.Arrays;

/**
 * Tells Avro to trust nmstream's generated classes. Avro instantiates only classes of the packages its system property
 * {@code org.apache.avro.SERIALIZABLE_PACKAGES} names, and reads it once, at its first class lookup; so that
 * {@code java -jar nmstream.jar} works as typed, every entry point calls this first.
 */
public final class AvroTrust {

    static final String TRUSTED_PACKAGES = "org.apache.avro.SERIALIZABLE_PACKAGES";
    static final String GENERATED_PACKAGE = "io.nmstream.schemas.avro";

    private AvroTrust() {
    }

    /** Adds nmstream's generated package to the packages Avro trusts, keeping any the JVM was started with. */
    public static void trustGeneratedClasses() {
        String trusted = System.getProperty(TRUSTED_PACKAGES);
        if (trusted == null || trusted.isBlank()) {
            System.setProperty(TRUSTED_PACKAGES, GENERATED_PACKAGE);
        } else if (Arrays.stream(trusted.split(",")).map(String::trim).noneMatch(GENERATED_PACKAGE::equals)) {
            System.setProperty(TRUSTED_PACKAGES, trusted + "," + GENERATED_PACKAGE);
        }
    }
}
