package io.nmstream.cli;

import io.nmstream.common.config.Config;
import io.nmstream.common.config.ConfigException;
import io.nmstream.common.config.Durations;
import io.nmstream.common.http.HttpServerSettings;
import io.nmstream.embedded.EmbeddedKafka;
import io.nmstream.embedded.LoopbackPorts;
import io.nmstream.executor.agent.NodeAgentSettings;
import io.nmstream.executor.simulated.FailureRules;
import io.nmstream.executor.simulated.SimulatedNode;
import io.nmstream.ingest.IngestSettings;
import io.nmstream.ingest.http.ApiTokens;
import io.nmstream.ingest.http.PolicyHttpServer;
import io.nmstream.reconciler.ReconcilerConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code nmstream up}: the embedded all-in-one, long-running, on the ports every other command uses by default, with a
 * data directory that survives restarts (a restart replays the topics), and a clean shutdown on Ctrl-C.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
    description = "Run nmstream's embedded all-in-one (Kafka, registry, reconciler, projector, policy HTTP API, simulated nodes).")
public final class UpCommand implements Callable<Integer> {

    /** How long the parts get, together, to stop: within the 15 s the README promises for a stop. */
    static final Duration STOP_BUDGET = Duration.ofSeconds(12);
    /** The file of the data directory that keeps the policy HTTP API token up made. */
    static final String TOKEN_FILE = "http-token";
    private static final int MAX_PORT = 65535;
    /**
     * The lock on the data directory, held until the process ends. Static, so that it stays reachable: a channel the
     * garbage collector reclaims is closed, and its lock released.
     */
    private static volatile FileChannel dataDirLock;

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

    @Option(names = "--http-host", description = "Address the policy HTTP API listens on (default: ${DEFAULT-VALUE}, this host only).",
        defaultValue = "127.0.0.1")
    private String httpHost;

    @Option(names = "--http-tokens-file", paramLabel = "FILE", description = "File of user:token lines: the bearer tokens the policy "
        + "HTTP API accepts and the user the audit records for each (also NMSTREAM_INGEST_HTTP_TOKENS_FILE).")
    private Path httpTokensFile;

