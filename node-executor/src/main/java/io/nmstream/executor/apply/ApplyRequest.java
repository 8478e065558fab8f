package io.nmstream.executor.apply;

import java.time.Duration;

/**
 * How one apply runs.
 *
 * @param checkpointTimeout after this long without a commit the host rolls back by itself
 * @param verify check that the desired state holds afterwards
 * @param commit commit the checkpoint at the end; false leaves it for {@code node commit} or its timeout
 * @param memoryOnly keep profiles in memory only
 * @param probeGateway run the default-gateway probe (if it passed before the apply)
 * @param probeDns run the DNS probe (if it passed before the apply)
 * @param probeTimeout time allowed to each probe
 */
public record ApplyRequest(Duration checkpointTimeout, boolean verify, boolean commit, boolean memoryOnly, boolean probeGateway,
                           boolean probeDns, Duration probeTimeout) {

    /** nmstate's defaults: 60 s checkpoint, verify, commit, persistent profiles, both probes, 5 s per probe. */
    public static ApplyRequest defaults() {
        return new ApplyRequest(Duration.ofSeconds(60), true, true, false, true, true, Duration.ofSeconds(5));
    }

    public ApplyRequest withCheckpointTimeout(Duration timeout) {
        return new ApplyRequest(timeout, verify, commit, memoryOnly, probeGateway, probeDns, probeTimeout);
    }

    public ApplyRequest withVerify(boolean value) {
        return new ApplyRequest(checkpointTimeout, value, commit, memoryOnly, probeGateway, probeDns, probeTimeout);
    }

    public ApplyRequest withCommit(boolean value) {
        return new ApplyRequest(checkpointTimeout, verify, value, memoryOnly, probeGateway, probeDns, probeTimeout);
    }

    public ApplyRequest withMemoryOnly(boolean value) {
        return new ApplyRequest(checkpointTimeout, verify, commit, value, probeGateway, probeDns, probeTimeout);
    }

    public ApplyRequest withProbes(boolean gateway, boolean dns, Duration timeout) {
        return new ApplyRequest(checkpointTimeout, verify, commit, memoryOnly, gateway, dns, timeout);
    }
}
