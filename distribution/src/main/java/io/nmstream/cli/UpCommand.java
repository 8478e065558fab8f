package io.nmstream.cli;

import io.nmstream.embedded.EmbeddedCluster;
import io.nmstream.embedded.EmbeddedKafka;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nmstream up}: the embedded all-in-one, long-running, on the ports every other command uses by default, with a
 * data directory that survives restarts; stops cleanly on Ctrl-C.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
    description = "Run nmstream's embedded default (Kafka broker and schema registry) until Ctrl-C.")
public final class UpCommand implements Callable<Integer> {

    @Option(names = "--data-dir", description = "Data directory, kept across restarts (default: ${DEFAULT-VALUE}).",
        defaultValue = "${sys:user.home}/.nmstream/data")
    private Path dataDir;

    @Option(names = "--kafka-port", description = "Kafka listener port on 127.0.0.1 (default: ${DEFAULT-VALUE}).",
        defaultValue = "9092")
    private int kafkaPort;

    @Option(names = "--registry-port", description = "Schema registry port on 127.0.0.1 (default: ${DEFAULT-VALUE}).",
        defaultValue = "8081")
    private int registryPort;

    @Override
    public Integer call() throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        try (EmbeddedCluster cluster = EmbeddedCluster.start(
            EmbeddedKafka.Options.defaults().withDataDir(dataDir.resolve("kafka")).withBrokerPort(kafkaPort), registryPort)) {
            cluster.createTopics(io.nmstream.schemas.Topics.DEFAULT_NAMESPACE);
            System.out.println("nmstream is up");
            System.out.println("  kafka.bootstrap.servers = " + cluster.bootstrapServers());
            System.out.println("  registry.url            = " + cluster.registryUrl());
            System.out.println("  data directory          = " + dataDir);
            System.out.println("Press Ctrl-C to stop.");
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "nmstream-up-stop"));
            stopped.await();
        }
        return 0;
    }
}
