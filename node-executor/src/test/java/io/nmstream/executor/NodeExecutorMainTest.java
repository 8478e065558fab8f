package io.nmstream.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nmstream.common.config.Config;
import io.nmstream.common.config.ConfigException;
import io.nmstream.common.config.Setting;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.metrics.MetricsEndpoint;
import io.nmstream.executor.agent.NodeAgentSettings;
import io.nmstream.executor.cli.NodeCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

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

    @Test
    void nmstreamNodeAgentSaysWhyItCannotStartInOneLineAndExitsTwo() {
        StringWriter err = new StringWriter();
        CommandLine node = new CommandLine(new NodeCommand()).setCommandName("nmstream node").setErr(new PrintWriter(err, true));

        int status = node.execute("agent", "--set", "node.name=Lab-1");

        assertThat(status).isEqualTo(NodeExecutorMain.CANNOT_START);
        assertThat(err.toString()).isEqualTo("error: Cannot start the node agent: Setting 'node.name' has value 'Lab-1': a node name "
            + "must be an RFC 1123 subdomain: at most 253 characters of lower-case letters, digits, '-' and '.', starting and ending "
            + "with a letter or digit\n");
    }
}
