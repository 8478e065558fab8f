package io.nmstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.common.config.Setting;
import io.nmstream.executor.NodeExecutorMain;
import io.nmstream.ingest.PolicyIngestMain;
import io.nmstream.reconciler.ReconcilerMain;
import io.nmstream.status.projector.StatusProjectorMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The README's configuration table documents every setting any service reads. */
class ReadmeSettingsTest {

    @Test
    void everySettingOfEveryServiceIsInTheReadmeTable() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        List<Setting<?>> settings = Stream.of(PolicyIngestMain.settings(), ReconcilerMain.settings(), NodeExecutorMain.settings(),
            StatusProjectorMain.settings()).flatMap(List::stream).distinct().toList();
        assertThat(settings).isNotEmpty().allSatisfy(s ->
            assertThat(readme).as("README row of " + s.name()).contains("| `" + s.name() + "` | `" + s.envVar() + "` |"));
    }
}
