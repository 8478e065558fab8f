package io.nmstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Manifests piped to the packaged command as GitOps pipelines pipe them to kubectl: {@code kustomize build | nmstream
 * policy apply -f -}, and {@code -f <(kustomize build)}. Nothing here needs Kafka: what is read is refused or validated
 * before any connection.
 */
class PipedManifestsIT {

    private static final Path EXAMPLE = Path.of("..", "examples", "ethernet.yaml").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    /** Runs {@code nmstream args...} with {@code stdin} as its standard input. */
    private NmstreamJar.Run run(byte[] stdin, String... args) throws Exception {
        Path out = dir.resolve("stdout.txt");
        Process process = NmstreamJar.start(out, args);
        try (OutputStream in = process.getOutputStream()) {
            in.write(stdin);
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("finished").isTrue();
        return new NmstreamJar.Run(process.exitValue(), Files.readString(out) + Files.readString(Path.of(out + ".log")));
    }

    @Test
    void validateReadsTheStandardInputForADash() throws Exception {
        NmstreamJar.Run valid = run(Files.readAllBytes(EXAMPLE), "policy", "validate", "-");
        assertThat(valid.exitCode()).as(valid.stdout()).isZero();
        assertThat(valid.stdout()).containsPattern("nodenetworkconfigurationpolicy\\.nmstate\\.io/\\S+ valid \\(stdin document\\[0\\]");

        NmstreamJar.Run invalid = run(Files.readString(EXAMPLE).replace("state: up", "state: up\n      mtu: 70000")
            .getBytes(StandardCharsets.UTF_8), "policy", "validate", "-");
        assertThat(invalid.exitCode()).isEqualTo(1);
        assertThat(invalid.stdout()).contains("stdin document[0] spec.desiredState.interfaces[0].mtu: 70000 is not allowed");
    }

    @Test
    void validateReadsAProcessSubstitution() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String script = "\"$0\" -Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.nmstream.schemas.avro -jar \"$1\" policy validate <(cat \"$2\")";
        Process process = new ProcessBuilder(List.of("bash", "-c", script, java, NmstreamJar.jar().toString(), EXAMPLE.toString()))
            .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).containsPattern("nodenetworkconfigurationpolicy\\.nmstate\\.io/\\S+ valid \\(/dev/fd/\\d+ document\\[0\\]");
    }

    @Test
    void pruneFromTheStandardInputNeedsAnOriginNamingTheSource() throws Exception {
        NmstreamJar.Run run = run(Files.readAllBytes(EXAMPLE), "policy", "apply", "-f", "-", "--prune", "--timeout", "1s");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stdout()).contains("--prune with -f - needs --origin NAME");
    }
}
