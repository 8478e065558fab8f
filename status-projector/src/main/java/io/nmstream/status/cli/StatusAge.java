package io.nmstream.status.cli;

import java.time.Duration;

/**
 * How long ago something happened, written as kubectl writes the {@code AGE} and {@code STATUS AGE} columns
 * ({@code 45s}, {@code 3m20s}, {@code 12m}, {@code 5h10m}, {@code 3d}): precise while it is recent, coarser with time,
 * so that a column of ages stays short and reads at a glance.
 */
final class StatusAge {

    private StatusAge() {
    }

    /** {@code age} in kubectl's words; a moment in the future by more than a second (clocks apart) is {@code <invalid>}. */
    static String of(Duration age) {
        long seconds = age.getSeconds();
        if (seconds < -1) {
            return "<invalid>";
        }
        if (seconds < 0) {
            return "0s";
        }
        if (seconds < 60 * 2) {
            return seconds + "s";
        }
        long minutes = seconds / 60;
        if (minutes < 10) {
            return minutes + "m" + (seconds % 60 == 0 ? "" : seconds % 60 + "s");
        }
        if (minutes < 60 * 3) {
            return minutes + "m";
        }
        long hours = minutes / 60;
        if (hours < 8) {
            return hours + "h" + (minutes % 60 == 0 ? "" : minutes % 60 + "m");
        }
        if (hours < 48) {
            return hours + "h";
        }
        if (hours < 24 * 8) {
            return hours / 24 + "d" + (hours % 24 == 0 ? "" : hours % 24 + "h");
        }
        if (hours < 24 * 365 * 2) {
            return hours / 24 + "d";
        }
        long days = hours / 24;
        if (hours < 24 * 365 * 8) {
            return days / 365 + "y" + (days % 365 == 0 ? "" : days % 365 + "d");
        }
        return days / 365 + "y";
    }
}
