package io.nmstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nmstream.executor.sandbox.NetworkManagerSandbox;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nmstream demo} from the packaged jar tells the whole story and exits 0. */
class DemoIT {

    private static final Pattern NNCE_LINE = Pattern.compile("^\\s+nnce (\\S+)\\.rdma-bond\\s+(\\w+)");

    @Test
    void demoWalksThroughRolloutOneAtATimeFailureAndReplay(@TempDir Path dir) throws Exception {
        NmstreamJar.Run run = NmstreamJar.run(dir, 600, "demo");
        String out = run.stdout();

        assertThat(run.exitCode()).as(out).isZero();
        // 1. the NIC policy reaches the three workers, not the control plane
        assertThat(out).contains("nncp rdma-nic-config")
            .containsPattern("Available SuccessfullyConfigured \"(\\d)/\\1 nodes successfully configured\"")
            .containsPattern("rdma-nic-config\\s+Available\\s+SuccessfullyConfigured")
            .containsPattern("worker-0\\.rdma-nic-config\\s+Available")
            .doesNotContain("control-plane-0.rdma-nic-config");
        // 2. the bond waits (Pending) and goes one node at a time
        assertThat(out).containsPattern("nnce worker-\\d\\.rdma-bond\\s+Pending MaxUnavailableLimitReached");
        assertThat(maxProgressingAtOnce(out)).isEqualTo(1);
        // 3. the refused MTU: Degraded, the node's own error, and the node rolled back
        assertThat(out).containsPattern("Degraded FailedToConfigure \"1/\\d nodes failed to configure\"")
            .contains("Interface ens8f0np0: MTU 9216 exceeds the maximum supported by the driver")
            .containsPattern("ens8f0np0\\s+ethernet\\s+up\\s+9000")
            .contains("[ok] worker-2 still has MTU 9000 on ens8f0np0");
        // 4. the replay rebuilds the same status
        if (NetworkManagerSandbox.available()) {
            // root with NetworkManager installed (as in CI): one node is a real agent on a real NetworkManager
            assertThat(out).contains("a real agent on NetworkManager").contains("[ok] nm-node-0's kernel has MTU 9000 on ens8f0np0")
                .containsPattern("nm-node-0\\.rdma-nic-config\\s+Available");
        }
        assertThat(out).contains("match: yes").contains("Demo finished: every step ended as expected.").doesNotContain("[FAILED]");
    }

    /**
     * SIGTERM (a service manager, or Ctrl-C) in the middle of the story stops everything the demo started: its broker
     * JVM, the ports of the broker and the registry, and the NetworkManager sandbox of the real node when there is one.
     */
    @Test
    void sigtermInTheMiddleOfTheDemoLeavesNothingRunning(@TempDir Path dir) throws Exception {
        Path stdout = dir.resolve("demo.txt");
        Process demo = NmstreamJar.start(stdout, "demo");
        try {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                .until(() -> !demo.isAlive() || Files.readString(stdout, StandardCharsets.UTF_8).contains("== 1. "));
            String out = Files.readString(stdout, StandardCharsets.UTF_8);
            assertThat(demo.isAlive()).as("the demo ended before its first step: %s", out).isTrue();
            Matcher ports = Pattern.compile("Kafka at 127\\.0\\.0\\.1:(\\d+), schema registry at http://127\\.0\\.0\\.1:(\\d+)").matcher(out);
            assertThat(ports.find()).as(out).isTrue();
            Matcher namespace = Pattern.compile("in network namespace (\\S+)").matcher(out);
            List<ProcessHandle> children = demo.descendants().toList();
            assertThat(children).as("the broker's JVM at least").isNotEmpty();

            demo.destroy();

            await("the demo ended after SIGTERM").atMost(Duration.ofSeconds(60)).until(() -> !demo.isAlive());
            assertThat(children).as("processes the demo started").noneMatch(ProcessHandle::isAlive);
            for (String port : List.of(ports.group(1), ports.group(2))) {
                try (ServerSocket socket = new ServerSocket(Integer.parseInt(port), 1, InetAddress.getLoopbackAddress())) {
                    assertThat(socket.getLocalPort()).as("port %s is free again", port).isEqualTo(Integer.parseInt(port));
                }
            }
            if (namespace.find()) {
                Process netns = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
                String namespaces = new String(netns.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(namespaces).as("network namespaces after the demo").doesNotContain(namespace.group(1));
            }
        } finally {
            demo.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            demo.destroyForcibly().waitFor();
        }
    }

    /** The most rdma-bond enactments shown Progressing at the same time, read from the demo's live progress lines. */
    private static int maxProgressingAtOnce(String out) {
        Set<String> progressing = new HashSet<>();
        int max = 0;
        List<String> lines = new ArrayList<>(out.lines().toList());
        for (String line : lines) {
            Matcher m = NNCE_LINE.matcher(line);
            if (m.find()) {
                if (m.group(2).equals("Progressing")) {
                    progressing.add(m.group(1));
                } else {
                    progressing.remove(m.group(1));
                }
                max = Math.max(max, progressing.size());
            }
        }
        return max;
    }
}
