package io.nmstream.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nmstream.common.config.Config;
import io.nmstream.common.config.ConfigException;
import io.nmstream.common.config.Setting;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.metrics.MetricsEndpoint;
import io.nmstream.executor.agent.NodeAgentSettings;
import org.junit.jupiter.api.Test;

class NodeExecutorMainTest {

    @Test
    void settingsListEverySettingTheServiceReadsOnce() {
        assertThat(NodeExecutorMain.settings())
            .containsAll(ClusterSettings.ALL).containsAll(NodeAgentSettings.ALL).contains(MetricsEndpoint.METRICS_PORT)
            .extracting(Setting::name).doesNotHaveDuplicates();
    }

    @Test
    void aBadSettingStopsTheStartBeforeConnectingAndIsNamed() {
        Config config = Config.fromArgs(new String[] {"--set=metrics.port=http", "--set", "node.name=worker-1"});

        assertThatThrownBy(() -> NodeExecutorMain.run(config))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("'metrics.port'").hasMessageContaining("'http'");
    }
}
