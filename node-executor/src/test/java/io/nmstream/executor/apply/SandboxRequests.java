package io.nmstream.executor.apply;

import java.time.Duration;

/** How tests that run outside a NetworkManager sandbox's network namespace ask for an apply on it. */
public final class SandboxRequests {

    private SandboxRequests() {
    }

    /**
     * The default request without probes: they send their packets from the test's JVM, which is outside the sandbox's
     * namespace, so they can say nothing about its routes and name servers, and would spend their timeout on every
     * apply whose host has a gateway. {@code ConnectivityProbeNetworkManagerIT} runs them from inside.
     */
    public static ApplyRequest fromOutside() {
        return ApplyRequest.defaults().withProbes(false, false, Duration.ofSeconds(1));
    }
}
