package io.nmstream.status.projector;

import io.nmstream.common.config.Config;
import io.nmstream.common.config.ConfigException;
import io.nmstream.common.config.Setting;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.kafka.KafkaConnectionCheck;
import io.nmstream.common.metrics.MetricsEndpoint;
import io.nmstream.schemas.AvroTrust;
import io.nmstream.schemas.Topics;
import io.nmstream.status.kubernetes.KubernetesSettings;
import io.nmstream.status.kubernetes.KubernetesStatusWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the status projector as a service: {@code java -cp ... io.nmstream.status.projector.StatusProjectorMain
 * [--set name=value ...]}; every setting may also come from its {@code NMSTREAM_*} environment variable.
 */
public final class StatusProjectorMain {

    private StatusProjectorMain() {
    }

    public static void main(String[] args) throws Exception {
        AvroTrust.trustGeneratedClasses();
        Config config;
        try {
            config = Config.fromArgs(args);
            config.validate(settings());
        } catch (ConfigException e) {
            System.err.println("status-projector: " + e.getMessage());
            System.exit(2);
            return;
        }
        ClusterSettings cluster = new ClusterSettings(config);
        try {
            KafkaConnectionCheck.verify(cluster, KafkaConnectionCheck.DEFAULT_TIMEOUT);
        } catch (ConfigException e) {
            System.err.println("status-projector: " + e.getMessage());
            System.exit(2);
            return;
        }
        Topics topics = cluster.topics(cluster.registryClient());
        MetricsEndpoint metrics;
        try {
            metrics = MetricsEndpoint.start(config);
        } catch (ConfigException e) {
            System.err.println("status-projector: " + e.getMessage());
            System.exit(2);
            return;
        }
        List<StatusSink> sinks = new ArrayList<>();
        if (config.get(KubernetesSettings.ENABLED)) {
            sinks.add(KubernetesStatusWriter.start(config, metrics.registry()));
        }
        StatusProjector projector = StatusProjector.start(config, topics, sinks, metrics.registry());
        StatusHttpServer http = ProjectorSettings.HTTP.enabled(config) ? StatusHttpServer.start(projector.view(), config) : null;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (http != null) {
                http.close();
            }
            projector.close();
            metrics.close();
        }, "status-projector-shutdown"));
        projector.join();
        if (projector.failure() != null) {
            System.exit(1);
        }
    }

    /** Every setting the status projector service reads; start-up validates them all. */
    public static List<Setting<?>> settings() {
        List<Setting<?>> all = new ArrayList<>(ClusterSettings.ALL);
        all.addAll(ProjectorSettings.ALL);
        all.addAll(KubernetesSettings.ALL);
        MetricsEndpoint.SETTINGS.stream().filter(s -> !all.contains(s)).forEach(all::add);
        return List.copyOf(all);
    }
}
