package io.nmstream.bench.footprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FootprintScenarioTest {

    @Test
    void readsResidentMemoryFromAProcessStatus() {
        String status = "Name:\tjava\nVmPeak:\t 3000000 kB\nVmSize:\t 2900000 kB\nVmRSS:\t   73412 kB\nRssAnon:\t   60000 kB\n";
        assertThat(FootprintScenario.parseVmRssKib(status)).isEqualTo(73_412);
    }

    @Test
    void saysSoWhenTheStatusHasNoResidentMemory() {
        assertThatThrownBy(() -> FootprintScenario.parseVmRssKib("Name:\tzombie\n")).hasMessageContaining("VmRSS");
    }
}
