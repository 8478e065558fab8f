package io.nmstream.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void medianOfTenValuesIsTheFifthSmallest() {
        assertThat(Percentiles.of(new double[] {10, 1, 9, 2, 8, 3, 7, 4, 6, 5}, 50)).isEqualTo(5);
    }

    @Test
    void p95OfTwentyValuesIsTheNineteenthSmallest() {
        double[] sample = new double[20];
        for (int i = 0; i < 20; i++) {
            sample[i] = 20 - i;
        }
        assertThat(Percentiles.of(sample, 95)).isEqualTo(19);
    }

    @Test
    void anyPercentileOfOneValueIsThatValue() {
        assertThat(Percentiles.of(new double[] {42}, 1)).isEqualTo(42);
        assertThat(Percentiles.of(new double[] {42}, 100)).isEqualTo(42);
    }

    @Test
    void leavesTheSampleInItsOrder() {
        double[] sample = {3, 1, 2};
        Percentiles.of(sample, 50);
        assertThat(sample).containsExactly(3, 1, 2);
    }

    @Test
    void refusesAnEmptySampleAndPercentagesOutsideTheRange() {
        assertThatThrownBy(() -> Percentiles.of(new double[0], 50)).hasMessageContaining("empty sample");
        assertThatThrownBy(() -> Percentiles.of(new double[] {1}, 0)).hasMessageContaining("percent has value 0.0");
        assertThatThrownBy(() -> Percentiles.of(new double[] {1}, 101)).hasMessageContaining("percent has value 101.0");
    }

    @Test
    void medianOfThreeRunsIsTheMiddleOneAndOfAnEvenNumberTheMeanOfTheMiddleTwo() {
        assertThat(Percentiles.median(new double[] {9.0, 3.0, 5.0})).isEqualTo(5.0);
        assertThat(Percentiles.median(java.util.List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
        assertThatThrownBy(() -> Percentiles.median(new double[0])).hasMessageContaining("empty sample");
    }
}
