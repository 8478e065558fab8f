package io.nmstream.executor.backend;

import java.time.Duration;

/**
 * How an apply writes and activates profiles.
 *
 * @param memoryOnly keep new and updated profiles in memory only (lost at reboot), as {@code nmstatectl --memory-only}
 * @param activationTimeout how long one interface may take to activate
 */
public record ApplyOptions(boolean memoryOnly, Duration activationTimeout) {

    public static ApplyOptions defaults() {
        return new ApplyOptions(false, Duration.ofSeconds(60));
    }
}
