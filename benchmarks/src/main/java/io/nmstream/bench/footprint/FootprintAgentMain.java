package io.nmstream.bench.footprint;

import io.nmstream.common.config.Config;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.metrics.MetricsEndpoint;
import io.nmstream.executor.agent.NodeAgent;
import io.nmstream.executor.agent.NodeAgentSettings;
import io.nmstream.executor.simulated.FailureRules;
import io.nmstream.executor.simulated.SimulatedBackend;
import java.time.Duration;
import java.util.Map;

/**
 * One node agent on a simulated host, in a process of its own, whose memory the footprint scenario reads:
 * {@code java -cp ... io.nmstream.bench.footprint.FootprintAgentMain NODE STATE_DIR}, with the cluster in the
 * {@code NMSTREAM_*} environment. It is what {@code nmstream node agent} runs (the node executor's {@link NodeAgent},
 * recording on the service's metrics registry), with an in-memory host (apply time 0) instead of NetworkManager, and
 * runs until it is killed.
 */
public final class FootprintAgentMain {

    private FootprintAgentMain() {
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: FootprintAgentMain NODE STATE_DIR");
            System.exit(2);
        }
        Config config = Config.fromEnvironment(Map.of(NodeAgentSettings.NODE_NAME.name(), args[0], NodeAgentSettings.STATE_DIR.name(),
            args[1]));
        SimulatedBackend host = new SimulatedBackend(SimulatedBackend.typicalHost(1), Duration.ZERO, FailureRules.none());
        try (MetricsEndpoint metrics = MetricsEndpoint.start(config)) {
            NodeAgent agent = new NodeAgent(new ClusterSettings(config), new NodeAgentSettings(config), host, metrics.registry());
            Runtime.getRuntime().addShutdownHook(new Thread(agent::close, "footprint-agent-shutdown"));
            agent.run();
        }
    }
}
