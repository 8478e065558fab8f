package io.nmstream.bench.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RolloutVariantTest {

    @Test
    void theDefaultLeavesMaxUnavailableOutOfTheManifestAndSaysWhatItMeans() {
        RolloutVariant variant = RolloutVariant.parse("Default");

        assertThat(variant.maxUnavailable()).isNull();
        assertThat(variant.label()).isEqualTo("default (50%)");
        assertThat(RolloutEnvironment.manifest(variant, 8001).maxUnavailable()).isEqualTo("50%");
    }

    @Test
    void aValueGoesIntoTheManifestAsAUserWritesIt() {
        assertThat(RolloutEnvironment.manifest(RolloutVariant.parse("10%"), 8001).maxUnavailable()).isEqualTo("10%");
        assertThat(RolloutEnvironment.manifest(RolloutVariant.parse("3"), 8001).maxUnavailable()).isEqualTo("3");
        assertThat(RolloutVariant.parse(" 100% ")).isEqualTo(RolloutVariant.UNLIMITED);
    }

    @Test
    void refusesWhatNoManifestMaySayNamingTheValue() {
        assertThatThrownBy(() -> RolloutVariant.parse("150%")).hasMessageContaining("--max-unavailable has value '150%'")
            .hasMessageContaining("default");
        assertThatThrownBy(() -> RolloutVariant.parse("0")).hasMessageContaining("'0'");
    }

    @Test
    void everyRolloutChangesTheMtu() {
        assertThat(RolloutEnvironment.mtu(1)).isNotEqualTo(RolloutEnvironment.mtu(2));
        assertThat(RolloutEnvironment.manifest(RolloutVariant.UNLIMITED, RolloutEnvironment.mtu(2)).desiredState()).contains("8002");
    }
}
