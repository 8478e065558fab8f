package io.nmstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.embedded.LoopbackPorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nmstream up --detach} returns once the commands that follow find it answering, and {@code nmstream down} stops
 * it, as {@code docker compose up -d} and {@code down} do: the README's quick start runs its commands one after the other,
 * and with {@code up &} the next one met a broker that was not listening yet.
 */
class UpDetachIT {

    @TempDir
    Path dir;

    private Path data;

    @BeforeEach
    void dataDirectory() {
        data = dir.resolve("data");
    }

    /** A detached up outlives the test that failed before stopping it: stop it here. */
    @AfterEach
    void stopWhatIsLeft() throws IOException {
        if (DataDirLock.isHeld(data)) {
            DataDirLock.recordedPid(data).stream().mapToObj(ProcessHandle::of).flatMap(Optional::stream)
                .forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void upDetachReturnsOnceItAnswersAndDownStopsIt() throws Exception {
        int kafkaPort = LoopbackPorts.free();
        String kafka = "127.0.0.1:" + kafkaPort;
        String registry = "http://127.0.0.1:" + LoopbackPorts.free();
        String[] ports = {"--kafka-port", Integer.toString(kafkaPort), "--registry-port", registry.substring(registry.lastIndexOf(':') + 1),
            "--http-port", Integer.toString(LoopbackPorts.free())};

        NmstreamJar.Run up = run("up", 300, "up", "--detach", "--data-dir", data.toString(), "--simulated-nodes", "2", ports[0], ports[1],
            ports[2], ports[3], ports[4], ports[5]);

        assertThat(up.exitCode()).as(stderr("up")).isZero();
        assertThat(up.stdout()).startsWith("nmstream is up\n").contains("kafka.bootstrap.servers = " + kafka)
            .contains("nmstream down --data-dir " + data + " stops it.").contains("Its log: " + data.resolve("up.log"));
        OptionalLong pid = DataDirLock.recordedPid(data);
        assertThat(pid).isPresent();
        assertThat(ProcessHandle.of(pid.getAsLong()).map(ProcessHandle::isAlive)).as("the up it left running").contains(true);

        // the next line of a script: it answers at once, and the rollout completes
        Path manifest = Files.writeString(dir.resolve("mtu.yaml"), """
            apiVersion: nmstate.io/v1
            kind: NodeNetworkConfigurationPolicy
            metadata: {name: mtu}
            spec:
              desiredState:
                interfaces:
                - {name: eth1, type: ethernet, state: up, mtu: 1450}
            """);
        NmstreamJar.Run apply = run("apply", 180, "policy", "apply", "-f", manifest.toString(), "--wait=2m", "--bootstrap-servers", kafka,
            "--registry-url", registry);
        assertThat(apply.exitCode()).as(stderr("apply")).isZero();
        assertThat(apply.stdout()).contains("nodenetworkconfigurationpolicy.nmstate.io/mtu generation 1 is Available: "
            + "2/2 nodes successfully configured");

        // a second detached up on the same data starts nothing, and says why
        NmstreamJar.Run second = run("second", 60, "up", "--detach", "--data-dir", data.toString(), "--kafka-port",
            Integer.toString(LoopbackPorts.free()), "--registry-port", Integer.toString(LoopbackPorts.free()), "--http-port",
            Integer.toString(LoopbackPorts.free()));
        assertThat(second.exitCode()).isEqualTo(2);
        assertThat(stderr("second")).contains("the data directory " + data + " is in use by another nmstream up");

        // another user sees that it runs, and is told that it may not stop it, at once
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        NmstreamJar.Run other = NmstreamJar.runAsNobody(Files.createDirectories(dir.resolve("other")), 60, "down", "--data-dir",
            data.toString());
        assertThat(other.exitCode()).isEqualTo(1);
        assertThat(stderr("other")).isEqualTo("nmstream down: nmstream up (pid " + pid.getAsLong() + ") on " + data + " runs as another "
            + "user, and this one may not stop it; run down as that user\n");
        Files.setPosixFilePermissions(data.resolve(DataDirLock.FILE), PosixFilePermissions.fromString("rw-------"));
        NmstreamJar.Run unreadable = NmstreamJar.runAsNobody(Files.createDirectories(dir.resolve("unreadable")), 60, "down", "--data-dir",
            data.toString());
        assertThat(unreadable.exitCode()).isEqualTo(1);
        assertThat(stderr("unreadable")).isEqualTo("nmstream down: " + data.resolve(DataDirLock.FILE) + " cannot be read: permission "
            + "denied; run down as the user that runs up\n");
        assertThat(ProcessHandle.of(pid.getAsLong()).map(ProcessHandle::isAlive)).as("still running").contains(true);

        NmstreamJar.Run down = run("down", 60, "down", "--data-dir", data.toString());

        assertThat(down.exitCode()).as(stderr("down")).isZero();
        assertThat(down.stdout()).isEqualTo("nmstream up (pid " + pid.getAsLong() + ") on " + data + " stopped\n");
        assertThat(ProcessHandle.of(pid.getAsLong()).map(ProcessHandle::isAlive)).as("ended, not only signalled").isNotEqualTo(
            Optional.of(true));
        assertThat(LoopbackPorts.isInUse("127.0.0.1", kafkaPort)).as("its broker stopped").isFalse();
        assertThat(Files.readString(data.resolve("up.log"), StandardCharsets.UTF_8)).as("stopped as Ctrl-C stops it")
            .contains("nmstream: stopping");
        NmstreamJar.Run again = run("again", 60, "down", "--data-dir", data.toString());
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(stderr("again")).isEqualTo("nmstream down: no nmstream up runs on " + data + " (--data-dir)\n");
    }

    @Test
    void aDetachedUpThatFailsToStartSaysWhyAndLeavesNothingRunning() throws Exception {
        // the broker's data directory taken by a file: only the broker itself finds out, after up has started it
        Files.createDirectories(data);
        Files.writeString(data.resolve("kafka"), "not a directory");

        NmstreamJar.Run up = run("up", 120, "up", "--detach", "--data-dir", data.toString(), "--kafka-port",
            Integer.toString(LoopbackPorts.free()), "--registry-port", Integer.toString(LoopbackPorts.free()), "--http-port",
            Integer.toString(LoopbackPorts.free()));

        assertThat(up.exitCode()).isEqualTo(1);
        assertThat(up.stdout()).isEmpty();
        assertThat(stderr("up")).isEqualTo("nmstream up: did not start: Cannot create the Kafka data directory: " + data.resolve("kafka")
            + ": a file of that name exists, not a directory; nothing is left running\n"
            + "nmstream up ended with exit code 1; its log: " + data.resolve("up.log") + "\n");
        assertThat(DataDirLock.isHeld(data)).as("nothing left running on the data").isFalse();
    }

    private NmstreamJar.Run run(String name, long timeoutSeconds, String... args) throws IOException, InterruptedException {
        return NmstreamJar.run(Files.createDirectories(dir.resolve(name)), timeoutSeconds, args);
    }

    private String stderr(String name) throws IOException {
        return Files.readString(dir.resolve(name).resolve("stdout.txt.log"), StandardCharsets.UTF_8);
    }
}
