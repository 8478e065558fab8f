package io.nmstream.executor;

import io.nmstream.common.config.Config;
import io.nmstream.common.config.ConfigException;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.executor.agent.NodeAgent;
import io.nmstream.executor.agent.NodeAgentSettings;
import io.nmstream.executor.backend.BackendException;
import io.nmstream.executor.nm.NetworkManagerBackend;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
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

    public static void main(String[] args) {
        try {
            run(Config.fromEnvironment(parseSets(args)));
        } catch (ConfigException | BackendException e) {
            LOG.error("Cannot start the node agent: {}", e.getMessage());
            System.exit(2);
        }
    }

    /** Runs the agent until the JVM is asked to stop. */
    public static void run(Config config) {
        ClusterSettings cluster = new ClusterSettings(config);
        NodeAgentSettings settings = new NodeAgentSettings(config);
        try (NetworkManagerBackend backend = NetworkManagerBackend.connect(settings.get(NodeAgentSettings.BUS_ADDRESS))) {
            NodeAgent agent = new NodeAgent(cluster, settings, backend);
            Thread main = Thread.currentThread();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                agent.close();
                try {
                    main.join(Duration.ofSeconds(90).toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "node-agent-shutdown"));
            LOG.info("Node agent {} started (NetworkManager {})", agent.node(), backend.version());
            agent.run();
        }
    }

    /** {@code --set name=value} pairs into a settings map; anything else is an error naming it. */
    static Map<String, String> parseSets(String[] args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String pair;
            if (arg.equals("--set") && i + 1 < args.length) {
                pair = args[++i];
            } else if (arg.startsWith("--set=")) {
                pair = arg.substring("--set=".length());
            } else {
                throw new ConfigException("Unknown argument '" + arg + "': use --set name=value");
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("Argument '--set " + pair + "' must be name=value");
            }
            values.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return values;
    }
}
