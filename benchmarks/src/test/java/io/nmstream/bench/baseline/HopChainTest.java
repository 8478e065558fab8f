package io.nmstream.bench.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HopChainTest {

    @Test
    void oneInputFansOutToEveryOutput() {
        assertThat(HopChain.outputsFor(0, 1, 10_000)).isEqualTo(10_000);
    }

    @Test
    void outputsAreSpreadEvenlyAndAddUpExactly() {
        long inputs = 1000;
        long outputs = 3023;
        long total = 0;
        for (long i = 0; i < inputs; i++) {
            long n = HopChain.outputsFor(i, inputs, outputs);
            assertThat(n).isBetween(3L, 4L);
            total += n;
        }
        assertThat(total).isEqualTo(outputs);
    }

    @Test
    void fewerOutputsThanInputsStillAddUpExactly() {
        long total = 0;
        for (long i = 0; i < 7; i++) {
            total += HopChain.outputsFor(i, 7, 3);
        }
        assertThat(total).isEqualTo(3);
    }

    @Test
    void keysHaveTheRequestedWidthAndDiffer() {
        assertThat(new String(HopChain.key(42, 11), StandardCharsets.US_ASCII)).isEqualTo("00000000042");
        assertThat(HopChain.key(1, 11)).isNotEqualTo(HopChain.key(2, 11));
    }
}
