package io.nmstream.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.schemas.avro.CommandKind;
import io.nmstream.schemas.avro.DesiredStateCommand;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A policy's captures travel with its commands, since only the node can resolve them against its own state. */
class CaptureCommandTest {

    private static final Map<String, String> CAPTURE = Map.of(
        "default-gw", "routes.running.destination==\"0.0.0.0/0\"",
        "base-iface", "interfaces.name==capture.default-gw.routes.running.0.next-hop-interface");

    private final ReconcilerHarness fleet = new ReconcilerHarness();

    @AfterEach
    void close() {
        fleet.close();
    }

    @Test
    void everyApplyCommandOfACapturedPolicyCarriesItsCaptures() {
        fleet.nodes(2, Map.of());

        fleet.publish(ReconcilerHarness.policy("br1", "100%", Map.of()).setCapture(CAPTURE));

        assertThat(fleet.commands("br1")).hasSize(2).allSatisfy(c -> {
            assertThat(c.getKind()).isEqualTo(CommandKind.APPLY);
            assertThat(c.getCapture()).isEqualTo(CAPTURE);
        });
    }

    @Test
    void aPolicyWithoutCapturesSendsAnEmptyCaptureMap() {
        fleet.nodes(1, Map.of());

        fleet.publish(ReconcilerHarness.policy("eth1", "100%", Map.of()));

        assertThat(fleet.commands("eth1")).singleElement().satisfies(c -> assertThat(c.getCapture()).isEmpty());
    }

    @Test
    void theRevertOfADeletedCapturedPolicyCarriesItsCapturesSoTheNodeRemovesWhatItResolved() {
        fleet.nodes(1, Map.of());
        fleet.publish(ReconcilerHarness.policy("br1", "100%", Map.of()).setCapture(CAPTURE).setRevertOnDelete(true));
        fleet.openCommands("br1").forEach(fleet::succeed);

        fleet.delete("br1");

        List<DesiredStateCommand> reverts = fleet.commands("br1").stream().filter(c -> c.getKind() == CommandKind.REVERT).toList();
        assertThat(reverts).singleElement().satisfies(c -> {
            assertThat(c.getCapture()).isEqualTo(CAPTURE);
            assertThat(c.getDesiredStateDigest()).isEqualTo(ReconcilerHarness.digestOf("br1"));
        });
    }

    @Test
    void aPolicyStoredBeforePoliciesCarriedCapturesReadsAsHavingNone() {
        String stored = "{\"name\":\"eth1\",\"uid\":\"u\",\"generation\":1,\"nodeSelector\":{},\"maxUnavailable\":\"1\",\"priority\":0,"
            + "\"revertOnDelete\":false,\"desiredState\":\"{}\",\"desiredStateDigest\":\"d\",\"deleted\":false}";

        PolicySpec spec = JsonSerde.of(PolicySpec.class).deserializer().deserialize("store", stored.getBytes(StandardCharsets.UTF_8));

        assertThat(spec.capture()).isEmpty();
    }
}
