package io.nmstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nmstream up} keeps running on the default ports, the other commands work against it with no flags, and a
 * restart on the same data directory replays to the same status.
 */
class UpIT {

    private static final String POLICY = """
        apiVersion: nmstate.io/v1
        kind: NodeNetworkConfigurationPolicy
        metadata:
          name: worker-mtu
        spec:
          nodeSelector:
            node-role.kubernetes.io/worker: ""
          maxUnavailable: 1
          desiredState:
            interfaces:
              - name: ens8f0np0
                type: ethernet
                state: up
                mtu: 9000
        """;

    @Test
    void commandsWorkAgainstUpWithoutFlagsAndARestartReplaysToTheSameStatus(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        Path manifest = Files.writeString(dir.resolve("worker-mtu.yaml"), POLICY);

        Process up = startUp(dir.resolve("first.txt"), data);
        try {
            NmstreamJar.Run apply = NmstreamJar.run(Files.createDirectories(dir.resolve("apply")), 120, "policy", "apply", "-f",
                manifest.toString());
            assertThat(apply.exitCode()).as(apply.stdout()).isZero();
            awaitTable(dir.resolve("get-1"), "worker-mtu\\s+Available\\s+SuccessfullyConfigured");
            NmstreamJar.Run nnce = NmstreamJar.run(Files.createDirectories(dir.resolve("nnce")), 120, "get", "nnce");
            assertThat(nnce.stdout()).containsPattern("worker-0\\.worker-mtu\\s+Available")
                .containsPattern("worker-2\\.worker-mtu\\s+Available");
        } finally {
            stop(up);
        }

        Process again = startUp(dir.resolve("second.txt"), data);
        try {
            awaitTable(dir.resolve("get-2"), "worker-mtu\\s+Available\\s+SuccessfullyConfigured");
            NmstreamJar.Run replay = NmstreamJar.run(Files.createDirectories(dir.resolve("replay")), 180, "replay");
            assertThat(replay.stdout()).contains("match:      yes").containsPattern("rebuilt:\\s+1 nncp, 3 nnce");
            assertThat(replay.exitCode()).isZero();
        } finally {
            stop(again);
        }
    }

    private static Process startUp(Path stdout, Path data) throws IOException {
        Process up = NmstreamJar.start(stdout, "up", "--data-dir", data.toString(), "--simulated-nodes", "3");
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
            .until(() -> !up.isAlive() || Files.readString(stdout, StandardCharsets.UTF_8).contains("nmstream is up"));
        assertThat(up.isAlive()).as("nmstream up exited; its log: %s", Path.of(stdout + ".log")).isTrue();
        return up;
    }

    private static void awaitTable(Path dir, String row) throws IOException {
        Files.createDirectories(dir);
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2))
            .until(() -> NmstreamJar.run(dir, 120, "get", "nncp").stdout().matches("(?s).*" + row + ".*"));
    }

    /** Ctrl-C, as an operator stops it; it must end cleanly. */
    private static void stop(Process up) throws InterruptedException {
        up.destroy();
        boolean ended = up.waitFor(90, TimeUnit.SECONDS);
        if (!ended) {
            up.destroyForcibly().waitFor();
        }
        assertThat(ended).as("nmstream up stopped within 90 s of SIGTERM").isTrue();
    }
}
