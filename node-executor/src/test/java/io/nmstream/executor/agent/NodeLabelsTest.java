package io.nmstream.executor.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nmstream.common.config.Config;
import io.nmstream.common.config.ConfigException;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A node registers with kubelet's well-known labels under its own, and refuses a name or labels Kubernetes would refuse.
 */
class NodeLabelsTest {

    @Test
    void aNodeCarriesItsHostnameOsAndArchAsKubeletLabelsThem() {
        Map<String, String> labels = settings("node.name", "worker-7.example.com", "node.labels", "rack=r7").labels();

        assertThat(labels).containsEntry("kubernetes.io/hostname", "worker-7.example.com").containsEntry("kubernetes.io/os", "linux")
            .containsEntry("kubernetes.io/arch", NodeLabels.goArch(System.getProperty("os.arch"))).containsEntry("rack", "r7")
            .hasSize(4);
    }

    @Test
    void theNodesOwnLabelsWinOverTheWellKnownOnes() {
        Map<String, String> labels = settings("node.name", "worker-7", "node.labels", "kubernetes.io/hostname=w7").labels();

        assertThat(labels).containsEntry("kubernetes.io/hostname", "w7");
    }

    @Test
    void theHostnameLabelIsTheNameInLowerCaseAsKubeletWritesIt() {
        assertThat(NodeLabels.of("Worker-7", Map.of())).containsEntry("kubernetes.io/hostname", "worker-7");
    }

    @Test
    void aNameTooLongForALabelValueGetsNoHostnameLabel() {
        Map<String, String> labels = NodeLabels.of("n".repeat(64), Map.of());

        assertThat(labels).doesNotContainKey("kubernetes.io/hostname").containsKeys("kubernetes.io/os", "kubernetes.io/arch");
    }

    @Test
    void architecturesAreSpelledAsKubeletSpellsThem() {
        assertThat(NodeLabels.goArch("amd64")).isEqualTo("amd64");
        assertThat(NodeLabels.goArch("x86_64")).isEqualTo("amd64");
        assertThat(NodeLabels.goArch("aarch64")).isEqualTo("arm64");
        assertThat(NodeLabels.goArch("ppc64le")).isEqualTo("ppc64le");
        assertThat(NodeLabels.goArch("s390x")).isEqualTo("s390x");
    }

    @Test
    void ownLabelsANodeSelectorCouldNeverMatchAreRefusedNamingTheEntry() {
        assertThatThrownBy(() -> settings("node.labels", "rack r7=x"))
            .isInstanceOf(ConfigException.class).hasMessageStartingWith("Setting 'node.labels' has key 'rack r7': a label key must be");
        assertThatThrownBy(() -> settings("node.labels", "rack=r 7"))
            .isInstanceOf(ConfigException.class)
            .hasMessageStartingWith("Setting 'node.labels' has value 'r 7' for 'rack': a label value must be at most 63 characters");
        assertThatThrownBy(() -> settings("node.labels", "rack"))
            .isInstanceOf(ConfigException.class).hasMessage("Setting 'node.labels' has entry 'rack': labels are written key=value");
        assertThat(settings("node.labels", "node-role.kubernetes.io/worker=, rack=r7").labels())
            .containsEntry("node-role.kubernetes.io/worker", "").containsEntry("rack", "r7");
    }

    @Test
    void aNodeNameKubernetesWouldRefuseIsRefusedNamingTheRule() {
        assertThatThrownBy(() -> settings("node.name", "Lab-1"))
            .isInstanceOf(ConfigException.class)
            .hasMessage("Setting 'node.name' has value 'Lab-1': a node name must be an RFC 1123 subdomain: at most 253 characters of "
                + "lower-case letters, digits, '-' and '.', starting and ending with a letter or digit");
        assertThatThrownBy(() -> settings("node.name", "rack_7")).hasMessageStartingWith("Setting 'node.name' has value 'rack_7'");
        assertThat(settings("node.name", "worker-7.example.com").nodeName()).isEqualTo("worker-7.example.com");
    }

    @Test
    void withoutANodeNameTheNodeIsNamedAfterItsHostInLowerCase() throws Exception {
        String host = InetAddress.getLocalHost().getHostName();

        assertThat(new NodeAgentSettings(Config.of(Map.of())).nodeName()).isEqualTo(host.toLowerCase(Locale.ROOT));
    }

    private static NodeAgentSettings settings(String... keysAndValues) {
        Map<String, String> values = new HashMap<>(Map.of("node.name", "worker-1"));
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return new NodeAgentSettings(Config.of(values));
    }
}
