package io.nmstream.executor.nm;

/**
 * A profile NetworkManager already holds for an interface.
 *
 * @param path D-Bus object path of the profile
 * @param settings its settings, as {@code GetSettings} returned them
 * @param active whether the profile is active on the interface right now
 */
public record ExistingProfile(String path, NmSettings settings, boolean active) {

    public String uuid() {
        return settings.string("connection", "uuid");
    }
}
