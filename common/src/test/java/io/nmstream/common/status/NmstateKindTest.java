package io.nmstream.common.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NmstateKindTest {

    @Test
    void aKindIsNamedAsKubectlNamesItOrAsNmstreamsMessagesNameAPolicy() {
        assertThat(NmstateKind.parse("nncp")).isEqualTo(NmstateKind.NNCP);
        assertThat(NmstateKind.parse("NodeNetworkConfigurationEnactment")).isEqualTo(NmstateKind.NNCE);
        assertThat(NmstateKind.parse("nodenetworkstates.nmstate.io")).isEqualTo(NmstateKind.NNS);
        assertThat(NmstateKind.parse("policy")).isEqualTo(NmstateKind.NNCP);
        assertThat(NmstateKind.parse("policies")).isEqualTo(NmstateKind.NNCP);
        assertThatThrownBy(() -> NmstateKind.parse("pod")).hasMessage("Unknown resource type 'pod': expected nncp, nnce or nns");
    }

    @Test
    void whatGetOutputNamePrintsIsAReferenceToTheSameResource() {
        String printed = NmstateKind.NNCE.objectName("worker-0.br1");

        assertThat(NmstateKind.reference(printed)).isEqualTo(new NmstateKind.Reference(NmstateKind.NNCE, "worker-0.br1"));
        assertThat(NmstateKind.reference("nncp/br1")).isEqualTo(new NmstateKind.Reference(NmstateKind.NNCP, "br1"));
        assertThatThrownBy(() -> NmstateKind.reference("nncp/")).hasMessage("Invalid resource 'nncp/': expected TYPE/NAME, e.g. nncp/NAME");
        assertThatThrownBy(() -> NmstateKind.reference("br1")).hasMessage("Invalid resource 'br1': expected TYPE/NAME, e.g. nncp/NAME");
    }

    @Test
    void aPolicyIsNamedByItsNameOrAsAnyCommandPrintsIt() {
        assertThat(NmstateKind.policyName("br1")).isEqualTo("br1");
        assertThat(NmstateKind.policyName("policy/br1")).isEqualTo("br1");
        assertThat(NmstateKind.policyName(NmstateKind.NNCP.objectName("br1"))).isEqualTo("br1");
        assertThatThrownBy(() -> NmstateKind.policyName("nns/worker-0"))
            .hasMessage("'nns/worker-0' is a NodeNetworkState, not a policy: expected NAME or nncp/NAME");
        assertThatThrownBy(() -> NmstateKind.policyName("pod/br1")).hasMessage("Invalid resource 'pod/br1': expected NAME or nncp/NAME");
    }

    @Test
    void whereOnlyTypeSlashNameIsTakenABareNameIsRefused() {
        assertThat(NmstateKind.policyReference("nncp/br1")).isEqualTo("br1");
        assertThat(NmstateKind.policyReference("policy/br1")).isEqualTo("br1");
        assertThatThrownBy(() -> NmstateKind.policyReference("br1")).hasMessage("Invalid resource 'br1': expected nncp/NAME");
        assertThatThrownBy(() -> NmstateKind.policyReference("pod/br1")).hasMessage("Invalid resource 'pod/br1': expected nncp/NAME");
        assertThatThrownBy(() -> NmstateKind.policyReference("nnce/worker-0.br1"))
            .hasMessage("'nnce/worker-0.br1' is a NodeNetworkConfigurationEnactment, not a policy: expected nncp/NAME");
    }
}
