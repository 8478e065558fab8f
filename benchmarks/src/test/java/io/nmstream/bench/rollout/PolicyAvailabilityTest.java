package io.nmstream.bench.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PolicyAvailabilityTest {

    @Test
    void anAvailablePolicyCountsOnlyWhenItsMessageCountsTheWholeFleet() {
        assertThat(PolicyAvailability.countsWholeFleet("10000/10000 nodes successfully configured", 10_000)).isTrue();
        assertThat(PolicyAvailability.countsWholeFleet("12/12 nodes successfully configured", 10_000)).isFalse();
        assertThat(PolicyAvailability.countsWholeFleet("9999/10000 nodes successfully configured", 10_000)).isFalse();
    }

    @Test
    void aMessageWithoutCountsIsTakenAsItSays() {
        assertThat(PolicyAvailability.countsWholeFleet("All nodes configured", 10)).isTrue();
        assertThat(PolicyAvailability.countsWholeFleet(null, 10)).isTrue();
    }
}
