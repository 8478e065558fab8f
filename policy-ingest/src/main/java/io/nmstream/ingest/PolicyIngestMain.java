package io.nmstream.ingest;

import io.nmstream.common.config.Config;
import io.nmstream.common.config.ConfigException;
import io.nmstream.ingest.publish.ClusterUnavailableException;
import java.util.concurrent.CountDownLatch;

/**
 * Runs policy-ingest as a service (HTTP API and, with {@code ingest.kubernetes.enabled=true}, the Kubernetes bridge)
 * until the process is stopped. Settings come from {@code --set name=value} arguments and NMSTREAM_* variables.
 */
public final class PolicyIngestMain {

    private PolicyIngestMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        PolicyIngestService service;
        try {
            service = PolicyIngestService.start(Config.fromArgs(args));
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
            stopped.countDown();
        }, "policy-ingest-shutdown"));
        stopped.await();
    }
}
