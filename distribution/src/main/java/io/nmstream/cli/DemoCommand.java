package io.nmstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nmstream.common.config.Config;
import io.nmstream.embedded.EmbeddedKafka;
import io.nmstream.executor.agent.NodeAgent;
import io.nmstream.executor.agent.NodeAgentSettings;
import io.nmstream.executor.nm.NetworkManagerBackend;
import io.nmstream.executor.sandbox.NetworkManagerSandbox;
import io.nmstream.executor.simulated.FailureRules;
import io.nmstream.executor.simulated.SimulatedNode;
import io.nmstream.ingest.manifest.ManifestParser;
import io.nmstream.ingest.publish.PolicyChange;
import io.nmstream.ingest.publish.PolicySources;
import io.nmstream.schemas.avro.ResourceKind;
import io.nmstream.schemas.avro.ResourceStatus;
import io.nmstream.schemas.avro.StatusCondition;
import io.nmstream.common.status.NmstateKind;
import io.nmstream.status.cli.StatusPrinter;
import io.nmstream.status.projector.Replay;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nmstream demo}: starts the embedded all-in-one with a small simulated fleet and walks through the story the
 * nmstate documentation tells: a NIC policy rolled out to the workers, a bond rolled out one node at a time, a policy a
 * node's driver refuses (Degraded, rolled back), and a replay that rebuilds the same status. Exits 0 when every step
 * ended as the story says.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run nmstream's walkthrough on an embedded broker and a simulated fleet, then exit.")
public final class DemoCommand implements Callable<Integer> {

    static final String WORKER_LABEL = "node-role.kubernetes.io/worker";
    static final String CONTROL_PLANE_LABEL = "node-role.kubernetes.io/control-plane";
    /** Simulated workers have bonding in their kernel; the NetworkManager sandbox's kernel does not. */
    static final String BONDING_LABEL = "feature.node.kubernetes.io/kernel-config.BONDING";
    /** The worker whose NIC driver refuses MTUs above 9000 on ens8f0np0. */
    static final String LIMITED_WORKER = "worker-2";
    /** The node run by a real agent on a real NetworkManager, when this process may start one. */
    static final String REAL_NODE = "nm-node-0";

    @Option(names = "--timeout", description = "Longest wait for one step (default: ${DEFAULT-VALUE}).", defaultValue = "PT2M")
    private Duration stepTimeout;

    @Option(names = "--networkmanager", negatable = true, defaultValue = "true", fallbackValue = "true",
        description = "Add a real node: an agent on a NetworkManager in a network namespace (root with NetworkManager "
            + "installed only; default: ${DEFAULT-VALUE}).")
    private boolean networkManager;

    @Option(names = "--apply-latency", description = "How long a simulated apply takes (default: ${DEFAULT-VALUE}).",
        defaultValue = "PT0.4S")
    private Duration applyLatency;

    private static final ObjectMapper JSON = new ObjectMapper();

    private NetworkManagerSandbox sandbox;

