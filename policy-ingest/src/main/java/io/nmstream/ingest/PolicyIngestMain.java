package io.nmstream.ingest;

import io.nmstream.common.config.Config;
import io.nmstream.common.config.ConfigException;
import io.nmstream.common.config.Setting;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.kafka.KafkaConnectionCheck;
import io.nmstream.common.metrics.MetricsEndpoint;
import io.nmstream.ingest.publish.ClusterUnavailableException;
import io.nmstream.schemas.AvroTrust;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs policy-ingest as a service (HTTP API and, with {@code ingest.kubernetes.enabled=true}, the Kubernetes bridge)
 * until the process is stopped. Settings come from {@code --set name=value} arguments and NMSTREAM_* variables.
 */
public final class PolicyIngestMain {

    private PolicyIngestMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        AvroTrust.trustGeneratedClasses();
        PolicyIngestService service;
        MetricsEndpoint metrics;
        try {
            Config config = Config.fromArgs(args);
            config.validate(settings());
            KafkaConnectionCheck.verify(new ClusterSettings(config), KafkaConnectionCheck.DEFAULT_TIMEOUT);
            metrics = MetricsEndpoint.start(config);
            try {
                service = PolicyIngestService.start(config, null, metrics.registry());
            } catch (RuntimeException e) {
                metrics.close();
                throw e;
            }
        } catch (ConfigException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
            return;
        } catch (ClusterUnavailableException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            metrics.close();
            stopped.countDown();
        }, "policy-ingest-shutdown"));
        stopped.await();
    }

    /** Every setting the policy-ingest service reads; start-up validates them all. */
    public static List<Setting<?>> settings() {
        List<Setting<?>> all = new ArrayList<>(ClusterSettings.ALL);
        all.addAll(IngestSettings.ALL);
        MetricsEndpoint.SETTINGS.stream().filter(s -> !all.contains(s)).forEach(all::add);
        return List.copyOf(all);
    }
}
