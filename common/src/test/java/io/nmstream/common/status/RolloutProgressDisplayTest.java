package io.nmstream.common.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.schemas.avro.ResourceKind;
import io.nmstream.schemas.avro.ResourceStatus;
import io.nmstream.schemas.avro.StatusCondition;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RolloutProgressDisplayTest {

    private final StringWriter text = new StringWriter();
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-02T10:00:00Z"));

    @Test
    void onATerminalOneLineIsRedrawnWithThePolicysNameABarAndTheCounts() {
        RolloutProgressDisplay display = new RolloutProgressDisplay(new PrintWriter(text), true, now::get);

        display.accept(policy("Progressing", "Policy is progressing 5/20 nodes finished, 10 pending"));
        display.accept(policy("Available", "20/20 nodes successfully configured"));
        display.finish();

        assertThat(text.toString()).isEqualTo(
            "\rbr1 [#####---------------] 5/20 Progressing: Policy is progressing 5/20 nodes finished, 10 pending"
                + "\rbr1 [####################] 20/20 Available: 20/20 nodes successfully configured" + " ".repeat(19) + "\n");
    }

    @Test
    void inALogEachConditionChangeIsALineAndCountsAtMostOneLineEveryTwoSeconds() {
        RolloutProgressDisplay display = new RolloutProgressDisplay(new PrintWriter(text), false, now::get);

        display.accept(policy("Progressing", "Policy is progressing 0/20 nodes finished, 20 pending"));
        now.set(now.get().plusMillis(500));
        display.accept(policy("Progressing", "Policy is progressing 1/20 nodes finished, 19 pending"));
        now.set(now.get().plusMillis(1600));
        display.accept(policy("Progressing", "Policy is progressing 2/20 nodes finished, 18 pending"));
        display.accept(policy("Degraded", "1/20 nodes failed to configure"));
        display.finish();

        assertThat(text.toString()).isEqualTo("""
            nodenetworkconfigurationpolicy.nmstate.io/br1 generation 3: Progressing: Policy is progressing 0/20 nodes finished, 20 pending
            nodenetworkconfigurationpolicy.nmstate.io/br1 generation 3: Progressing: Policy is progressing 2/20 nodes finished, 18 pending
            nodenetworkconfigurationpolicy.nmstate.io/br1 generation 3: Degraded: 1/20 nodes failed to configure
            """);
    }

    @Test
    void aPolicyNotYetMatchedSaysWhyItsStatusIsUnknown() {
        RolloutProgressDisplay display = new RolloutProgressDisplay(new PrintWriter(text), false, now::get);

        display.accept(policy("none", "", "Unknown"));
        display.accept(policy("Progressing", "Policy is progressing 0/20 nodes finished, 20 pending"));
        display.finish();

        assertThat(text.toString()).isEqualTo("""
            nodenetworkconfigurationpolicy.nmstate.io/br1 generation 3: Unknown: the reconciler has not matched it to nodes yet
            nodenetworkconfigurationpolicy.nmstate.io/br1 generation 3: Progressing: Policy is progressing 0/20 nodes finished, 20 pending
            """);
    }

    @Test
    void progressReadsTheCountsOfTheTrueConditionsMessage() {
        assertThat(PolicyWait.progress(policy("Progressing", "Policy is progressing 3/10 nodes finished, 5 pending")))
            .isEqualTo(new PolicyWait.Progress(3, 10));
        assertThat(PolicyWait.progress(policy("Ignored", "Policy does not match any node"))).isEqualTo(new PolicyWait.Progress(0, 0));
    }

    private static ResourceStatus policy(String trueType, String message) {
        return policy(trueType, message, "False");
    }

    /** A policy whose condition {@code trueType} is True and every other one {@code others}. */
    private static ResourceStatus policy(String trueType, String message, String others) {
        Instant at = Instant.parse("2026-12-02T10:00:00Z");
        List<StatusCondition> conditions = List.of("Available", "Degraded", "Progressing", "Ignored").stream()
            .map(type -> StatusCondition.newBuilder().setType(type).setStatus(type.equals(trueType) ? "True" : others)
                .setReason("").setMessage(type.equals(trueType) ? message : "").setLastTransitionTime(at).build())
            .toList();
        return ResourceStatus.newBuilder().setKind(ResourceKind.NNCP).setName("br1").setGeneration(3).setConditions(conditions)
            .setLabels(Map.of()).setUpdatedAt(at).build();
    }
}