    private final PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);

    @Override
    public Integer call() throws Exception {
        Path work = Files.createTempDirectory("nmstream-demo-");
        Map<String, String> simulatedWorker = Map.of(WORKER_LABEL, "", BONDING_LABEL, "true");
        List<SimulatedNode> fleet = List.of(
            new SimulatedNode("worker-0", simulatedWorker, FailureRules.none()),
            new SimulatedNode("worker-1", simulatedWorker, FailureRules.none()),
            new SimulatedNode(LIMITED_WORKER, simulatedWorker, FailureRules.none().withMaxMtu("ens8f0np0", 9000)),
            new SimulatedNode("control-plane-0", Map.of(CONTROL_PLANE_LABEL, ""), FailureRules.none()));
        say("Starting the embedded Kafka broker, schema registry, reconciler, status projector and a simulated fleet:");
        fleet.forEach(n -> say("  node %-16s labels %s", n.name(), n.labels()));
        AllInOne nmstream = new AllInOne(EmbeddedKafka.Options.defaults().withDataDir(work.resolve("kafka")), 0,
            work.resolve("streams"), fleet, applyLatency, demoAgents());
        // Ctrl-C or SIGTERM in the middle of the story: the JVM runs its hooks and ends without leaving this method, so the
        // all-in-one (broker, registry, NetworkManager sandbox) is stopped by a hook as well, not only at the end
        Thread stopOnExit = new Thread(() -> stop(nmstream, work), "nmstream-demo-stop");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        try {
            say("Kafka at %s, schema registry at %s", nmstream.cluster().bootstrapServers(), nmstream.cluster().registryUrl());
            sandbox = networkManager && NetworkManagerSandbox.available() ? startRealNode(nmstream, work) : null;
            boolean ok = step1(nmstream) && step2(nmstream) && step3(nmstream) && step4(nmstream);
            say(ok ? "%nDemo finished: every step ended as expected." : "%nDemo FAILED: a step did not end as expected.");
            return ok ? 0 : 1;
        } finally {
            stop(nmstream, work);
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException alreadyStopping) {
                // the hook is running or has run: it stopped everything
            }
        }
    }

    /** Stops every part of the all-in-one (closing it again does nothing) and removes the demo's temporary directory. */
    private static void stop(AllInOne nmstream, Path work) {
        nmstream.close();
        try (Stream<Path> files = Files.walk(work)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // only a temporary directory: the system cleans it up in the end
        }
    }

    /** Simulated agents that give up after two attempts, so that the failure story ends within seconds. */
    private static NodeAgentSettings demoAgents() {
        return new NodeAgentSettings(Config.of(Map.of(NodeAgentSettings.STATE_DIR.name(), "",
            NodeAgentSettings.APPLY_ATTEMPTS.name(), "2", NodeAgentSettings.BACKOFF_INITIAL.name(), "500ms")));
    }

    /**
     * Starts a real NetworkManager in a network namespace with veths named like the fleet's NICs, and a real node agent
     * on it, labelled as a worker.
     */
    private NetworkManagerSandbox startRealNode(AllInOne nmstream, Path work) throws IOException, InterruptedException {
        NetworkManagerSandbox nm = nmstream.add(
            NetworkManagerSandbox.start(work.resolve("nm"), "ens8f0np0:ens8f0peer ens8f1np1:ens8f1peer"));
        NodeAgentSettings settings = new NodeAgentSettings(Config.of(Map.of(
            NodeAgentSettings.NODE_NAME.name(), REAL_NODE,
            NodeAgentSettings.NODE_LABELS.name(), WORKER_LABEL + "=",
            NodeAgentSettings.STATE_DIR.name(), work.resolve("agent").toString(),
            NodeAgentSettings.APPLY_ATTEMPTS.name(), "2",
            NodeAgentSettings.BACKOFF_INITIAL.name(), "500ms")));
        NetworkManagerBackend backend = nmstream.add(NetworkManagerBackend.connect(nm.busAddress()));
        nmstream.add(new NodeAgent(nmstream.cluster().settings(), settings, backend).start());
        say("  node %-16s labels {%s=} : a real agent on NetworkManager %s in network namespace %s", REAL_NODE, WORKER_LABEL,
            backend.version(), nm.namespace());
        return nm;
    }

    private boolean step1(AllInOne nmstream) throws InterruptedException {
        headline("1. Configure the RDMA NIC of every worker: ethernet ens8f0np0, MTU 9000, static IPv4 and a route");
        apply(nmstream, "rdma-nic-config");
        boolean ok = watch(nmstream, "rdma-nic-config", policyIs("Available"));
        printTable(nmstream, ResourceKind.NNCP, "get nncp");
        printTable(nmstream, ResourceKind.NNCE, "get nnce");
        ok = ok && expect(nmstream.status().get(ResourceKind.NNCE, "control-plane-0.rdma-nic-config").isEmpty(),
            "the control-plane node is not selected");
        if (sandbox != null) {
            String link = sandbox.ip("link", "show", "ens8f0np0");
            say("%n$ ip -n %s link show ens8f0np0%n%s", sandbox.namespace(), link.strip());
            ok = ok && expect(link.contains("mtu 9000"), REAL_NODE + "'s kernel has MTU 9000 on ens8f0np0");
        }
        return ok;
    }

    private boolean step2(AllInOne nmstream) throws InterruptedException {
        headline("2. Bond the second port on the workers whose kernel has bonding, one node at a time (maxUnavailable: 1)");
        apply(nmstream, "rdma-bond");
        boolean ok = watch(nmstream, "rdma-bond", policyIs("Available"));
        printTable(nmstream, ResourceKind.NNCE, "get nnce");
        return ok;
    }

    private boolean step3(AllInOne nmstream) throws InterruptedException {
        headline("3. Raise ens8f0np0 to MTU 9216: " + LIMITED_WORKER + "'s driver allows at most 9000");
        apply(nmstream, "jumbo-storage");
        boolean ok = watch(nmstream, "jumbo-storage", policyIs("Degraded"));
        printTable(nmstream, ResourceKind.NNCP, "get nncp -o wide");
        String failed = LIMITED_WORKER + ".jumbo-storage";
        Optional<StatusCondition> failing = nmstream.status().get(ResourceKind.NNCE, failed)
            .flatMap(s -> condition(s, "Failing"));
        say("%n$ nmstream get nnce %s: Failing %s", failed, failing.map(c -> c.getReason() + ": " + c.getMessage()).orElse("(none)"));
        say("%n$ nmstream get nns %s   (the failed apply was rolled back: ens8f0np0 keeps MTU 9000)", LIMITED_WORKER);
        Optional<ResourceStatus> nns = nmstream.status().get(ResourceKind.NNS, LIMITED_WORKER);
        nns.ifPresent(s -> StatusPrinter.interfaces(out, s));
        boolean rolledBack = nns.map(s -> mtuOf(s, "ens8f0np0") == 9000).orElse(false);
        return ok && expect(failing.isPresent(), LIMITED_WORKER + " reports Failing with the driver's error")
            && expect(rolledBack, LIMITED_WORKER + " still has MTU 9000 on ens8f0np0");
    }

    private boolean step4(AllInOne nmstream) throws InterruptedException {
        headline("4. Replay: rebuild the fleet's status from the beginning of the topics and compare with the live projection");
        if (!nmstream.awaitQuiet(Duration.ofSeconds(2), stepTimeout)) {
            say("the fleet did not settle within %s", stepTimeout);
        }
        Replay.Report report = Replay.run(nmstream.cluster().settings(), nmstream.topics(), stepTimeout);
        say("events replayed: %d in %.0f ms (%.0f events/s)", report.events(), report.elapsedNanos() / 1e6, report.eventsPerSecond());
        say("statuses rebuilt: %s; live statuses: %d; match: %s", report.rebuiltByKind(), report.liveCount(),
            report.matches() ? "yes" : "no " + report.mismatchedKeys());
        return expect(report.matches(), "the replay rebuilds the live status exactly");
    }

    /** The MTU of {@code iface} in a node's NNS current state; -1 when the interface or its MTU is not there. */
    private static int mtuOf(ResourceStatus nns, String iface) {
        try {
            for (JsonNode i : JSON.readTree(nns.getDetail()).path("interfaces")) {
                if (iface.equals(i.path("name").asText())) {
                    return i.path("mtu").asInt(-1);
                }
            }
            return -1;
        } catch (IOException e) {
            return -1;
        }
    }

    private void apply(AllInOne nmstream, String policy) {
        String text = resource("demo/" + policy + ".yaml");
        say("%n$ nmstream policy apply -f %s.yaml", policy);
        ManifestParser.Result parsed = new ManifestParser().parse(policy + ".yaml", text);
        if (!parsed.valid()) {
            throw new IllegalStateException("demo manifest " + policy + " is invalid: " + parsed.problems());
        }
        List<PolicyChange> changes = nmstream.publisher().apply(parsed.policies(), PolicySources.cli("demo", "nmstream demo"), false);
        changes.forEach(c -> say("policy %s: %s (generation %d)", c.name(), c.kind().name().toLowerCase(Locale.ROOT),
            c.event() == null ? 0 : c.event().getGeneration()));
    }

    /** Prints each change of the policy's and its enactments' conditions as it happens, until {@code done} holds. */
    private boolean watch(AllInOne nmstream, String policy, Predicate<ResourceStatus> done) throws InterruptedException {
        Map<String, String> shown = new HashMap<>();
        long deadline = System.nanoTime() + stepTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (ResourceStatus nnce : nmstream.status().list(ResourceKind.NNCE)) {
                if (nnce.getName().endsWith("." + policy)) {
                    report(shown, "nnce " + nnce.getName(), summary(nnce, false));
                }
            }
            Optional<ResourceStatus> nncp = nmstream.status().get(ResourceKind.NNCP, policy);
            if (nncp.isPresent()) {
                report(shown, "nncp " + policy, summary(nncp.get(), true));
                if (done.test(nncp.get())) {
                    return true;
                }
            }
            Thread.sleep(100);
        }
        say("timed out after %s waiting for policy %s", stepTimeout, policy);
        return false;
    }

    private void report(Map<String, String> shown, String what, String summary) {
        if (!summary.equals(shown.put(what, summary))) {
            say("  %-38s %s", what, summary);
        }
    }

    private static String summary(ResourceStatus status, boolean withMessage) {
        return status.getConditions().stream().filter(c -> "True".equals(c.getStatus()))
            .map(c -> c.getType() + " " + c.getReason() + (withMessage && !c.getMessage().isEmpty() ? " \"" + c.getMessage() + "\"" : ""))
            .reduce((a, b) -> a + ", " + b).orElse("(no condition yet)");
    }

    private static Predicate<ResourceStatus> policyIs(String type) {
        return s -> condition(s, type).map(c -> "True".equals(c.getStatus())).orElse(false);
    }

    private static Optional<StatusCondition> condition(ResourceStatus status, String type) {
        return status.getConditions().stream().filter(c -> c.getType().equals(type)).findFirst();
    }

    private void printTable(AllInOne nmstream, ResourceKind kind, String command) {
        say("%n$ nmstream %s", command);
        StatusPrinter.table(out, NmstateKind.of(kind), nmstream.status().list(kind), command.endsWith("wide"));
    }

    private boolean expect(boolean holds, String what) {
        say("%s %s", holds ? "[ok]" : "[FAILED]", what);
        return holds;
    }

    private void headline(String text) {
        say("%n== %s ==", text);
    }

    private void say(String format, Object... args) {
        out.println(String.format(Locale.ROOT, format, args));
    }

    private static String resource(String name) {
        try (InputStream in = DemoCommand.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
