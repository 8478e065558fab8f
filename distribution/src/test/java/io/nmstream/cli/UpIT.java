package io.nmstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nmstream.embedded.LoopbackPorts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
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
            assertThat(apply.stdout()).isEqualTo("nodenetworkconfigurationpolicy.nmstate.io/worker-mtu created (generation 1)\n");
            assertThat(log(dir.resolve("apply").resolve("stdout.txt"))).as("stderr: what stdout says is not repeated as a log line")
                .doesNotContain("worker-mtu");
            awaitTable(dir.resolve("get-1"), "worker-mtu\\s+Available\\s+SuccessfullyConfigured");
            NmstreamJar.Run nnce = NmstreamJar.run(Files.createDirectories(dir.resolve("nnce")), 120, "get", "nnce");
            assertThat(nnce.stdout()).containsPattern("worker-0\\.worker-mtu\\s+Available")
                .containsPattern("worker-2\\.worker-mtu\\s+Available");

            // a second up on the same ports starts nothing (it took the first one's broker for its own, then failed half-way)
            Path secondDir = Files.createDirectories(dir.resolve("second-up"));
            NmstreamJar.Run second = NmstreamJar.run(secondDir, 60, "up", "--data-dir", secondDir.resolve("data").toString());
            assertThat(second.exitCode()).isEqualTo(2);
            assertThat(log(secondDir.resolve("stdout.txt"))).isEqualTo("nmstream up: port 9092 on 127.0.0.1 (--kafka-port), port 8081 "
                + "on 127.0.0.1 (--registry-port), port 8088 on 127.0.0.1 (--http-port) are in use: is another nmstream up running? "
                + "Stop it (nmstream down), or give free ports; nothing was started\n");
            assertThat(secondDir.resolve("data")).doesNotExist();
            // and on free ports but the same data, it would have met the broker's lock on the data halfway through starting
            NmstreamJar.Run sameData = NmstreamJar.run(Files.createDirectories(dir.resolve("same-data")), 60, "up", "--data-dir",
                data.toString(), "--kafka-port", Integer.toString(LoopbackPorts.free()), "--registry-port",
                Integer.toString(LoopbackPorts.free()), "--http-port", Integer.toString(LoopbackPorts.free()));
            assertThat(sameData.exitCode()).isEqualTo(2);
            assertThat(log(dir.resolve("same-data").resolve("stdout.txt"))).isEqualTo("nmstream up: the data directory " + data
                + " is in use by another nmstream up: stop it (nmstream down), or give another --data-dir; nothing was started\n");
        } finally {
            stop(up, dir.resolve("first.txt"));
        }

        Process again = startUp(dir.resolve("second.txt"), data);
        try {
            awaitTable(dir.resolve("get-2"), "worker-mtu\\s+Available\\s+SuccessfullyConfigured");
            NmstreamJar.Run replay = NmstreamJar.run(Files.createDirectories(dir.resolve("replay")), 180, "replay");
            assertThat(replay.stdout()).contains("match:      yes").containsPattern("rebuilt:\\s+1 nncp, 3 nnce");
            assertThat(replay.exitCode()).isZero();
        } finally {
            stop(again, dir.resolve("second.txt"));
        }
        assertThat(httpToken(dir.resolve("second.txt"))).as("a GitOps tool given the HTTP API token keeps working after a restart")
            .isEqualTo(httpToken(dir.resolve("first.txt")));
        assertThat(Files.getPosixFilePermissions(data.resolve(UpCommand.TOKEN_FILE))).as("readable by its owner only")
            .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }

    /** The policy HTTP API token up printed. */
    private static String httpToken(Path stdout) throws IOException {
        Matcher token = Pattern.compile("policy HTTP API token\\s+= (\\S+) \\(user").matcher(Files.readString(stdout));
        assertThat(token.find()).as("the token up printed in %s", stdout).isTrue();
        return token.group(1);
    }

    @Test
    void applyWaitEndsWhenThePolicyIsAvailableOrDegradedAndWaitDoesTheSameForAPipeline(@TempDir Path dir) throws Exception {
        Path manifest = Files.writeString(dir.resolve("worker-mtu.yaml"), POLICY);
        // every simulated worker's driver refuses MTUs above 9000, as the jumbo policy will find out
        Path jumbo = Files.writeString(dir.resolve("jumbo.yaml"), POLICY.replace("worker-mtu", "jumbo").replace("9000", "9216"));
        Process up = startUp(dir.resolve("up.txt"), dir.resolve("data"), "--simulated-mtu-limit", "9000");
        try {
            Path applyDir = Files.createDirectories(dir.resolve("apply"));
            NmstreamJar.Run apply = NmstreamJar.run(applyDir, 180, "policy", "apply", "-f", manifest.toString(), "--wait=2m");
            assertThat(apply.exitCode()).as("%s%s", apply.stdout(), log(applyDir.resolve("stdout.txt"))).isZero();
            assertThat(apply.stdout()).contains("nodenetworkconfigurationpolicy.nmstate.io/worker-mtu created (generation 1)")
                .contains("nodenetworkconfigurationpolicy.nmstate.io/worker-mtu generation 1 is Available: 3/3 nodes successfully "
                    + "configured");

            Path degradedDir = Files.createDirectories(dir.resolve("degraded"));
            NmstreamJar.Run degraded = NmstreamJar.run(degradedDir, 180, "policy", "apply", "-f", jumbo.toString(), "--wait=2m");
            assertThat(degraded.exitCode()).as(degraded.stdout()).isEqualTo(1);
            assertThat(log(degradedDir.resolve("stdout.txt"))).contains("error: nodenetworkconfigurationpolicy.nmstate.io/jumbo "
                    + "generation 1 is Degraded: ")
                .containsPattern("  worker-\\d: .*9216");

            Path waitDir = Files.createDirectories(dir.resolve("wait"));
            NmstreamJar.Run wait = NmstreamJar.run(waitDir, 120, "wait", "nncp/worker-mtu", "--for=condition=Available", "--timeout=1m");
            assertThat(wait.exitCode()).isZero();
            assertThat(wait.stdout()).isEqualTo("nodenetworkconfigurationpolicy.nmstate.io/worker-mtu condition met\n");

            Path deleteDir = Files.createDirectories(dir.resolve("delete"));
            NmstreamJar.Run delete = NmstreamJar.run(deleteDir, 120, "policy", "delete", "jumbo", "--wait=1m");
            assertThat(delete.exitCode()).as("%s", log(deleteDir.resolve("stdout.txt"))).isZero();
            assertThat(delete.stdout()).isEqualTo("nodenetworkconfigurationpolicy.nmstate.io \"jumbo\" deleted\n");
            NmstreamJar.Run listed = NmstreamJar.run(Files.createDirectories(dir.resolve("get-after-delete")), 120, "get", "nncp");
            assertThat(listed.stdout()).as("gone from get once delete --wait returns").contains("worker-mtu").doesNotContain("jumbo");
            NmstreamJar.Run deleted = NmstreamJar.run(Files.createDirectories(dir.resolve("wait-delete")), 120, "wait", "nncp/jumbo",
                "--for=delete", "--timeout=1m");
            assertThat(deleted.exitCode()).isZero();
            assertThat(deleted.stdout()).isEqualTo("nodenetworkconfigurationpolicy.nmstate.io/jumbo condition met\n");

            // a GitOps directory: a policy removed from it is deleted by --prune, and --wait waits for it to be gone
            Path gitops = Files.createDirectories(dir.resolve("gitops"));
            Files.writeString(gitops.resolve("keep.yaml"), POLICY.replace("worker-mtu", "keep").replace("9000", "8000"));
            Path drop = Files.writeString(gitops.resolve("drop.yaml"), POLICY.replace("worker-mtu", "drop").replace("9000", "7000"));
            NmstreamJar.Run both = NmstreamJar.run(Files.createDirectories(dir.resolve("gitops-1")), 180, "policy", "apply", "-f",
                gitops.toString(), "--wait=2m");
            assertThat(both.exitCode()).as(both.stdout()).isZero();
            Files.delete(drop);
            Path pruneDir = Files.createDirectories(dir.resolve("gitops-2"));
            NmstreamJar.Run pruned = NmstreamJar.run(pruneDir, 180, "policy", "apply", "-f", gitops.toString(), "--prune", "--wait=2m");
            assertThat(pruned.exitCode()).as("%s", log(pruneDir.resolve("stdout.txt"))).isZero();
            assertThat(pruned.stdout()).contains("nodenetworkconfigurationpolicy.nmstate.io/drop pruned")
                .contains("nodenetworkconfigurationpolicy.nmstate.io/drop is gone")
                .contains("nodenetworkconfigurationpolicy.nmstate.io/keep generation 1 is Available");
            assertThat(NmstreamJar.run(Files.createDirectories(dir.resolve("gitops-get")), 120, "get", "nncp").stdout())
                .contains("keep").doesNotContain("drop");
            // the published manifest, as kubectl get -o yaml prints it; the whole of it reaches stdout before the exit
            assertThat(NmstreamJar.run(Files.createDirectories(dir.resolve("policy-get-yaml")), 120, "policy", "get", "keep", "-o", "yaml")
                .stdout()).startsWith("apiVersion: nmstate.io/v1\nkind: NodeNetworkConfigurationPolicy\n").contains("  name: keep\n")
                .contains("mtu: 8000").endsWith("\n");
        } finally {
            stop(up, dir.resolve("up.txt"));
        }
    }

    @Test
    void upReportsItsKilledBrokerAndExitsNonZero(@TempDir Path dir) throws Exception {
        Path stdout = dir.resolve("up.txt");
        Process up = startUp(stdout, dir.resolve("data"));
        try {
            brokerOf(up).destroyForcibly();

            awaitStopped(up, stdout, "killing its broker");
            assertThat(up.exitValue()).isEqualTo(1);
            assertThat(log(stdout)).containsPattern("ERROR .*The embedded Kafka broker stopped \\(exit code 137\\); its log is at "
                + Pattern.quote(dir.resolve("data").resolve("kafka").resolve("broker.log").toString()) + "; nmstream up stops: restart it");
        } finally {
            up.destroyForcibly().waitFor();
        }
    }

    @Test
    void upKilledAloneTakesItsBrokerWithItAndStartsAgainOnTheSameData(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        int kafkaPort = LoopbackPorts.free();
        String[] ports = {"--kafka-port", String.valueOf(kafkaPort), "--registry-port", String.valueOf(LoopbackPorts.free()),
            "--http-port", String.valueOf(LoopbackPorts.free())};
        Process up = startUp(dir.resolve("first.txt"), data, ports);
        ProcessHandle broker;
        try {
            broker = brokerOf(up);
            // SIGKILL to nmstream up alone: it gets no chance to stop its broker
            up.destroyForcibly().waitFor();

            await("the broker ended after nmstream up was killed").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> !broker.isAlive());
        } finally {
            up.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        }
        assertThat(Files.readString(data.resolve("kafka").resolve("broker.log"), StandardCharsets.UTF_8))
            .contains("the process that started this embedded broker is gone; stopping the broker");
        try (ServerSocket socket = new ServerSocket(kafkaPort, 1, InetAddress.getLoopbackAddress())) {
            assertThat(socket.getLocalPort()).as("the Kafka port is free again").isEqualTo(kafkaPort);
        }

        // the broker left its data directory and ports to the next start
        Process again = startUp(dir.resolve("second.txt"), data, ports);
        again.destroy();
        assertThat(again.waitFor(90, TimeUnit.SECONDS)).as("the restarted nmstream up stopped on SIGTERM").isTrue();
    }

    @Test
    void upReportsItsRemovedDataDirectoryAndExitsNonZero(@TempDir Path dir) throws Exception {
        Path stdout = dir.resolve("up.txt");
        Path data = dir.resolve("data");
        Process up = startUp(stdout, data);
        try {
            try (Stream<Path> files = Files.walk(data)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }

            awaitStopped(up, stdout, "removing its data directory");
            assertThat(up.exitValue()).isEqualTo(1);
            assertThat(log(stdout)).containsPattern("ERROR .*The data directory " + Pattern.quote(data.toString())
                + " was removed while nmstream up was running \\(.+ is gone\\); nmstream up stops: restart it");
        } finally {
            up.destroyForcibly().waitFor();
        }
    }

    static Process startUp(Path stdout, Path data, String... options) throws IOException {
        List<String> args = new ArrayList<>(List.of("up", "--data-dir", data.toString(), "--simulated-nodes", "3"));
        args.addAll(List.of(options));
        Process up = NmstreamJar.start(stdout, args.toArray(String[]::new));
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
            .until(() -> !up.isAlive() || Files.readString(stdout, StandardCharsets.UTF_8).contains("nmstream is up"));
        assertThat(up.isAlive()).as("nmstream up exited; its log: %s", Path.of(stdout + ".log")).isTrue();
        return up;
    }

    /** The embedded broker's JVM, a child of nmstream up. */
    private static ProcessHandle brokerOf(Process up) {
        return up.descendants().filter(p -> p.info().commandLine().orElse("").contains("io.nmstream.embedded.EmbeddedKafkaMain"))
            .findFirst().orElseThrow();
    }

    static void awaitTable(Path dir, String row) throws IOException {
        Files.createDirectories(dir);
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2))
            .until(() -> NmstreamJar.run(dir, 120, "get", "nncp").stdout().matches("(?s).*" + row + ".*"));
    }

    /**
     * SIGTERM, as an operator or a service manager stops it: it ends within the 15 s the README promises, with the JVM's
     * exit status for SIGTERM, every client closed before the registry and the broker.
     */
    static void stop(Process up, Path stdout) throws IOException, InterruptedException {
        up.destroy();
        try {
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> !up.isAlive());
        } finally {
            up.destroyForcibly().waitFor();
        }
        assertThat(up.exitValue()).isEqualTo(143);
        String log = log(stdout);
        int cluster = log.indexOf("Stopping EmbeddedCluster");
        assertThat(cluster).as("the broker and registry are stopped, in the log %s", stdout + ".log").isPositive();
        for (String client : List.of("PolicyHttpServer", "PolicyPublisher", "SimulatedFleet", "ReconcilerService", "StatusProjector")) {
            assertThat(log.indexOf("Stopped " + client + " in")).as("%s closed before the broker", client).isPositive()
                .isLessThan(cluster);
        }
        assertThat(log.indexOf("Schema registry at")).isGreaterThan(cluster);
        assertThat(log.indexOf("Kafka broker at ")).isGreaterThan(cluster);
    }

    /** What a lost broker or data directory must lead to, in a bounded time: nmstream up ends, not retries forever. */
    private static void awaitStopped(Process up, Path stdout, String after) throws IOException {
        try {
            await("nmstream up ended after " + after).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> !up.isAlive());
        } catch (ConditionTimeoutException e) {
            // the log says which part did not stop; the temporary directory holding it is gone after the test
            List<String> lines = log(stdout).lines().toList();
            throw new AssertionError(e.getMessage() + "; the end of its log:\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size())), e);
        }
    }

    /** nmstream up's log (standard error) so far. */
    private static String log(Path stdout) throws IOException {
        return Files.readString(Path.of(stdout + ".log"), StandardCharsets.UTF_8);
    }
}
