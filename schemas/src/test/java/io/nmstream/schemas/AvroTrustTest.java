package io.nmstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AvroTrustTest {

    private String before;

    @BeforeEach
    void remember() {
        before = System.getProperty(AvroTrust.TRUSTED_PACKAGES);
    }

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(AvroTrust.TRUSTED_PACKAGES);
        } else {
            System.setProperty(AvroTrust.TRUSTED_PACKAGES, before);
        }
    }

    @Test
    void addsNmstreamsPackageOnceAndKeepsThePackagesTheJvmWasStartedWith() {
        System.clearProperty(AvroTrust.TRUSTED_PACKAGES);
        AvroTrust.trustGeneratedClasses();
        assertThat(System.getProperty(AvroTrust.TRUSTED_PACKAGES)).isEqualTo("io.nmstream.schemas.avro");

        System.setProperty(AvroTrust.TRUSTED_PACKAGES, "com.example.events");
        AvroTrust.trustGeneratedClasses();
        AvroTrust.trustGeneratedClasses();
        assertThat(System.getProperty(AvroTrust.TRUSTED_PACKAGES)).isEqualTo("com.example.events,io.nmstream.schemas.avro");
    }
}
