package io.nmstream.executor;

import io.nmstream.common.config.Config;
import io.nmstream.common.config.ConfigException;
import io.nmstream.common.config.Setting;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.kafka.KafkaConnectionCheck;
import io.nmstream.common.metrics.MetricsEndpoint;
import io.nmstream.executor.agent.NodeAgent;
import io.nmstream.executor.agent.NodeAgentSettings;
import io.nmstream.executor.backend.BackendException;
import io.nmstream.executor.nm.NetworkManagerBackend;
import io.nmstream.schemas.AvroTrust;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the node agent as a service against this host's NetworkManager. Settings come from {@code --set name=value}
 * arguments and {@code NMSTREAM_*} environment variables; start-up fails with a message naming a bad one.
 */
public final class NodeExecutorMain {

    private static final Logger LOG = LoggerFactory.getLogger(NodeExecutorMain.class);

    private NodeExecutorMain() {
    }

    /** Exit status of an agent that cannot start: a setting to fix, or no NetworkManager to talk to. */
    public static final int CANNOT_START = 2;

    public static void main(String[] args) {
        AvroTrust.trustGeneratedClasses();
        int status = runUnlessItCannotStart(Config.fromArgs(args), LOG::error);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Runs the agent as {@link #run} does; when a setting or NetworkManager stops it from starting, says why in one line
     * to {@code report} and returns {@link #CANNOT_START}, rather than ending in a stack trace.
     */
    public static int runUnlessItCannotStart(Config config, Consumer<String> report) {
        try {
            run(config);
            return 0;
        } catch (ConfigException | BackendException e) {
            report.accept("Cannot start the node agent: " + e.getMessage());
            return CANNOT_START;
        }
    }

    /** Every setting the node agent service reads; start-up validates them all. */
    public static List<Setting<?>> settings() {
        List<Setting<?>> all = new ArrayList<>(ClusterSettings.ALL);
        all.addAll(NodeAgentSettings.ALL);
        MetricsEndpoint.SETTINGS.stream().filter(s -> !all.contains(s)).forEach(all::add);
        return List.copyOf(all);
    }

    /** Runs the agent until the JVM is asked to stop. */
    public static void run(Config config) {
        config.validate(settings());
        ClusterSettings cluster = new ClusterSettings(config);
        NodeAgentSettings settings = new NodeAgentSettings(config);
        KafkaConnectionCheck.verify(cluster, KafkaConnectionCheck.DEFAULT_TIMEOUT);
        try (MetricsEndpoint metrics = MetricsEndpoint.start(config);
             NetworkManagerBackend backend = NetworkManagerBackend.connect(settings.get(NodeAgentSettings.BUS_ADDRESS))) {
            NodeAgent agent = new NodeAgent(cluster, settings, backend, metrics.registry());
            Thread main = Thread.currentThread();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                agent.close();
                try {
                    main.join(Duration.ofSeconds(90).toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "node-agent-shutdown"));
            LOG.info("Node agent {} started (NetworkManager {}; metrics on port {})", agent.node(), backend.version(), metrics.port());
            agent.run();
        }
    }
}
