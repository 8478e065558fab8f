package io.nmstream.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SortableKeysTest {

    @Test
    void numbersSortAsTextInNumericOrder() {
        List<Long> values = List.of(0L, 7L, 10L, 99L, 100L, 1_732_000_000_000L, Long.MAX_VALUE);
        List<String> keys = new ArrayList<>(values.stream().map(SortableKeys::number).toList());
        List<String> sorted = new ArrayList<>(keys);
        sorted.sort(String::compareTo);

        assertThat(sorted).isEqualTo(keys);
        assertThat(keys).allSatisfy(key -> assertThat(key).hasSize(19));
        assertThat(SortableKeys.number(42)).isEqualTo("0000000000000000042");
        assertThat(SortableKeys.number(Long.MAX_VALUE)).isEqualTo(Long.toString(Long.MAX_VALUE));
    }

    @Test
    void refusesNegativeNumbersNamingTheValue() {
        assertThatThrownBy(() -> SortableKeys.number(-5))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("-5");
    }
}
