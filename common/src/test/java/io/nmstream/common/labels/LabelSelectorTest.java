package io.nmstream.common.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorTest {

    private static final Map<String, String> NNCE = Map.of("nmstate.io/node", "worker-1", "nmstate.io/policy", "br1");

    @Test
    void everyRequirementMustHoldAsWithKubectl() {
        assertThat(LabelSelector.parse("nmstate.io/policy=br1")).accepts(NNCE);
        assertThat(LabelSelector.parse("nmstate.io/policy==br1,nmstate.io/node=worker-1")).accepts(NNCE);
        assertThat(LabelSelector.parse("nmstate.io/policy=br1, nmstate.io/node=worker-2")).rejects(NNCE);
        assertThat(LabelSelector.parse("nmstate.io/node!=worker-2")).accepts(NNCE);
        assertThat(LabelSelector.parse("nmstate.io/node!=worker-1")).rejects(NNCE);
        assertThat(LabelSelector.parse("nmstate.io/node")).accepts(NNCE);
        assertThat(LabelSelector.parse("!nmstate.io/node")).rejects(NNCE);
        assertThat(LabelSelector.parse("!team")).accepts(NNCE);
        assertThat(LabelSelector.parse("nmstate.io/node in (worker-0, worker-1),nmstate.io/policy=br1")).accepts(NNCE);
        assertThat(LabelSelector.parse("nmstate.io/node notin (worker-0,worker-1)")).rejects(NNCE);
        assertThat(LabelSelector.parse("team notin (net)")).as("a missing label is in no set").accepts(NNCE);
    }

    @Test
    void aRequirementThatIsNoneIsRefusedByName() {
        assertThatThrownBy(() -> LabelSelector.parse("nmstate.io/policy=br1,=x"))
            .hasMessageStartingWith("Invalid selector 'nmstate.io/policy=br1,=x': '=x' is not a requirement: expected key=value");
        assertThatThrownBy(() -> LabelSelector.parse("a=b c")).hasMessageStartingWith("Invalid selector 'a=b c': 'a=b c' is not a");
        assertThatThrownBy(() -> LabelSelector.parse("-bad-=x"))
            .hasMessageStartingWith("Invalid selector '-bad-=x': '-bad-' is not a label key (a qualified name");
        assertThatThrownBy(() -> LabelSelector.parse("team=a/b"))
            .hasMessageStartingWith("Invalid selector 'team=a/b': 'a/b' is not a label value");
        assertThatThrownBy(() -> LabelSelector.parse("team in (net, a/b)"))
            .hasMessageStartingWith("Invalid selector 'team in (net, a/b)': 'a/b' is not a label value");
    }
}
