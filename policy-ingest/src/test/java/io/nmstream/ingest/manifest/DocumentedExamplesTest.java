package io.nmstream.ingest.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.nmstate.Ieee8021QazConfig;
import io.nmstream.nmstate.InterfaceSpec;
import io.nmstream.nmstate.NmstateParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example in the project's examples directory (kubernetes-nmstate's documentation and the RoCE examples users copy
 * from the NNCP guides) is valid, and what ingest publishes for it is a state the node agent reads; the examples nmstream
 * cannot apply are refused with the reason.
 */
class DocumentedExamplesTest {

    /** The project's examples directory, which the README's examples section lists. */
    static final Path EXAMPLES = Path.of("..", "examples");

    /** Examples nmstream cannot apply: the path refused, and the reason given. */
    static final Map<String, Map.Entry<String, String>> REFUSED = Map.of(
        "per-interface-ipv4-forwarding", Map.entry("spec.desiredState.interfaces[0].ipv4.forwarding",
            "forwarding is not supported by nmstream: its NetworkManager has no per-interface forwarding setting"));

    static Stream<String> examples() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            return files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".yaml")).map(f -> f.replaceFirst("\\.yaml$", ""))
                .filter(example -> !REFUSED.containsKey(example)).sorted().toList().stream();
        }
    }

    static Stream<String> refusedExamples() {
        return REFUSED.keySet().stream().sorted();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void documentedExampleIsValidAndReadsAsTheNodeReadsIt(String example) throws IOException {
        ManifestParser.Result result = new ManifestParser().parse(example + ".yaml", read(example));

        assertThat(result.problems()).isEmpty();
        assertThat(result.policies()).hasSize(1);
        PolicyManifest policy = result.policies().get(0);
        assertThat(policy.desiredStateDigest()).hasSize(64);
        if (policy.capture().isEmpty()) {
            // what the node agent receives, and parses before it applies anything
            assertThat(NmstateParser.parse(policy.desiredState())).isNotNull();
        }
    }

    @ParameterizedTest
    @MethodSource("refusedExamples")
    void exampleNmstreamCannotApplyIsRefusedWithTheReason(String example) throws IOException {
        ManifestParser.Result result = new ManifestParser().parse(example + ".yaml", read(example));

        assertThat(result.policies()).isEmpty();
        assertThat(result.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.path()).isEqualTo(REFUSED.get(example).getKey());
            assertThat(problem.allowed()).startsWith(REFUSED.get(example).getValue());
        });
    }

    @Test
    void theRoceExampleCarriesItsPfcAndEtsSettingsToTheNode() throws IOException {
        PolicyManifest policy = new ManifestParser().parse("roce-pfc-ets.yaml", read("roce-pfc-ets")).policies().get(0);

        InterfaceSpec nic = NmstateParser.parse(policy.desiredState()).find("ens8f0np0").orElseThrow();

        assertThat(nic.dcb().pfcEnabled()).containsExactly(3);
        assertThat(nic.dcb().pfcDelay()).isZero();
        assertThat(nic.dcb().trafficClasses()).containsExactly(
            new Ieee8021QazConfig.TrafficClass(0, 70, Ieee8021QazConfig.ETS),
            new Ieee8021QazConfig.TrafficClass(3, 30, Ieee8021QazConfig.ETS));
        assertThat(nic.mtu()).isEqualTo(9000);
        assertThat(nic.lldp()).isTrue();
    }

    static String read(String example) throws IOException {
        return Files.readString(EXAMPLES.resolve(example + ".yaml"), StandardCharsets.UTF_8);
    }
}
