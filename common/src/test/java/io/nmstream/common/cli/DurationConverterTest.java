package io.nmstream.common.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationConverterTest {

    @Test
    void flagsTakeTheFormsTheSettingsTake() {
        DurationConverter converter = new DurationConverter();

        assertThat(converter.convert("300ms")).isEqualTo(Duration.ofMillis(300));
        assertThat(converter.convert("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(converter.convert("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(converter.convert("PT30S")).isEqualTo(Duration.ofSeconds(30));
        assertThat(converter.convert("PT0.4S")).isEqualTo(Duration.ofMillis(400));
        assertThatThrownBy(() -> converter.convert("soon")).hasMessageStartingWith("'soon' is not a duration");
        assertThatThrownBy(() -> converter.convert("-PT1S")).hasMessageStartingWith("'-PT1S' is not a duration of zero or more")
            .hasMessageContaining("500ms");
    }

    @Test
    void secondsFlagsReadABareNumberAsSecondsAndTakeDurationsToo() {
        DurationConverter.SecondsByDefault converter = new DurationConverter.SecondsByDefault();

        assertThat(converter.convert("120")).isEqualTo(Duration.ofSeconds(120));
        assertThat(converter.convert("1500ms")).isEqualTo(Duration.ofMillis(1500));
        assertThat(converter.convert("PT2M")).isEqualTo(Duration.ofMinutes(2));
        assertThatThrownBy(() -> converter.convert("2 minutes")).hasMessageStartingWith("'2 minutes' is not a duration");
    }
}
