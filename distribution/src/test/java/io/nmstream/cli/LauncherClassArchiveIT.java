package io.nmstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nmstream.embedded.EmbeddedCluster;
import io.nmstream.embedded.LoopbackPorts;
import io.nmstream.embedded.junit.EmbeddedClusterExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/nmstream}'s class archive, as a user meets it after a build: the first command that reaches Kafka and
 * succeeds records the classes it loads, later commands map them from the archive, a rebuilt jar gets a new one, and
 * none of it shows in what a command prints. The launcher runs from a copy of the checkout's layout, so that the archive
 * it records is this test's alone.
 */
@ExtendWith(EmbeddedClusterExtension.class)
class LauncherClassArchiveIT {

    private static final Path LAUNCHER = Path.of("..", "bin", "nmstream").toAbsolutePath().normalize();
    private static final Path EXAMPLE = Path.of("..", "examples", "ethernet.yaml").toAbsolutePath().normalize();

    private final EmbeddedCluster cluster;
    private final String namespace = "launcher-" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path root;

    LauncherClassArchiveIT(EmbeddedCluster cluster) {
        this.cluster = cluster;
    }

    @Test
    void theFirstSuccessfulCommandRecordsTheArchiveThatLaterCommandsMap() throws Exception {
        cluster.createTopics(namespace);
        Path jar = Files.createDirectories(root.resolve("distribution").resolve("target")).resolve("nmstream.jar");
        Files.copy(NmstreamJar.jar(), jar, StandardCopyOption.COPY_ATTRIBUTES);
        Path launcher = Files.createDirectories(root.resolve("bin")).resolve("nmstream");
        Files.copy(LAUNCHER, launcher, StandardCopyOption.COPY_ATTRIBUTES);
        Path archive = Path.of(jar + ".jsa");

        Run unreachable = run(Map.of(), "get", "nncp", "--bootstrap-servers", "127.0.0.1:" + LoopbackPorts.free(),
            "--registry-url", cluster.registryUrl());
        assertThat(unreachable.exitCode()).isNotZero();
        assertThat(unreachable.stderr()).contains("error: Kafka at 127.0.0.1:");
        Run offline = run(Map.of(), "policy", "validate", "-f", EXAMPLE.toString());
        assertThat(offline.stdout()).startsWith("nodenetworkconfigurationpolicy.nmstate.io/ethernet valid (");
        assertThat(recordings(jar)).as("a failed command and an offline one leave no archive").isEmpty();

        Run created = run(Map.of(), onCluster("policy", "apply", "-f", EXAMPLE.toString()));
        assertThat(created.exitCode()).as(created.stderr()).isZero();
        assertThat(created.stdout()).isEqualTo("nodenetworkconfigurationpolicy.nmstate.io/ethernet created (generation 1)\n");
        assertThat(recordings(jar)).as("the recording became the archive").containsExactly(archive);

        Path classLog = root.resolve("classes.log");
        Run unchanged = run(Map.of("NMSTREAM_JAVA_OPTS", "-Xmx1g -Xlog:class+load=info:file=" + classLog),
            onCluster("policy", "apply", "-f", EXAMPLE.toString()));
        assertThat(unchanged.stdout()).isEqualTo("nodenetworkconfigurationpolicy.nmstate.io/ethernet unchanged (generation 1)\n");
        assertThat(Files.readAllLines(classLog)).as("nmstream's and Kafka's classes come from the archive")
            .anyMatch(line -> line.contains("io.nmstream.cli.NmstreamCommand source: shared objects file (top)"))
            .anyMatch(line -> line.contains("org.apache.kafka.clients.consumer.KafkaConsumer source: shared objects file (top)"));

        // a rebuilt jar: the archive of the old one is not used, and the next command records one for the new jar
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(archive).toMillis() + 1000));
        Run json = run(Map.of(), onCluster("policy", "get", "ethernet", "-o", "json"));
        assertThat(json.exitCode()).as(json.stderr()).isZero();
        assertThat(new ObjectMapper().readTree(json.stdout()).path("metadata").path("name").asText()).isEqualTo("ethernet");
        assertThat(Files.getLastModifiedTime(archive)).as("recorded again, for the rebuilt jar")
            .isGreaterThan(Files.getLastModifiedTime(jar));
        assertThat(recordings(jar)).containsExactly(archive);
    }

    private String[] onCluster(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap-servers", cluster.bootstrapServers(), "--registry-url", cluster.registryUrl(),
            "--namespace", namespace));
        return all.toArray(String[]::new);
    }

    /** The archive and any recording in progress or left behind, next to the jar. */
    private static List<Path> recordings(Path jar) throws IOException {
        try (Stream<Path> files = Files.list(jar.getParent())) {
            return files.filter(file -> file.getFileName().toString().startsWith("nmstream.jar.jsa")).toList();
        }
    }

    private record Run(int exitCode, String stdout, String stderr) {
    }

    /** {@code bin/nmstream args...} as a user runs it, with {@code environment} added to this JVM's. */
    private Run run(Map<String, String> environment, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(root.resolve("bin").resolve("nmstream").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = new HashMap<>(environment);
        env.putIfAbsent("NMSTREAM_JAVA_OPTS", "-Xmx1g");
        builder.environment().putAll(env);
        Path stdout = root.resolve("stdout.txt");
        Path stderr = root.resolve("stderr.txt");
        Process process = builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("bin/nmstream " + String.join(" ", args) + " did not finish within 120 s");
        }
        return new Run(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
            Files.readString(stderr, StandardCharsets.UTF_8));
    }
}
