package io.nmstream.status.cli;

import static io.nmstream.schemas.avro.EnactmentPhase.AVAILABLE;
import static io.nmstream.schemas.avro.EnactmentPhase.FAILING;
import static io.nmstream.schemas.avro.EnactmentPhase.PENDING;
import static io.nmstream.schemas.avro.EnactmentPhase.PROGRESSING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nmstream.common.kafka.RejectedRecords;
import io.nmstream.embedded.EmbeddedCluster;
import io.nmstream.embedded.junit.EmbeddedClusterExtension;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.ResourceKind;
import io.nmstream.schemas.avro.ResourceStatus;
import io.nmstream.status.EventLog;
import io.nmstream.status.Events;
import io.nmstream.status.projector.LatestValues;
import io.nmstream.status.projector.StatusProjector;
import io.nmstream.status.resources.NmstateDocuments;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line against a real broker, over a rollout recorded while the live projector ran. */
@ExtendWith(EmbeddedClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CommandLineIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String NNS_STATE = "{\"interfaces\":[{\"name\":\"ens8f0np0\",\"type\":\"ethernet\",\"state\":\"up\",\"mtu\":9000,"
        + "\"ipv4\":{\"enabled\":true,\"address\":[{\"ip\":\"10.10.1.50\",\"prefix-length\":24}]}}]}";

    private final EmbeddedCluster cluster;
    private final Events events = new Events();
    private Topics topics;
    private StatusProjector projector;

    CommandLineIT(EmbeddedCluster cluster) {
        this.cluster = cluster;
    }

    @BeforeAll
    void recordARollout() throws Exception {
        topics = cluster.createTopics("status-cli-" + UUID.randomUUID());
        projector = StatusProjector.start(cluster.config(), topics);
        assertThat(projector.awaitCaughtUp(WAIT)).isTrue();
        try (EventLog log = new EventLog(cluster.settings().clientProperties(), topics)) {
            log.send(events.upsert("br1", 1));
            log.send(events.enactment("worker-0", "br1", 1, PROGRESSING));
            log.send(events.enactment("worker-1", "br1", 1, PENDING));
            log.send(events.enactment("worker-0", "br1", 1, AVAILABLE));
            log.send(events.enactment("worker-1", "br1", 1, PROGRESSING));
            log.send(events.enactment("worker-1", "br1", 1, FAILING, "Interface ens8f0np0: MTU 9000 exceeds the maximum supported"));
            log.send(events.upsert("idle", 1));
            log.send(events.matched("idle", 1, 0));
            log.send(events.nodeState("worker-0", NNS_STATE));
        }
        await().atMost(WAIT).until(() -> published().equals(projector.view().snapshot()) && projector.view().snapshot().size() == 5);
    }

    @AfterAll
    void stop() {
        projector.close();
    }

    @Test
    void getNncpPrintsNameStatusAndReason() {
        Result result = run(new GetCommand(), "nncp");

        assertThat(result.code).isZero();
        assertThat(result.out).isEqualTo("""
            NAME   STATUS     REASON
            br1    Degraded   FailedToConfigure
            idle   Ignored    NoMatchingNode
            """);
    }

    @Test
    void getAsNamesPrintsWhatKubectlPrintsAndTakesItBack() {
        Result names = run(new GetCommand(), "nncp", "-o", "name");
        assertThat(names.code).as(names.err).isZero();
        assertThat(names.out).isEqualTo("""
            nodenetworkconfigurationpolicy.nmstate.io/br1
            nodenetworkconfigurationpolicy.nmstate.io/idle
            """);
        assertThat(run(new GetCommand(), "nnce", "-o", "name").out).isEqualTo("""
            nodenetworkconfigurationenactment.nmstate.io/worker-0.br1
            nodenetworkconfigurationenactment.nmstate.io/worker-1.br1
            """);
        assertThat(run(new GetCommand(), "nns", "-o", "name").out).isEqualTo("nodenetworkstate.nmstate.io/worker-0\n");

        Result one = run(new GetCommand(), names.out.lines().findFirst().orElseThrow());
        assertThat(one.code).as(one.err).isZero();
        assertThat(one.out).isEqualTo("""
            NAME   STATUS     REASON
            br1    Degraded   FailedToConfigure
            """);
        assertThat(run(new GetCommand(), "nncp.nmstate.io/idle", "-o", "name").out)
            .isEqualTo("nodenetworkconfigurationpolicy.nmstate.io/idle\n");
        assertThat(run(new GetCommand(), "policy/idle", "-o", "name").out).as("the short form nmstream accepts too")
            .isEqualTo("nodenetworkconfigurationpolicy.nmstate.io/idle\n");

        Result both = run(new GetCommand(), "nncp/br1", "idle");
        assertThat(both.code).isEqualTo(2);
        assertThat(both.err).contains("Invalid resource 'nncp/br1' with NAME 'idle': give either TYPE/NAME or TYPE NAME");
        Result missing = run(new GetCommand(), "nncp/nope", "-o", "name");
        assertThat(missing.code).isEqualTo(1);
        assertThat(missing.err).isEqualTo("Error from server (NotFound): nodenetworkconfigurationpolicies.nmstate.io \"nope\" not found\n");
    }

    @Test
    void getNncePrintsTheColumnsOfTheCrdAndWideAddsTheNodesMessage() {
        assertThat(run(new GetCommand(), "nnce").out).matches("NAME +STATUS +STATUS AGE +REASON\n"
            + "worker-0\\.br1 +Available +\\d+[smhdy0-9]* +SuccessfullyConfigured\n"
            + "worker-1\\.br1 +Failing +\\d+[smhdy0-9]* +FailedToConfigure\n");
        assertThat(run(new GetCommand(), "nnce", "worker-1.br1", "-o", "wide").out)
            .contains("FailedToConfigure").contains("Interface ens8f0np0: MTU 9000 exceeds the maximum supported");
    }

    @Test
    void getSelectsByLabelAsKubectlGetDashL() {
        assertThat(run(new GetCommand(), "nnce", "-l", "nmstate.io/node=worker-1", "-o", "name").out)
            .isEqualTo("nodenetworkconfigurationenactment.nmstate.io/worker-1.br1\n");
        assertThat(run(new GetCommand(), "nnce", "-l", "nmstate.io/policy=br1,nmstate.io/node notin (worker-1)", "-o", "name").out)
            .isEqualTo("nodenetworkconfigurationenactment.nmstate.io/worker-0.br1\n");
        Result none = run(new GetCommand(), "nnce", "-l", "nmstate.io/policy=idle");
        assertThat(none.out).isEmpty();
        assertThat(none.err).isEqualTo("No resources found\n");

        Result invalid = run(new GetCommand(), "nnce", "-l", "nmstate.io/policy=br1,=x");
        assertThat(invalid.code).isEqualTo(2);
        assertThat(invalid.err).contains("Invalid selector 'nmstate.io/policy=br1,=x': '=x' is not a requirement");
    }

    @Test
    void getNnsOfANodePrintsItsInterfaces() {
        assertThat(run(new GetCommand(), "nns", "worker-0").out).isEqualTo("""
            NAME        TYPE       STATE   MTU    IPV4            IPV6
            ens8f0np0   ethernet   up      9000   10.10.1.50/24
            """);
    }

    @Test
    void getAsYamlPrintsTheObjectKubectlWouldShow() throws Exception {
        String yaml = run(new GetCommand(), "nncp", "br1", "-o", "yaml").out;

        assertThat(yaml).contains("apiVersion: nmstate.io/v1").contains("kind: NodeNetworkConfigurationPolicy")
            .contains("name: br1").contains("message: 1/2 nodes failed to configure");
        JsonNode policy = new ObjectMapper().readTree(run(new GetCommand(), "nncp", "br1", "-o", "json").out);
        assertThat(policy.path("metadata").path("uid").asText()).as("the policy in force, as policy get shows it").isEqualTo("uid-br1");
        assertThat(policy.path("spec").path("desiredState")).isEqualTo(new ObjectMapper().readTree(Events.DESIRED_STATE));
        assertThat(policy.path("status").path("observedGeneration").asLong()).isEqualTo(1);
        assertThat(policy.path("status").path("conditions").findValuesAsText("type")).contains("Degraded");
        JsonNode list = new ObjectMapper().readTree(run(new GetCommand(), "nncp", "-o", "json").out);
        assertThat(list.path("items").findValuesAsText("name")).containsExactly("br1", "idle");
        assertThat(list.path("items")).allSatisfy(item -> assertThat(item.has("spec") && item.has("status")).as(item.toString()).isTrue());
        assertThat(run(new GetCommand(), "nns", "worker-0", "-o", "yaml").out).contains("kind: NodeNetworkState")
            .contains("name: ens8f0np0").contains("hostNetworkManagerVersion: 1.42.2");
    }

    @Test
    void getOfAMissingResourceOrAnUnknownTypeFailsWithAClearMessage() {
        Result missing = run(new GetCommand(), "nncp", "nope");
        assertThat(missing.code).isEqualTo(1);
        assertThat(missing.err).as("kubectl's words").isEqualTo("Error from server (NotFound): nodenetworkconfigurationpolicies.nmstate.io "
            + "\"nope\" not found\n");

        Result unknown = run(new GetCommand(), "pods");
        assertThat(unknown.code).isEqualTo(2);
        assertThat(unknown.err).contains("Unknown resource type 'pods': expected nncp, nnce or nns");
    }

    @Test
    void auditExportFoldedOfflineGivesTheLiveStatus(@TempDir Path dir) throws Exception {
        Result audit = run(new AuditCommand());
        assertThat(audit.code).isZero();
        assertThat(audit.out.lines()).as("every event but the node state").hasSize(9 - 1);
        Path export = dir.resolve("audit.jsonl");
        Files.writeString(export, audit.out);

        Result folded = run(new StatusFoldCommand(), "--input", export.toString(), "-o", "json");

        assertThat(folded.code).isZero();
        Map<String, Object> list = new ObjectMapper().readValue(folded.out, new TypeReference<>() { });
        List<Object> live = new ArrayList<>();
        projector.view().list(ResourceKind.NNCP).forEach(s -> live.add(NmstateDocuments.object(s)));
        projector.view().list(ResourceKind.NNCE).forEach(s -> live.add(NmstateDocuments.object(s)));
        ObjectMapper json = new ObjectMapper();
        assertThat(list.get("items")).isEqualTo(json.readValue(json.writeValueAsString(live), List.class));

        // nmstream audit | nmstream status fold -, and the file as an argument, fold the same
        assertThat(run(new StatusFoldCommand(), export.toString(), "-o", "json").out).isEqualTo(folded.out);
        InputStream stdin = System.in;
        try (InputStream piped = Files.newInputStream(export)) {
            System.setIn(piped);
            assertThat(run(new StatusFoldCommand(), "-", "-o", "json").out).isEqualTo(folded.out);
        } finally {
            System.setIn(stdin);
        }
        Result none = run(new StatusFoldCommand());
        assertThat(none.code).isEqualTo(2);
        assertThat(none.err).startsWith("Missing the audit export: give FILE.jsonl, or - for the standard input");
        assertThat(run(new StatusFoldCommand(), "--input", export.toString(), export.toString()).err)
            .startsWith("Give the audit export once");
    }

    @Test
    void auditFiltersByNodeAndPrintsATable() {
        Result node = run(new AuditCommand(), "--node", "worker-1");
        assertThat(node.out.lines()).hasSize(3).allSatisfy(line -> assertThat(line).contains("\"node\":\"worker-1\""));

        Result table = run(new AuditCommand(), "--policy", "br1", "-o", "table");
        assertThat(table.out.lines().findFirst()).get().asString().startsWith("TIMESTAMP").contains("OUTCOME");
        assertThat(table.out).contains("enactment.failing").contains("failure");
        assertThat(run(new AuditCommand(), "--policy", "nodenetworkconfigurationpolicy.nmstate.io/br1", "-o", "table").out)
            .as("the policy as get -o name prints it").isEqualTo(table.out);
        Result notAPolicy = run(new AuditCommand(), "--policy", "nnce/worker-1.br1");
        assertThat(notAPolicy.code).isEqualTo(2);
        assertThat(notAPolicy.err).contains("'nnce/worker-1.br1' is a NodeNetworkConfigurationEnactment, not a policy");

        Result none = run(new AuditCommand(), "--node", "worker-9", "-o", "table");
        assertThat(none.code).isZero();
        assertThat(none.out).isEmpty();
        assertThat(none.err).isEqualTo("No audit records found for these filters\n");
    }

    @Test
    void replayRebuildsTheLiveStatus() {
        Result replay = run(new ReplayCommand());

        assertThat(replay.code).isZero();
        assertThat(replay.out).contains("events:     9").contains("rebuilt:    2 nncp, 2 nnce, 1 nns").contains("match:      yes");
    }

    private Map<String, ResourceStatus> published() {
        Map<String, ResourceStatus> live = new TreeMap<>();
        Map<String, ResourceStatus> latest = LatestValues.read(cluster.settings().clientProperties(), topics.status(), "test-reader", WAIT,
            RejectedRecords.countedOnly("test", new SimpleMeterRegistry()));
        latest.forEach((k, v) -> {
            if (!v.getDeleted()) {
                live.put(k, v);
            }
        });
        return live;
    }

    private record Result(int code, String out, String err) {
    }

    private Result run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        List<String> all = new ArrayList<>(List.of("--bootstrap-servers", cluster.bootstrapServers(), "--registry-url",
            cluster.registryUrl(), "--namespace", topics.namespace()));
        if (command instanceof StatusFoldCommand) {
            all.clear();
        }
        all.addAll(List.of(args));
        int code = cli.execute(all.toArray(String[]::new));
        return new Result(code, out.toString(), err.toString());
    }
}
