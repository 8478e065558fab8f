package io.nmstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.common.config.Setting;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.metrics.MetricsEndpoint;
import org.junit.jupiter.api.Test;

class PolicyIngestMainTest {

    @Test
    void settingsListEverySettingTheServiceReadsOnce() {
        assertThat(PolicyIngestMain.settings())
            .containsAll(ClusterSettings.ALL).containsAll(IngestSettings.ALL).contains(MetricsEndpoint.METRICS_PORT)
            .extracting(Setting::name).doesNotHaveDuplicates();
    }
}
