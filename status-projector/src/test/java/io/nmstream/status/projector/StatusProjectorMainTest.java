package io.nmstream.status.projector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nmstream.common.config.Config;
import io.nmstream.common.config.ConfigException;
import io.nmstream.common.config.Setting;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.metrics.MetricsEndpoint;
import io.nmstream.status.kubernetes.KubernetesSettings;
import org.junit.jupiter.api.Test;

class StatusProjectorMainTest {

    @Test
    void settingsComeAsSetNameValuePairs() {
        Config config = Config.fromArgs(new String[] {"--set", "status.http.port=8086", "--set", "registry.url=http://r:8081"});

        assertThat(config.get(ProjectorSettings.HTTP_PORT)).isEqualTo(8086);
        assertThat(config.get(ClusterSettings.REGISTRY_URL)).isEqualTo("http://r:8081");
    }

    @Test
    void anythingElseIsRefusedNamingTheArgument() {
        assertThatThrownBy(() -> Config.fromArgs(new String[] {"--port", "8086"}))
            .isInstanceOf(ConfigException.class)
            .hasMessage("Unexpected argument '--port': settings are given as --set name=value");
    }

    @Test
    void settingsListEverySettingTheServiceReadsOnce() {
        assertThat(StatusProjectorMain.settings())
            .containsAll(ClusterSettings.ALL).containsAll(ProjectorSettings.ALL).containsAll(KubernetesSettings.ALL)
            .contains(MetricsEndpoint.METRICS_PORT)
            .extracting(Setting::name).doesNotHaveDuplicates();
    }
}
