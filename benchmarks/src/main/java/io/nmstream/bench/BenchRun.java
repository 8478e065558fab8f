package io.nmstream.bench;

import io.nmstream.bench.fleet.FleetLauncher;
import io.nmstream.bench.rollout.RolloutVariant;
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
 * @param variants the maxUnavailable values each rollout size is measured at
 * @param runs measured runs behind each figure (its median is reported)
 * @param warmups unmeasured runs (rounds, in the rollout) of both sides before the measured ones
 * @param events enactment events of the replay scenario
 * @param hostIterations measured in-place applies per tool and run in the host-apply scenario
 * @param hostWarmup unmeasured in-place applies per tool before those
 * @param hostColdIterations measured cold applies (new processes) per tool and run
 * @param agentApplies applies between the two footprint readings
 * @param agentJvmOptions JVM options of the footprint scenario's agent process, after the shipped ones
 * @param agentJar the node agent's jar, or null to look for it ({@link Installation})
 * @param writebackNodes fleet size of the status write-back scenario
 * @param timeout longest wait for any one step
 * @param fleet the simulated fleet of the rollout and write-back scenarios
 * @param serviceSettings settings given to nmstream's services in the rollouts ({@code --set reconciler.threads=2})
 */
public record BenchRun(List<Integer> nodes, List<RolloutVariant> variants, int runs, int warmups, long events, int hostIterations,
                       int hostWarmup, int hostColdIterations, int agentApplies, List<String> agentJvmOptions, Path agentJar,
                       int writebackNodes, Duration timeout, FleetLauncher fleet, Map<String, String> serviceSettings,
                       Supplier<EmbeddedCluster> clusterSupplier) {

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
