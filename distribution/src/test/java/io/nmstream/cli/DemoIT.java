package io.nmstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.executor.sandbox.NetworkManagerSandbox;
import java.nio.file.Path;
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
