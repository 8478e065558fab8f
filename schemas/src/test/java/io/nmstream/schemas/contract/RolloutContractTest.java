package io.nmstream.schemas.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nmstream.schemas.avro.RolloutEvent;
import io.nmstream.schemas.contract.ContractViolation.Rule;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The contract of the rollouts topic: what the reconciler matched for a policy generation. */
class RolloutContractTest {

    private static RolloutEvent rollout() {
        return RolloutEvent.newBuilder().setPolicy("br1-policy").setUid("u1").setGeneration(2).setMatchedNodes(3)
            .setMaxUnavailableNodes(2).setTimestamp(Instant.parse("2026-01-01T00:00:00Z")).build();
    }

    @Test
    void acceptsARolloutKeyedByItsPolicyAndATombstone() {
        assertThatCode(() -> {
            EventContract.checkRollout("br1-policy", rollout());
            EventContract.checkRollout("br1-policy", null);
        }).doesNotThrowAnyException();
    }

    @Test
    void refusesARolloutKeyedByAnotherPolicyOrWithoutAGeneration() {
        assertThatThrownBy(() -> EventContract.checkRollout("other", rollout()))
            .isInstanceOfSatisfying(ContractViolation.class, v -> assertThat(v.rule()).isEqualTo(Rule.KEY))
            .hasMessageContaining("field policy has value 'br1-policy'");
        RolloutEvent noGeneration = RolloutEvent.newBuilder(rollout()).setGeneration(0).build();
        assertThatThrownBy(() -> EventContract.checkRollout("br1-policy", noGeneration))
            .isInstanceOfSatisfying(ContractViolation.class, v -> assertThat(v.rule()).isEqualTo(Rule.GENERATION))
            .hasMessageContaining("generation has value '0'");
    }
}
