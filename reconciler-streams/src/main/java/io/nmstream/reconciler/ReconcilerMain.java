package io.nmstream.reconciler;

import io.nmstream.common.config.Config;
import io.nmstream.common.config.ConfigException;
import io.nmstream.common.config.Setting;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.metrics.MetricsEndpoint;
import io.nmstream.schemas.AvroTrust;
import java.util.ArrayList;
import java.util.List;

/** Runs the reconciler as a service: {@code java -cp ... io.nmstream.reconciler.ReconcilerMain [--set name=value ...]}. */
public final class ReconcilerMain {

    private ReconcilerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        AvroTrust.trustGeneratedClasses();
        Config config;
        try {
            config = Config.fromArgs(args);
        } catch (ConfigException e) {
            System.err.println("reconciler: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(ReconcilerCommand.run(config));
    }

    /** Every setting the reconciler service reads; start-up validates them all. */
    public static List<Setting<?>> settings() {
        List<Setting<?>> all = new ArrayList<>(ClusterSettings.ALL);
        all.addAll(ReconcilerConfig.ALL);
        MetricsEndpoint.SETTINGS.stream().filter(s -> !all.contains(s)).forEach(all::add);
        return List.copyOf(all);
    }
}
