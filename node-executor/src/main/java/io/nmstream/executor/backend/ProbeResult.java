package io.nmstream.executor.backend;

/**
 * The outcome of one probe.
 *
 * @param probe which probe
 * @param applicable false when there was nothing to check (no default gateway, no name server)
 * @param passed whether the check succeeded (false when not applicable)
 * @param message what was checked and what happened, for logs and failure messages
 */
public record ProbeResult(Probe probe, boolean applicable, boolean passed, String message) {

    public static ProbeResult notApplicable(Probe probe, String why) {
        return new ProbeResult(probe, false, false, why);
    }

    public static ProbeResult passed(Probe probe, String message) {
        return new ProbeResult(probe, true, true, message);
    }

    public static ProbeResult failed(Probe probe, String message) {
        return new ProbeResult(probe, true, false, message);
    }
}
