package io.nmstream.status.fold;

import static io.nmstream.status.fold.ConditionList.FALSE;
import static io.nmstream.status.fold.ConditionList.TRUE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.nmstream.schemas.avro.StatusCondition;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionListTest {

    private static final Instant EARLIER = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant NOW = Instant.parse("2026-01-01T00:01:00Z");

    private final ConditionList progressing = ConditionList.EMPTY
        .set("Available", FALSE, "ConfigurationProgressing", "")
        .set("Progressing", TRUE, "ConfigurationProgressing", "1/3 nodes finished");

    @Test
    void messageChangeKeepsTheConditionsPlaceAndTransitionTime() {
        List<StatusCondition> before = progressing.buildFrom(List.of(), EARLIER);

        List<StatusCondition> after = progressing.withMessage("Progressing", "2/3 nodes finished").buildFrom(before, NOW);

        assertThat(after).extracting(StatusCondition::getType).containsExactly("Available", "Progressing");
        assertThat(after.get(1).getMessage()).isEqualTo("2/3 nodes finished");
        assertThat(after.get(1).getStatus()).isEqualTo(TRUE);
        assertThat(after).extracting(StatusCondition::getLastTransitionTime).containsOnly(EARLIER);
    }

    @Test
    void statusChangeTakesTheNewTransitionTimeForThatConditionOnly() {
        List<StatusCondition> before = progressing.buildFrom(List.of(), EARLIER);

        List<StatusCondition> after = progressing.set("Progressing", FALSE, "SuccessfullyConfigured", "").buildFrom(before, NOW);

        assertThat(after).extracting(StatusCondition::getType, StatusCondition::getLastTransitionTime)
            .containsExactly(tuple("Available", EARLIER), tuple("Progressing", NOW));
    }

    @Test
    void buildingTheSameConditionsAgainChangesNothing() {
        List<StatusCondition> before = progressing.buildFrom(List.of(), EARLIER);

        assertThat(progressing.buildFrom(before, NOW)).isEqualTo(before);
        assertThat(StatusDiff.conditionsChanged(before, progressing.buildFrom(before, NOW))).isFalse();
    }

    @Test
    void listsAreNotChangedBySettingOnThem() {
        ConditionList available = progressing.set("Available", TRUE, "SuccessfullyConfigured", "3/3 nodes");

        assertThat(progressing.buildFrom(List.of(), NOW)).extracting(StatusCondition::getStatus).containsExactly(FALSE, TRUE);
        assertThat(available.buildFrom(List.of(), NOW)).extracting(StatusCondition::getType).containsExactly("Progressing", "Available");
    }

    @Test
    void refusesTheMessageOfAConditionItDoesNotHave() {
        assertThatThrownBy(() -> progressing.withMessage("Degraded", "x")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("Degraded");
    }
}
