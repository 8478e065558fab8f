package io.nmstream.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.common.config.Config;
import io.nmstream.common.config.Setting;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.metrics.MetricsEndpoint;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ReconcilerCommandTest {

    @Test
    void badSettingStopsTheCommandBeforeConnectingAndNamesTheSetting() {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = new CommandLine(new ReconcilerCommand()).execute("--set", "reconciler.standby.replicas=lots");
        } finally {
            System.setErr(original);
        }

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("reconciler.standby.replicas").contains("'lots'");
    }

    @Test
    void serviceMainReadsSetPairsAndStopsOnABadOneBeforeConnecting() throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = ReconcilerCommand.run(Config.fromArgs(new String[] {"--set", "metrics.port=http"}));
        } finally {
            System.setErr(original);
        }

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("metrics.port").contains("'http'");
    }

    @Test
    void settingsListEverySettingTheServiceReadsOnce() {
        assertThat(ReconcilerMain.settings())
            .containsAll(ClusterSettings.ALL).containsAll(ReconcilerConfig.ALL).contains(MetricsEndpoint.METRICS_PORT)
            .extracting(Setting::name).doesNotHaveDuplicates();
    }

    @Test
    void helpDescribesTheCommand() {
        String usage = new CommandLine(new ReconcilerCommand()).getUsageMessage();

        assertThat(usage).contains("reconciler").contains("--set");
    }
}
