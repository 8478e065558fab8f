package io.nmstream.embedded.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * The third-party Node.js clients the interoperability tests run (kafkajs, {@code @kafkajs/confluent-schema-registry},
 * Confluent's {@code @confluentinc/schemaregistry}): the npm project in the embedded module's {@code src/test/node},
 * installed from its lock file when a pinned package is missing, and its scripts run as separate processes.
 */
public final class NodeClients {

    /** What a finished script printed: its answer on stdout, its diagnostics on stderr. */
    public record Result(int exitCode, String stdout, String stderr) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long PROCESS_LIMIT_SECONDS = 180;
    private static final long INSTALL_LIMIT_SECONDS = 900;

    private final Path project;

    private NodeClients(Path project) {
        this.project = project;
    }

    /** The project as seen from the module whose tests run: the embedded module's own, or its sibling's. */
    public static NodeClients locate() {
        Path own = Path.of("src", "test", "node");
        return new NodeClients(Files.isRegularFile(own.resolve("package.json")) ? own : Path.of("..", "embedded", "src", "test", "node"));
    }

    /** The project directory, where scripts run. */
    public Path project() {
        return project;
    }

    /** Whether {@code node} is on the path; the tests need it ({@code .ci/run} installs it on a fresh machine). */
    public static boolean nodeInstalled() throws InterruptedException {
        try {
            Process process = new ProcessBuilder("node", "--version").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException notInstalled) {
            return false;
        }
    }

    /**
     * Installs the packages of the lock file ({@code npm ci}, which needs the npm registry) unless every package
     * {@code package.json} pins is already installed at its pinned version.
     *
     * @throws AssertionError naming the project and npm's output when the install fails
     */
    public void install() throws IOException, InterruptedException {
        if (!missingPackages().isEmpty()) {
            Result install = run(List.of("npm", "ci", "--no-audit", "--no-fund"), INSTALL_LIMIT_SECONDS);
            if (install.exitCode() != 0) {
                throw new AssertionError("npm ci in " + project.toAbsolutePath() + " failed (it needs the npm registry):\n"
                    + install.stderr());
            }
        }
    }

    /** The pinned packages not installed at their pinned version. */
    private List<String> missingPackages() throws IOException {
        List<String> missing = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> pins = JSON.readTree(project.resolve("package.json").toFile()).path("dependencies").fields();
        while (pins.hasNext()) {
            Map.Entry<String, JsonNode> pin = pins.next();
            Path installed = project.resolve("node_modules").resolve(pin.getKey()).resolve("package.json");
            boolean pinned = Files.isRegularFile(installed)
                && pin.getValue().asText().equals(JSON.readTree(installed.toFile()).path("version").asText());
            if (!pinned) {
                missing.add(pin.getKey() + "@" + pin.getValue().asText());
            }
        }
        return missing;
    }

    /** Runs a command in the project directory to its end, or kills it after three minutes. */
    public Result run(List<String> command) throws IOException, InterruptedException {
        return run(command, PROCESS_LIMIT_SECONDS);
    }

    private Result run(List<String> command, long limitSeconds) throws IOException, InterruptedException {
        Path stdout = Files.createTempFile("node-interop", ".out");
        Path stderr = Files.createTempFile("node-interop", ".err");
        try {
            Process process = new ProcessBuilder(command).directory(project.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
            if (!process.waitFor(limitSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + limitSeconds + " s: "
                    + Files.readString(stderr));
            }
            return new Result(process.exitValue(), Files.readString(stdout), Files.readString(stderr));
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }

    /**
     * An event as the Node clients represent it: enums as their symbol, maps as objects, optional fields as the value
     * or null, timestamps as epoch milliseconds.
     */
    public static ObjectNode asNodeJson(SpecificRecord event) {
        ObjectNode json = JSON.createObjectNode();
        for (Schema.Field field : event.getSchema().getFields()) {
            json.set(field.name(), JSON.valueToTree(plain(event.get(field.pos()))));
        }
        return json;
    }

    private static Object plain(Object value) {
        if (value instanceof Instant instant) {
            return instant.toEpochMilli();
        }
        if (value instanceof Enum<?> symbol) {
            return symbol.name();
        }
        if (value instanceof SpecificRecord record) {
            return asNodeJson(record);
        }
        if (value instanceof Collection<?> items) {
            return items.stream().map(NodeClients::plain).toList();
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = JSON.createObjectNode();
            map.forEach((k, v) -> object.set(k.toString(), JSON.valueToTree(plain(v))));
            return object;
        }
        return value;
    }
}
