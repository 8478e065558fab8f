package io.nmstream.ingest.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every example of kubernetes-nmstate's documentation, and the RoCE examples users copy from the NNCP guides, validates. */
class DocumentedExamplesTest {

    static Stream<String> examples() {
        return Stream.of("bond", "bond-vlan", "dhcp", "dns", "dns-cleanup", "ethernet", "linux-bridge", "linux-bridge-vlan", "lldp",
            "ovs-bridge", "ovs-bridge-iface", "route", "static-ip", "vlan", "vrf", "worker-selector", "convert-dhcp-to-static",
            "detach-bridge-port-and-restore-eth", "per-interface-ipv4-forwarding", "bond0-eth1-eth2-absent", "rdma-nic-config",
            "roce-pfc-ets", "rdma-bond");
    }

    @ParameterizedTest
    @MethodSource("examples")
    void documentedExampleIsValid(String example) throws IOException {
        String text = read("/examples/" + example + ".yaml");

        ManifestParser.Result result = new ManifestParser().parse(example + ".yaml", text);

        assertThat(result.problems()).isEmpty();
        assertThat(result.policies()).hasSize(1);
        assertThat(result.policies().get(0).desiredStateDigest()).hasSize(64);
    }

    /** The project's examples directory, which the README's examples section lists. */
    static final Path EXAMPLES = Path.of("..", "examples");

    static String read(String resource) throws IOException {
        return Files.readString(EXAMPLES.resolve(resource.replaceFirst("^/examples/", "")), StandardCharsets.UTF_8);
    }
}
