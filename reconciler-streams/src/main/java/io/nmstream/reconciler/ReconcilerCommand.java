package io.nmstream.reconciler;

import io.nmstream.common.config.Config;
import io.nmstream.common.config.ConfigException;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.kafka.KafkaConnectionCheck;
import io.nmstream.common.metrics.MetricsEndpoint;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nmstream reconciler}: runs the reconciler service until interrupted. Settings come from {@code --set
 * name=value} and the {@code NMSTREAM_*} environment variables.
 */
@Command(name = "reconciler", mixinStandardHelpOptions = true,
    description = {"Run the reconciler: match policies to nodes and roll them out under maxUnavailable.",
        "Settings: ${COMMAND-NAME} --set reconciler.threads=2 --set kafka.bootstrap.servers=host:9092 ..."})
public final class ReconcilerCommand implements Callable<Integer> {

    @Option(names = "--set", paramLabel = "NAME=VALUE", description = "A setting, e.g. reconciler.command.timeout=5m (repeatable).")
    private Map<String, String> settings = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        return run(Config.fromEnvironment(settings));
    }

    /**
     * Runs the reconciler service with {@code values} until it stops: 0 after a clean stop, 1 after an unrecoverable
     * error, 2 when a setting is bad (nothing is started then).
     */
    static int run(Config values) throws InterruptedException {
        ClusterSettings cluster;
        ReconcilerConfig config;
        try {
            values.validate(ReconcilerMain.settings());
            cluster = new ClusterSettings(values);
            config = ReconcilerConfig.from(values);
            KafkaConnectionCheck.verify(cluster, KafkaConnectionCheck.DEFAULT_TIMEOUT);
        } catch (ConfigException e) {
            System.err.println("reconciler: " + e.getMessage());
            return 2;
        }
        try (MetricsEndpoint metrics = MetricsEndpoint.start(values);
             ReconcilerService service = ReconcilerService.start(cluster, config, cluster.registryClient(), metrics.registry())) {
            Runtime.getRuntime().addShutdownHook(new Thread(service::close, "reconciler-shutdown"));
            service.awaitTermination();
            return service.failed() ? 1 : 0;
        }
    }
}
