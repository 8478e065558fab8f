package io.nmstream.embedded.registry;

import java.util.List;
import java.util.Locale;

/**
 * What a registry, or one subject, accepts, with Confluent's names: {@code READWRITE} registers and deletes as usual;
 * {@code READONLY} refuses every change to schemas and settings (error 42205); {@code IMPORT} accepts only
 * registrations that name their id (and optionally their version), as a migration from another registry sends them.
 */
enum RegistryMode {
    READWRITE, READONLY, IMPORT;

    /** Parses a mode as the REST API spells it; refuses others (Confluent's {@code FORWARD}, ...) with 42204. */
    static RegistryMode parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new RegistryException(422, RegistryException.INVALID_MODE, "Invalid mode '" + text + "'; this registry supports "
                + List.of(values()));
        }
    }
}
