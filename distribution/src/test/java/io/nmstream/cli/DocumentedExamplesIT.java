package io.nmstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.nmstream.common.config.Config;
import io.nmstream.embedded.EmbeddedKafka;
import io.nmstream.executor.agent.NodeAgent;
import io.nmstream.executor.agent.NodeAgentSettings;
import io.nmstream.executor.nm.NetworkManagerBackend;
import io.nmstream.executor.sandbox.NetworkManagerSandbox;
import io.nmstream.executor.simulated.SimulatedFleet;
import io.nmstream.nmstate.InterfaceSpec;
import io.nmstream.nmstate.NetworkState;
import io.nmstream.nmstate.NmstateParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documentation's examples ({@code examples/*.yaml}) end to end on the whole product: each manifest goes through
 * {@code nmstream policy apply} (the CLI and ingest), the reconciler, and a real node agent on a NetworkManager sandbox
 * whose veths carry the names the examples use and whose labels match every example's {@code nodeSelector}; what
 * {@code nmstream get nncp} shows then is Available, or, where this kernel (or a veth) lacks what the example needs,
 * Degraded, with the kernel's or NetworkManager's refusal in the node's message and the host as it was.
 *
 * <p>One cluster, one sandbox and one agent serve every example, applied one after another in the order below, which
 * is also the order a reader of the documentation meets them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DocumentedExamplesIT {

    private static final String NODE = "nm-worker-0";
    /** The labels every example's nodeSelector asks for (bond and vlan select every node). */
    private static final String LABELS = "node-role.kubernetes.io/worker=,node-role.kubernetes.io/gpu-worker=,"
        + "feature.node.kubernetes.io/network-sriov.capable=true";
    /** How long one example may take from publication to a final status: a few attempts at a NetworkManager apply. */
    private static final Duration SETTLE = Duration.ofMinutes(2);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path EXAMPLES = Path.of(System.getProperty("basedir", "."), "..", "examples").toAbsolutePath().normalize();

    @TempDir
    static Path work;

    private AllInOne nmstream;
    private NetworkManagerSandbox sandbox;
    private boolean kernelHasBonding;
    private boolean kernelHasVlans;
    private boolean kernelHasBridges;

    @BeforeAll
    void startTheProductAndARealNode() throws IOException, InterruptedException {
        nmstream = new AllInOne(EmbeddedKafka.Options.defaults().withDataDir(work.resolve("kafka")), 0, work.resolve("streams"),
            List.of(), Duration.ZERO, SimulatedFleet.defaultAgentSettings());
        sandbox = nmstream.add(NetworkManagerSandbox.start(work.resolve("nm"),
            "ens8f0np0:ens8f0peer ens8f1np1:ens8f1peer eth1:eth1peer eth2:eth2peer eth0:gateway0"));
        // probed before the agent starts, so that no probe link is ever in NetworkManager's way
        kernelHasBonding = kernelCreates("bond", null);
        kernelHasVlans = kernelCreates("vlan id 4000", "eth2");
        kernelHasBridges = kernelCreates("bridge", null);
        NodeAgentSettings settings = new NodeAgentSettings(Config.of(Map.of(
            NodeAgentSettings.NODE_NAME.name(), NODE,
            NodeAgentSettings.NODE_LABELS.name(), LABELS,
            NodeAgentSettings.STATE_DIR.name(), work.resolve("agent").toString(),
            NodeAgentSettings.APPLY_ATTEMPTS.name(), "2",
            NodeAgentSettings.BACKOFF_INITIAL.name(), "500ms",
            // the NNS follows a change made outside nmstream within seconds rather than the default minute
            NodeAgentSettings.STATE_INTERVAL.name(), "1s")));
        NetworkManagerBackend backend = nmstream.add(NetworkManagerBackend.connect(sandbox.busAddress()));
        nmstream.add(new NodeAgent(nmstream.cluster().settings(), settings, backend).start());
    }

    @AfterAll
    void stop() {
        if (nmstream != null) {
            nmstream.close();
        }
    }

    @Test
    @Order(1)
    void rdmaNicConfigIsAvailableWithTheMtuAddressAndRouteInTheKernel() {
        policyApply("rdma-nic-config");
        assertThat(awaitFinalStatus("rdma-nic-config")).isEqualTo("Available");
        assertThat(sandbox.ip("link", "show", "ens8f0np0")).contains("mtu 9000");
        assertThat(sandbox.ip("addr", "show", "ens8f0np0")).contains("inet 10.10.1.50/24");
        assertThat(sandbox.ip("route", "show")).contains("10.10.0.0/16 via 10.10.1.1 dev ens8f0np0");
    }

    @Test
    @Order(2)
    void rocePfcEtsOnAVethIsDegradedWithTheRefusalAndTheHostAsItWas() {
        // a veth has neither DCB nor SR-IOV, whatever the kernel: NetworkManager refuses, the node rolls back
        String before = hostState();
        policyApply("roce-pfc-ets");
        assertThat(awaitFinalStatus("roce-pfc-ets")).isEqualTo("Degraded");
        assertThat(enactmentMessage("roce-pfc-ets")).contains("ens8f0np0").containsAnyOf("SR-IOV", "DCB");
        assertThat(hostState()).isEqualTo(before);
    }

    @Test
    @Order(3)
    void vlanIsAvailableWhereTheKernelHasVlansAndDegradedWithItsRefusalWhereNot() {
        String before = hostState();
        policyApply("vlan");
        if (kernelHasVlans) {
            assertThat(awaitFinalStatus("vlan")).isEqualTo("Available");
            assertThat(sandbox.ip("-d", "link", "show", "eth1.102")).contains("vlan protocol 802.1Q id 102");
        } else {
            assertThat(awaitFinalStatus("vlan")).isEqualTo("Degraded");
            assertThat(enactmentMessage("vlan")).contains("eth1.102").contains("Operation not supported");
            assertThat(hostState()).isEqualTo(before);
        }
    }

    @Test
    @Order(4)
    void bondIsAvailableWhereTheKernelHasBondingAndDegradedWithItsRefusalWhereNot() {
        String before = hostState();
        policyApply("bond");
        if (kernelHasBonding) {
            assertThat(awaitFinalStatus("bond")).isEqualTo("Available");
            assertThat(sandbox.ip("-d", "link", "show", "bond0")).contains("bond mode balance-rr");
            assertThat(sandbox.ip("link", "show", "eth1")).contains("master bond0");
            assertThat(sandbox.ip("link", "show", "eth2")).contains("master bond0");
        } else {
            assertThat(awaitFinalStatus("bond")).isEqualTo("Degraded");
            assertThat(enactmentMessage("bond")).contains("bond0").contains("Operation not supported");
            assertThat(hostState()).isEqualTo(before);
        }
    }

    @Test
    @Order(5)
    void rdmaBondIsAvailableWhereTheKernelHasBondingAndDegradedWithItsRefusalWhereNot() {
        String before = hostState();
        policyApply("rdma-bond");
        if (kernelHasBonding) {
            assertThat(awaitFinalStatus("rdma-bond")).isEqualTo("Available");
            assertThat(sandbox.ip("-d", "link", "show", "bond-rdma")).contains("bond mode 802.3ad").contains("mtu 9000");
            assertThat(sandbox.ip("link", "show", "ens8f1np1")).contains("master bond-rdma");
        } else {
            assertThat(awaitFinalStatus("rdma-bond")).isEqualTo("Degraded");
            assertThat(enactmentMessage("rdma-bond")).contains("bond-rdma").contains("Operation not supported");
            assertThat(hostState()).isEqualTo(before);
        }
    }

    @Test
    @Order(6)
    void aBridgeOnTheDefaultGatewaysInterfaceTakesItsAddressAndRoutesByCapture() throws IOException {
        // the node's default gateway, as it was before any policy: eth0 routes through gateway0, its veth peer, which
        // answers, so that the agent's default-gateway probe runs before and after the bridge takes eth0 over
        Path gateway = Files.writeString(work.resolve("default-gateway.yaml"), """
            interfaces:
            - name: gateway0
              type: ethernet
              state: up
              ipv4: {enabled: true, dhcp: false, address: [{ip: 192.0.2.1, prefix-length: 24}]}
            - name: eth0
              type: ethernet
              state: up
              ipv4: {enabled: true, dhcp: false, address: [{ip: 192.0.2.10, prefix-length: 24}]}
            routes:
              config:
              - {destination: 0.0.0.0/0, next-hop-interface: eth0, next-hop-address: 192.0.2.1}
            """);
        Run setUp = nmstream("node", "--bus-address=" + sandbox.busAddress(), "apply", gateway.toString());
        assertThat(setUp.exitCode()).as(setUp.err()).isZero();
        assertThat(sandbox.ip("route", "show", "default")).contains("default via 192.0.2.1 dev eth0");
        String before = hostState();

        // the README's troubleshooting of a policy with captures: what it renders to against the node's NNS, from here
        Path nns = work.resolve("nm-worker-0.yaml");
        await().atMost(SETTLE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            Run shown = onCluster("get", "nns", NODE, "-o", "yaml");
            assertThat(shown.out()).as(shown.err()).contains("192.0.2.10");
            Files.writeString(nns, shown.out());
        });
        Run rendered = nmstream("node", "policy", EXAMPLES.resolve("linux-bridge-on-default-gw.yaml").toString(), "--current",
            nns.toString());
        assertThat(rendered.exitCode()).as(rendered.err()).isZero();
        NetworkState bridged = NmstateParser.parse(rendered.out());
        InterfaceSpec br1 = bridged.find("br1").orElseThrow();
        assertThat(br1.ipv4().addresses()).extracting(Object::toString).containsExactly("192.0.2.10/24");
        assertThat(bridged.routes()).filteredOn(r -> r.destination().equals("0.0.0.0/0"))
            .extracting(r -> r.nextHopInterface() + " via " + r.nextHopAddress()).containsExactly("br1 via 192.0.2.1");
        assertThat(hostState()).as("nothing applied").isEqualTo(before);

        policyApply("linux-bridge-on-default-gw", "br1-default-gw");
        if (kernelHasBridges) {
            assertThat(awaitFinalStatus("br1-default-gw")).isEqualTo("Available");
            assertThat(sandbox.ip("link", "show", "eth0")).contains("master br1");
            assertThat(sandbox.ip("addr", "show", "br1")).contains("inet 192.0.2.10/24");
            assertThat(sandbox.ip("route", "show", "default")).contains("default via 192.0.2.1 dev br1");
        } else {
            assertThat(awaitFinalStatus("br1-default-gw")).isEqualTo("Degraded");
            assertThat(enactmentMessage("br1-default-gw")).contains("br1").contains("Operation not supported");
            assertThat(hostState()).isEqualTo(before);
        }
        // the NNCE shows the state the node rendered, as kubernetes-nmstate's does: what node policy rendered from its NNS
        Run nnce = onCluster("get", "nnce", NODE + ".br1-default-gw", "-o", "yaml");
        assertThat(nnce.exitCode()).as(nnce.err()).isZero();
        JsonNode desired = YAML.readTree(nnce.out()).path("status").path("desiredState");
        assertThat(desired.isObject()).as(nnce.out()).isTrue();
        assertThat(NmstateParser.parse(desired)).isEqualTo(bridged);
    }

    /** {@code nmstream policy apply -f examples/NAME.yaml}, as a user runs it. */
    private void policyApply(String example) {
        policyApply(example, example);
    }

    private void policyApply(String example, String policy) {
        Run run = onCluster("policy", "apply", "-f", EXAMPLES.resolve(example + ".yaml").toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("nodenetworkconfigurationpolicy.nmstate.io/" + policy + " created");
    }

    /**
     * Waits until the node is done with {@code policy} ({@code nmstream get nnce} shows it Available, or Failing and no
     * longer Progressing to another attempt) and returns what {@code nmstream get nncp} shows for it then: Available or
     * Degraded. A policy is Degraded already while its node retries, so the policy's status alone does not say that.
     */
    private String awaitFinalStatus(String policy) {
        Pattern nodeDone = Pattern.compile("(?m)^" + Pattern.quote(NODE + "." + policy) + "\\s+(Available|Failing)\\s");
        Pattern policyRow = Pattern.compile("(?m)^" + Pattern.quote(policy) + "\\s+(Available|Degraded)\\b");
        String[] table = new String[1];
        await().atMost(SETTLE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            String nnce = onCluster("get", "nnce", NODE + "." + policy).out();
            assertThat(nnce).as("nmstream get nnce %s.%s", NODE, policy).containsPattern(nodeDone);
            table[0] = onCluster("get", "nncp", policy, "-o", "wide").out();
            Matcher done = nodeDone.matcher(nnce);
            assertThat(done.find()).isTrue();
            String expected = done.group(1).equals("Available") ? "Available" : "Degraded";
            assertThat(table[0]).as("nmstream get nncp %s -o wide", policy)
                .containsPattern("(?m)^" + Pattern.quote(policy) + "\\s+" + expected + "\\b");
        });
        Matcher m = policyRow.matcher(table[0]);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    /** The message of this node's enactment of {@code policy}, as {@code nmstream get nnce -o wide} shows it. */
    private String enactmentMessage(String policy) {
        Run run = onCluster("get", "nnce", NODE + "." + policy, "-o", "wide");
        assertThat(run.exitCode()).as(run.err()).isZero();
        return run.out();
    }

    /** The links, addresses and routes of the node, as a user compares them with {@code ip}. */
    private String hostState() {
        return sandbox.ip("-br", "link", "show") + sandbox.ip("-br", "addr", "show") + sandbox.ip("route", "show");
    }

    /** Whether the sandbox's kernel creates links of {@code kind}: a probe link is added and removed at once. */
    private boolean kernelCreates(String kind, String base) {
        List<String> add = new ArrayList<>(List.of("link", "add"));
        if (base != null) {
            add.addAll(List.of("link", base));
        }
        add.addAll(List.of("name", "nmsprobe0", "type"));
        add.addAll(List.of(kind.split(" ")));
        try {
            sandbox.ip(add.toArray(String[]::new));
        } catch (IllegalStateException refused) {
            return false;
        }
        sandbox.ip("link", "del", "nmsprobe0");
        return true;
    }

    /** What one {@code nmstream} command printed and how it ended. */
    private record Run(int exitCode, String out, String err) {
    }

    /** Runs {@code nmstream args... --bootstrap-servers ... --registry-url ...}: a command on the embedded cluster. */
    private Run onCluster(String... args) {
        List<String> command = new ArrayList<>(List.of(args));
        command.addAll(List.of("--bootstrap-servers", nmstream.cluster().bootstrapServers(),
            "--registry-url", nmstream.cluster().registryUrl()));
        return nmstream(command.toArray(String[]::new));
    }

    /** Runs {@code nmstream args...} in this JVM, as a user on the same host would. */
    private static Run nmstream(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = NmstreamCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exitCode = cli.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }
}
