package io.nmstream.bench.fleet;

import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.schemas.Topics;
import java.util.Locale;

/** Starts a {@link SimulatedFleet} of a number of nodes against a cluster's topics. */
@FunctionalInterface
public interface FleetLauncher {

    SimulatedFleet start(ClusterSettings cluster, Topics topics, int nodes);

    /**
     * The fleet named on the command line: {@code node-executor} (the node executor's simulated fleet: real command
     * processing on in-memory hosts) or {@code stand-in} (the bench's own, which answers at once).
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    static FleetLauncher named(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case NodeExecutorFleet.NAME -> NodeExecutorFleet::start;
            case ReplyingFleet.NAME -> ReplyingFleet::start;
            default -> throw new IllegalArgumentException("--fleet has value '" + name + "': expected " + NodeExecutorFleet.NAME + " or "
                + ReplyingFleet.NAME);
        };
    }
}
