package io.nmstream.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @ValueSource(strings = {"0s", "500ms", "1500ms", "90s", "5m", "61m", "2h", "7d"})
    void formatWritesADurationAsAnOperatorWouldAndParseReadsItBack(String text) {
        Duration duration = Durations.parse(text);

        assertThat(Durations.format(duration)).isEqualTo(text);
        assertThat(Durations.parse(Durations.format(duration))).isEqualTo(duration);
    }
}
