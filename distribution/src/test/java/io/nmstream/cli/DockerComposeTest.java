package io.nmstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.nmstream.common.config.Setting;
import io.nmstream.executor.NodeExecutorMain;
import io.nmstream.ingest.PolicyIngestMain;
import io.nmstream.reconciler.ReconcilerMain;
import io.nmstream.status.projector.StatusProjectorMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The repository's docker-compose.yml parses, runs each service's own main, and sets only settings that service knows. */
class DockerComposeTest {

    /** Each nmstream service of the compose file: its main class and the settings that main reads. */
    private static final Map<String, Map.Entry<Class<?>, List<Setting<?>>>> SERVICES = Map.of(
        "policy-ingest", Map.entry(PolicyIngestMain.class, PolicyIngestMain.settings()),
        "reconciler", Map.entry(ReconcilerMain.class, ReconcilerMain.settings()),
        "node-executor", Map.entry(NodeExecutorMain.class, NodeExecutorMain.settings()),
        "status-projector", Map.entry(StatusProjectorMain.class, StatusProjectorMain.settings()));

    private static JsonNode compose;

    @BeforeAll
    static void parse() throws IOException {
        compose = new ObjectMapper(new YAMLFactory()).readTree(Path.of("..", "docker-compose.yml").toFile());
    }

    @Test
    void composeRunsKafkaInKraftModeARegistryAndEveryNmstreamService() {
        JsonNode services = compose.path("services");
        assertThat(services.path("kafka").path("image").asText()).startsWith("apache/kafka:");
        assertThat(services.path("kafka").path("environment").path("KAFKA_PROCESS_ROLES").asText()).isEqualTo("broker,controller");
        assertThat(services.path("schema-registry").path("image").asText()).contains("schema-registry");
        assertThat(fieldNames(services)).containsAll(SERVICES.keySet());
        assertThat(services.path("node-executor").path("network_mode").asText()).isEqualTo("host");
        assertThat(services.path("node-executor").path("volumes").toString()).contains("/run/dbus/system_bus_socket");
    }

    @Test
    void theAgentRunsFromItsOwnImageWithTheAgentJarAndTheAgentsJvmOptions() throws IOException {
        JsonNode agent = compose.path("services").path("node-executor");
        assertThat(agent.path("build").path("target").asText()).isEqualTo("agent");
        List<String> entrypoint = new ArrayList<>();
        agent.path("entrypoint").forEach(part -> entrypoint.add(part.asText()));
        assertThat(entrypoint).containsSubsequence("java", "@/opt/nmstream/jvm.options", "-cp", "/opt/nmstream/nmstream-agent.jar",
            NodeExecutorMain.class.getName());

        String dockerfile = Files.readString(Path.of("..", "Dockerfile"));
        int agentStart = dockerfile.indexOf(" AS agent");
        String agentStage = dockerfile.substring(agentStart, dockerfile.indexOf("FROM", agentStart));
        assertThat(agentStage).contains("COPY --from=build /src/node-agent/target/nmstream-agent.jar /opt/nmstream/nmstream-agent.jar")
            .contains("COPY --from=build /src/node-executor/src/main/resources/io/nmstream/executor/agent/jvm.options "
                + "/opt/nmstream/jvm.options")
            .contains("ENTRYPOINT [\"java\", \"@/opt/nmstream/jvm.options\", \"-jar\", \"/opt/nmstream/nmstream-agent.jar\"]")
            .doesNotContain("nmstream.jar ");
        assertThat(Path.of("..", "node-executor", "src", "main", "resources", "io", "nmstream", "executor", "agent", "jvm.options"))
            .as("the file AgentJvmOptions reads").isRegularFile();
    }

    @Test
    void everyServiceRunsItsOwnMainAndNamesOnlySettingsItKnows() {
        SERVICES.forEach((name, main) -> {
            JsonNode service = compose.path("services").path(name);
            JsonNode build = service.path("build");
            assertThat(build.isTextual() ? build.asText() : build.path("context").asText()).as(name).isEqualTo(".");
            assertThat(service.path("entrypoint").toString()).as(name).contains(main.getKey().getName());
            Set<String> known = main.getValue().stream().map(Setting::envVar).collect(Collectors.toSet());
            List<String> named = fieldNames(service.path("environment"));
            assertThat(named).as(name + " sets settings").isNotEmpty();
            assertThat(named).as(name + " may set only " + known).allSatisfy(v -> assertThat(known).contains(v));
        });
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
