package io.nmstream.nmstate;

import java.util.Locale;

/** What a desired state asks of an interface, as nmstate's {@code state} field says it. */
public enum InterfaceState {
    /** Configured and activated. */
    UP,
    /** Deactivated, its profile kept. */
    DOWN,
    /** Deactivated and its profile deleted; a virtual interface disappears. */
    ABSENT,
    /** Left exactly as it is. */
    IGNORE;

    public String nmstateName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static InterfaceState fromNmstate(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not an interface state (up, down, absent or ignore)");
        }
    }
}
