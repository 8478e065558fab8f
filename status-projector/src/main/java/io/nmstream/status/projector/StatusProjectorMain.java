package io.nmstream.status.projector;

import io.nmstream.common.config.Config;
import io.nmstream.common.config.ConfigException;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.schemas.Topics;
import io.nmstream.status.kubernetes.KubernetesSettings;
import io.nmstream.status.kubernetes.KubernetesStatusWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the status projector as a service: {@code java -cp ... io.nmstream.status.projector.StatusProjectorMain
 * [--set name=value ...]}; every setting may also come from its {@code NMSTREAM_*} environment variable.
 */
public final class StatusProjectorMain {

    private StatusProjectorMain() {
    }

    public static void main(String[] args) throws Exception {
        Config config;
        try {
            config = Config.fromEnvironment(parseSettings(args));
            config.validate(ClusterSettings.ALL);
            config.validate(ProjectorSettings.ALL);
            config.validate(KubernetesSettings.ALL);
        } catch (ConfigException | IllegalArgumentException e) {
            System.err.println("status-projector: " + e.getMessage());
            System.exit(2);
            return;
        }
        ClusterSettings cluster = new ClusterSettings(config);
        Topics topics = cluster.topics(cluster.registryClient());
        List<StatusSink> sinks = new ArrayList<>();
        if (config.get(KubernetesSettings.ENABLED)) {
            sinks.add(KubernetesStatusWriter.start(config));
        }
        StatusProjector projector = StatusProjector.start(config, topics, sinks);
        int port = config.get(ProjectorSettings.HTTP_PORT);
        StatusHttpServer http = port < 0 ? null : StatusHttpServer.start(projector.view(), port);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (http != null) {
                http.close();
            }
            projector.close();
        }, "status-projector-shutdown"));
        projector.join();
        if (projector.failure() != null) {
            System.exit(1);
        }
    }

    /** {@code --set name=value} pairs; anything else is an error naming the argument. */
    static Map<String, String> parseSettings(String[] args) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].equals("--set") || i + 1 >= args.length || !args[i + 1].contains("=")) {
                throw new IllegalArgumentException("Unexpected argument '" + args[i] + "': use --set name=value");
            }
            String pair = args[++i];
            values.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        }
        return values;
    }
}
