package io.nmstream.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nmstream.schemas.contract.ContractViolation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MaxUnavailableTest {

    @ParameterizedTest(name = "{0} of {1} nodes is {2}")
    @CsvSource({"3, 10, 3", "3, 2, 3", "50%, 4, 2", "50%, 5, 3", "10%, 1000, 100", "10%, 1001, 101", "10%, 3, 1", "1%, 0, 1",
        "100%, 7, 7"})
    void limitIsTheNumberOrThePercentageOfMatchingNodesRoundedUpAndAtLeastOne(String text, int matching, int limit) {
        assertThat(MaxUnavailable.parse("p", text).limit(matching)).isEqualTo(limit);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "0%", "101%", "abc", "", "5 nodes", "%"})
    void invalidValuesAreRefusedNamingTheFieldAndValue(String text) {
        assertThatThrownBy(() -> MaxUnavailable.parse("bond0", text)).isInstanceOf(ContractViolation.class)
            .hasMessageContaining("bond0").hasMessageContaining("maxUnavailable").hasMessageContaining("'" + text + "'");
    }
}
