package io.nmstream.bench.footprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FootprintScenarioTest {

    @Test
    void readsResidentMemoryAndItsPartsFromAProcessStatus() {
        String status = "Name:\tjava\nVmPeak:\t 3000000 kB\nVmSize:\t 2900000 kB\nVmRSS:\t   73728 kB\nRssAnon:\t   61440 kB\n"
            + "RssFile:\t   12288 kB\nRssShmem:\t       0 kB\n";
        FootprintScenario.Memory memory = FootprintScenario.parseMemory(status);
        assertThat(memory.rss()).isEqualTo(72.0);
        assertThat(memory.anonymous()).isEqualTo(60.0);
        assertThat(memory.file()).isEqualTo(12.0);
    }

    @Test
    void saysSoWhenTheStatusHasNoResidentMemory() {
        assertThatThrownBy(() -> FootprintScenario.parseMemory("Name:\tzombie\n")).hasMessageContaining("VmRSS");
    }
}
