package io.nmstream.bench.fleet;

import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.executor.agent.NodeAgentSettings;
import io.nmstream.executor.simulated.FailureRules;
import io.nmstream.schemas.Topics;
import java.time.Duration;
import java.util.Map;

/**
 * The node executor's simulated fleet (every node a real command processor and applier on an in-memory host, apply
 * time 0) behind the bench's {@link SimulatedFleet} seam. Its nodes are registered and its consumer positioned when
 * {@link #start} returns.
 */
final class NodeExecutorFleet implements SimulatedFleet {

    /** The name {@code --fleet} gives it. */
    static final String NAME = "node-executor";

    private final io.nmstream.executor.simulated.SimulatedFleet fleet;

    private NodeExecutorFleet(io.nmstream.executor.simulated.SimulatedFleet fleet) {
        this.fleet = fleet;
    }

    static NodeExecutorFleet start(ClusterSettings cluster, Topics topics, int nodes) {
        // no state directory: simulated hosts start fresh and write nothing to this machine's disk
        NodeAgentSettings agent = io.nmstream.executor.simulated.SimulatedFleet.defaultAgentSettings();
        var options = new io.nmstream.executor.simulated.SimulatedFleet.Options(nodes, "node-", Map.of(), FailureRules.none(),
            Duration.ZERO, agent);
        return new NodeExecutorFleet(io.nmstream.executor.simulated.SimulatedFleet.start(cluster, options));
    }

    @Override
    public String implementation() {
        return "node-executor SimulatedFleet (command processor and applier per node on in-memory hosts, apply time 0)";
    }

    @Override
    public void awaitReady(Duration timeout) {
        // registered and positioned when start returned
    }

    @Override
    public long commandsAnswered() {
        return -1;
    }

    @Override
    public void close() {
        fleet.close();
    }
}