    @Option(names = "--http-token", description = "A bearer token the policy HTTP API accepts, standing for the user running up. "
        + "Other local users can read it in ps: prefer --http-tokens-file or the variable NMSTREAM_INGEST_HTTP_TOKEN. Without "
        + "any token, up makes a random one, prints it and keeps it in the data directory for restarts.", defaultValue = "")
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
        + "reason Timeout, a failure of the rollout (reconciler.command.timeout; default: ${DEFAULT-VALUE}).", defaultValue = "PT10M")
    private Duration commandTimeout;

    @Option(names = {"-d", "--detach"}, description = "Run in the background and return once up, as docker compose up -d does: the "
        + "commands that follow find it answering. Its output goes to up.log in the data directory; nmstream down stops it.")
    private boolean detach;

    /** Set on the up a detached start runs: it says how it is stopped. */
    @Option(names = "--detached", hidden = true)
    private boolean detached;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String invalid = invalidOption();
        if (invalid != null) {
            System.err.println("nmstream up: " + invalid + "; nothing was started");
            return 2;
        }
        Config http = httpConfig();
        ApiTokens tokens;
        HttpServerSettings httpSettings;
        try {
            tokens = ApiTokens.configured(http);
            httpSettings = IngestSettings.HTTP.from(http, http.get(IngestSettings.MANIFEST_MAX_BYTES));
        } catch (ConfigException e) {
            System.err.println("nmstream up: " + e.getMessage());
            return 2;
        }
        List<String> inUse = portsInUse();
        if (!inUse.isEmpty()) {
            System.err.println("nmstream up: " + String.join(", ", inUse) + (inUse.size() == 1 ? " is" : " are") + " in use: is "
                + "another nmstream up running? Stop it (nmstream down), or give free ports; nothing was started");
            return 2;
        }
        try {
            dataDirLock = DataDirLock.acquire(dataDir);
        } catch (IOException e) {
            System.err.println("nmstream up: the data directory " + dataDir + " (--data-dir) cannot be used: " + whyUnusable(e)
                + "; nothing was started");
            return 2;
        }
        if (dataDirLock == null) {
            System.err.println("nmstream up: the data directory " + dataDir + " is in use by another nmstream up: stop it (nmstream "
                + "down), or give another --data-dir; nothing was started");
            return 2;
        }
        if (detach) {
            // checked as up checks: its own process checks again, once this one lets go of the directory
            dataDirLock.close();
            dataDirLock = null;
            return DetachedUp.start(detachedArgs(), dataDir, System.out, System.err);
        }
        // the HTTP API never runs unauthenticated: without any token, up makes one for the user running it and prints it
        String generated = null;
        if (tokens.isEmpty()) {
            generated = keptToken(dataDir);
            tokens = ApiTokens.of(Map.of(generated, osUser()));
        }
        AllInOne nmstream;
        try {
            // a part that fails to start stops those started before it
            nmstream = new AllInOne(EmbeddedKafka.Options.defaults().withDataDir(dataDir.resolve("kafka")).withBrokerPort(kafkaPort),
                registryPort, dataDir.resolve("streams"), fleet(), applyLatency, simulatedAgents(), commandTimeout);
        } catch (RuntimeException e) {
            System.err.println("nmstream up: did not start: " + causes(e) + "; nothing is left running");
            return 1;
        }
        PolicyHttpServer api;
        try {
            api = nmstream.add(new PolicyHttpServer(nmstream.publisher(), httpSettings, tokens)).start();
        } catch (RuntimeException e) {
            nmstream.close();
            System.err.println("nmstream up: did not start: " + causes(e) + "; nothing is left running");
            return 1;
        }
        LossWatch watch = nmstream.add(new LossWatch(nmstream.cluster().kafka(), List.of(dataDir, nmstream.cluster().kafka().dataDir(),
            nmstream.cluster().kafka().dataDir().resolve("logs").resolve("meta.properties"))));
        // the JVM ends when the hooks return: stop everything inside the hook, then let main return
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("nmstream: stopping");
            nmstream.closeWithin(STOP_BUDGET);
        }, "nmstream-up-stop"));
        System.out.println("nmstream is up");
        System.out.println("  kafka.bootstrap.servers = " + nmstream.cluster().bootstrapServers());
        System.out.println("  registry.url            = " + nmstream.cluster().registryUrl());
        System.out.println("  policy HTTP API         = " + api.url() + "/v1/policies");
        System.out.println("  policy HTTP API token   = " + (generated != null ? generated + " (user " + osUser() + "; kept in "
            + dataDir.resolve(TOKEN_FILE) + " for restarts)"
            : "(as configured: --http-tokens-file, --http-token, NMSTREAM_INGEST_HTTP_TOKEN[S_FILE])"));
        System.out.println("  simulated nodes         = " + simulatedNodes);
        System.out.println("  command timeout         = " + Durations.format(commandTimeout));
        System.out.println("  data directory          = " + dataDir);
        String down = "nmstream down" + (dataDir.equals(defaultDataDir()) ? "" : " --data-dir " + dataDir);
        System.out.println("Try: nmstream policy apply -f FILE.yaml; nmstream get nncp; nmstream audit. "
            + (detached ? down + " stops it." : "Ctrl-C stops."));
        // until SIGTERM/Ctrl-C closes everything (the watch included), or the watch reports a loss
        watch.await();
        if (watch.loss().isPresent()) {
            // with the broker or its data gone, clients may wait for it in vain: they get a bounded time, then up ends
            nmstream.closeWithin(STOP_BUDGET);
            return 1;
        }
        return 0;
    }

    /** The flags this up was given, for the up a detached start runs. */
    private List<String> detachedArgs() {
        List<String> args = new ArrayList<>();
        for (OptionSpec option : spec.commandLine().getParseResult().matchedOptions()) {
            if (option.typeInfo().isBoolean()) {
                continue;
            }
            option.originalStringValues().forEach(value -> args.add(option.longestName() + "=" + value));
        }
        return args;
    }

    static Path defaultDataDir() {
        return Path.of(System.getProperty("user.home"), ".nmstream", "data");
    }

    /**
     * What is wrong with the flags, naming the flag and its value; null when nothing is. Checked before anything starts:
     * a value the reconciler refuses stopped up after its broker, registry and projector had started.
     */
    private String invalidOption() {
        if (simulatedNodes < 0 || simulatedMtuLimit < 0) {
            return "--simulated-nodes and --simulated-mtu-limit must not be negative";
        }
        for (Listener listener : listeners()) {
            if (listener.port() < 0 || listener.port() > MAX_PORT) {
                return listener.flag() + " " + listener.port() + " is not a port: expected 1-" + MAX_PORT + " (0: any free port)";
            }
        }
        if (applyLatency.isNegative()) {
            return "--simulated-apply-latency " + Durations.format(applyLatency) + " must not be negative";
        }
        try {
            ReconcilerConfig.COMMAND_TIMEOUT.parser().apply(commandTimeout.toString());
        } catch (IllegalArgumentException e) {
            return "--command-timeout " + Durations.format(commandTimeout) + ": " + e.getMessage();
        }
        return unusableHttpHost();
    }

    /** Why the policy HTTP API cannot listen on {@code --http-host}: no such host, or not an address of this one. */
    private String unusableHttpHost() {
        InetAddress address;
        try {
            address = InetAddress.getByName(httpHost);
        } catch (UnknownHostException e) {
            return "--http-host " + httpHost + " is not a known host or address";
        }
        try {
            if (address.isAnyLocalAddress() || address.isLoopbackAddress() || NetworkInterface.getByInetAddress(address) != null) {
                return null;
            }
        } catch (SocketException e) {
            // the interfaces cannot be listed: let the bind itself say
            return null;
        }
        String resolved = address.getHostAddress().equals(httpHost) ? "" : " (" + address.getHostAddress() + ")";
        return "--http-host " + httpHost + resolved + " is not an address of this host";
    }

    private List<Listener> listeners() {
        return List.of(new Listener("--kafka-port", "127.0.0.1", kafkaPort), new Listener("--registry-port", "127.0.0.1", registryPort),
            new Listener("--http-port", httpHost, httpPort));
    }

    /**
     * The ports up listens on that something else holds, each with its flag: checked before anything starts, so that a
     * second up neither half-starts nor takes the first one's broker for its own.
     */
    private List<String> portsInUse() {
        List<String> inUse = new ArrayList<>();
        for (Listener listener : listeners()) {
            if (listener.port() > 0 && LoopbackPorts.isInUse(listener.host(), listener.port())) {
                inUse.add("port " + listener.port() + " on " + listener.host() + " (" + listener.flag() + ")");
            }
        }
        return inUse;
    }

    /** Where one part of up listens, and the flag that sets its port. */
    private record Listener(String flag, String host, int port) {
    }

    /**
     * The policy HTTP API's settings: the flags, then the {@code NMSTREAM_*} variables (tokens, TLS keystore, limits). A
     * token given by flag or variable stands for the user running up, unless NMSTREAM_INGEST_HTTP_TOKEN_USER names another.
     */
    private Config httpConfig() {
        Map<String, String> values = new HashMap<>();
        values.put(IngestSettings.HTTP_HOST.name(), httpHost);
        values.put(IngestSettings.HTTP_PORT.name(), Integer.toString(httpPort));
        if (httpTokensFile != null) {
            values.put(IngestSettings.HTTP_TOKENS_FILE.name(), httpTokensFile.toString());
        }
        if (!httpToken.isEmpty()) {
            values.put(IngestSettings.HTTP_TOKEN.name(), httpToken);
        }
        if (!Config.fromEnvironment(values).isSet(IngestSettings.HTTP_TOKEN_USER)) {
            values.put(IngestSettings.HTTP_TOKEN_USER.name(), osUser());
        }
        return Config.fromEnvironment(values);
    }

    /**
     * What a failure to start says, in one line: each cause's message after the one it explains (the data directory a
     * broker could not create, and that a file of that name is there), instead of a stack trace.
     */
    static String causes(Throwable failure) {
        StringBuilder line = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String said = t instanceof FileSystemException io && io.getFile() != null ? io.getFile() + ": " + whyUnusable(io)
                : t.getMessage();
            if (said == null) {
                said = t.getClass().getSimpleName();
            }
            if (!line.toString().contains(said)) {
                line.append(line.isEmpty() ? "" : ": ").append(said);
            }
        }
        return line.toString();
    }

    /** What keeps a directory from being created or written, in a user's words. */
    private static String whyUnusable(IOException e) {
        if (e instanceof FileAlreadyExistsException) {
            return "a file of that name exists, not a directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "it cannot be created there";
        }
        // the system's own words ("Not a directory" for a path under a file), without the path said already
        return e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
    }

    /**
     * The token up made for the policy HTTP API, read from the data directory, or made now and kept there (readable by its
     * owner only): a restart keeps it, so that a GitOps tool configured with it goes on working.
     */
    static String keptToken(Path dataDir) throws IOException {
        Path file = dataDir.resolve(TOKEN_FILE);
        if (Files.isRegularFile(file)) {
            String kept = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (!kept.isEmpty()) {
                return kept;
            }
        }
        Files.createDirectories(dataDir);
        String token = UUID.randomUUID().toString();
        Path written = Files.createTempFile(dataDir, TOKEN_FILE, ".tmp", PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rw-------")));
        Files.writeString(written, token + "\n", StandardCharsets.UTF_8);
        Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return token;
    }

    private static String osUser() {
        return System.getProperty("user.name", "unknown");
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
