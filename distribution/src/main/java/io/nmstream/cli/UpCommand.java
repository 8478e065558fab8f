package io.nmstream.cli;

import io.nmstream.common.config.Config;
import io.nmstream.embedded.EmbeddedKafka;
import io.nmstream.executor.agent.NodeAgentSettings;
import io.nmstream.executor.simulated.FailureRules;
import io.nmstream.executor.simulated.SimulatedNode;
import io.nmstream.ingest.http.PolicyHttpServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nmstream up}: the embedded all-in-one, long-running, on the ports every other command uses by default, with a
 * data directory that survives restarts (a restart replays the topics), and a clean shutdown on Ctrl-C.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
    description = "Run nmstream's embedded all-in-one (Kafka, registry, reconciler, projector, policy HTTP API, simulated nodes).")
public final class UpCommand implements Callable<Integer> {

    @Option(names = "--data-dir", description = "Data directory, kept across restarts (default: ${DEFAULT-VALUE}).",
        defaultValue = "${sys:user.home}/.nmstream/data")
    private Path dataDir;

    @Option(names = "--kafka-port", description = "Kafka listener port on 127.0.0.1 (default: ${DEFAULT-VALUE}).", defaultValue = "9092")
    private int kafkaPort;

    @Option(names = "--registry-port", description = "Schema registry port on 127.0.0.1 (default: ${DEFAULT-VALUE}).",
        defaultValue = "8081")
    private int registryPort;

    @Option(names = "--http-port", description = "Policy HTTP API port (default: ${DEFAULT-VALUE}).", defaultValue = "8088")
    private int httpPort;

    @Option(names = "--http-token", description = "Bearer token the policy HTTP API requires (default: a random one, printed).",
        defaultValue = "")
    private String httpToken;

    @Option(names = "--simulated-nodes", description = "Simulated workers worker-0 ... worker-N-1 (default: ${DEFAULT-VALUE}).",
        defaultValue = "0")
    private int simulatedNodes;

    @Option(names = "--simulated-mtu-limit", description = "The simulated workers' drivers refuse MTUs above this (default: none).",
        defaultValue = "0")
    private int simulatedMtuLimit;

    @Option(names = "--simulated-apply-latency", description = "How long a simulated apply takes (default: ${DEFAULT-VALUE}).",
        defaultValue = "PT0S")
    private Duration applyLatency;

    @Option(names = "--command-timeout", description = "How long a node has to answer a command before it counts as FAILING with "
        + "reason Timeout and frees its rollout slot (reconciler.command.timeout; default: ${DEFAULT-VALUE}).", defaultValue = "PT10M")
    private Duration commandTimeout;

    @Override
    public Integer call() throws Exception {
        if (simulatedNodes < 0 || simulatedMtuLimit < 0) {
            System.err.println("nmstream up: --simulated-nodes and --simulated-mtu-limit must not be negative");
            return 2;
        }
        AllInOne nmstream = new AllInOne(
            EmbeddedKafka.Options.defaults().withDataDir(dataDir.resolve("kafka")).withBrokerPort(kafkaPort), registryPort,
            dataDir.resolve("streams"), fleet(), applyLatency, simulatedAgents(), commandTimeout);
        // the HTTP API never runs unauthenticated: without --http-token, up makes one and prints it
        String token = httpToken.isEmpty() ? UUID.randomUUID().toString() : httpToken;
        try {
            nmstream.add(new PolicyHttpServer(nmstream.publisher(), "127.0.0.1", httpPort, token)).start();
        } catch (IOException | RuntimeException e) {
            nmstream.close();
            throw e;
        }
        LossWatch watch = nmstream.add(new LossWatch(nmstream.cluster().kafka(), List.of(dataDir, nmstream.cluster().kafka().dataDir(),
            nmstream.cluster().kafka().dataDir().resolve("logs").resolve("meta.properties"))));
        // the JVM ends when the hooks return: stop everything inside the hook, then let main return
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("nmstream: stopping");
            nmstream.close();
        }, "nmstream-up-stop"));
        System.out.println("nmstream is up");
        System.out.println("  kafka.bootstrap.servers = " + nmstream.cluster().bootstrapServers());
        System.out.println("  registry.url            = " + nmstream.cluster().registryUrl());
        System.out.println("  policy HTTP API         = http://127.0.0.1:" + httpPort + "/v1/policies");
        System.out.println("  policy HTTP API token   = " + (httpToken.isEmpty() ? token : "(as given by --http-token)"));
        System.out.println("  simulated nodes         = " + simulatedNodes);
        System.out.println("  command timeout         = " + commandTimeout);
        System.out.println("  data directory          = " + dataDir);
        System.out.println("Try: nmstream policy apply -f FILE.yaml; nmstream get nncp; nmstream audit. Ctrl-C stops.");
        // until SIGTERM/Ctrl-C closes everything (the watch included), or the watch reports a loss
        watch.await();
        if (watch.loss().isPresent()) {
            nmstream.close();
            return 1;
        }
        return 0;
    }

    /** The simulated workers keep what they applied in the data directory, as real hosts keep their configuration. */
    private NodeAgentSettings simulatedAgents() {
        return new NodeAgentSettings(Config.of(Map.of(NodeAgentSettings.STATE_DIR.name(), dataDir.resolve("simulated-nodes").toString())));
    }

    private List<SimulatedNode> fleet() {
        FailureRules rules = FailureRules.none();
        if (simulatedMtuLimit > 0) {
            rules = rules.withMaxMtuOnEveryInterface(simulatedMtuLimit);
        }
        List<SimulatedNode> nodes = new ArrayList<>();
        for (int i = 0; i < simulatedNodes; i++) {
            nodes.add(new SimulatedNode("worker-" + i, Map.of(DemoCommand.WORKER_LABEL, ""), rules));
        }
        return nodes;
    }
}
