package io.nmstream.bench;

import io.nmstream.bench.fleet.FleetLauncher;
import io.nmstream.embedded.EmbeddedCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * What every scenario of one bench run shares: the settings, and the embedded broker (started on first use, so that a
 * run of host-apply alone needs none). Each scenario takes topic namespaces of its own from {@link #namespace}.
 *
 * @param nodes fleet sizes of the rollout scenario
 * @param maxUnavailable maxUnavailable values of the rollout scenario's policy, one rollout per value and fleet size
 * @param events enactment events of the replay scenario
 * @param hostIterations measured applies per tool in the host-apply scenario
 * @param hostWarmup unmeasured applies per tool before those
 * @param agentApplies simulated applies between the two footprint readings
 * @param agentJvmOptions JVM options of the footprint scenario's agent process
 * @param writebackNodes fleet size of the status write-back scenario
 * @param sandboxScript the NetworkManager sandbox script, or null to look for it in the source tree
 * @param timeout longest wait for any one step
 * @param fleet the simulated fleet of the rollout and write-back scenarios
 * @param serviceSettings settings given to nmstream's services in the rollouts ({@code --set reconciler.threads=2})
 */
public record BenchRun(List<Integer> nodes, List<String> maxUnavailable, long events, int hostIterations, int hostWarmup, int agentApplies,
                       List<String> agentJvmOptions,
                       int writebackNodes, Path sandboxScript, Duration timeout, FleetLauncher fleet,
                       Map<String, String> serviceSettings, Supplier<EmbeddedCluster> clusterSupplier) {

    private static final String RUN_ID = UUID.randomUUID().toString().substring(0, 8);

    /** The shared embedded cluster. */
    public EmbeddedCluster cluster() {
        return clusterSupplier.get();
    }

    /** A topic namespace unique to this run, e.g. {@code bench-rollout-10000-1a2b3c4d}. */
    public String namespace(String scenario, Object size) {
        return ("bench-" + scenario + "-" + size + "-" + RUN_ID).toLowerCase(Locale.ROOT);
    }
}
