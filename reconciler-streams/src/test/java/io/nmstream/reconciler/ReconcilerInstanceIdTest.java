package io.nmstream.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nmstream.common.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReconcilerInstanceIdTest {

    @TempDir
    Path dir;

    @Test
    void anInstanceKeepsItsNameAcrossRestartsOnTheSameStateDirectory() {
        String first = ReconcilerInstanceId.of(config(dir.resolve("a"), "nmstream-reconciler", ""));
        String again = ReconcilerInstanceId.of(config(dir.resolve("a"), "nmstream-reconciler", ""));
        String other = ReconcilerInstanceId.of(config(dir.resolve("b"), "nmstream-reconciler", ""));

        assertThat(again).isEqualTo(first);
        assertThat(other).as("another instance, with state of its own").isNotEqualTo(first);
        assertThat(first).startsWith("nmstream-reconciler-");
    }

    @Test
    void theSettingNamesTheInstanceWhenTheStateDirectoryDoesNotLast() {
        assertThat(ReconcilerInstanceId.of(config(dir, "nmstream-reconciler", "reconciler-0"))).isEqualTo("reconciler-0");
        assertThat(dir.resolve("nmstream-reconciler.instance-id")).doesNotExist();
    }

    @Test
    void anEmptyKeptNameIsAnErrorThatSaysWhatToDo() throws Exception {
        Files.writeString(dir.resolve("nmstream-reconciler.instance-id"), "\n");

        assertThatThrownBy(() -> ReconcilerInstanceId.of(config(dir, "nmstream-reconciler", "")))
            .hasMessageContaining(dir.resolve("nmstream-reconciler.instance-id").toString())
            .hasMessageContaining("reconciler.instance.id");
    }

    private static ReconcilerConfig config(Path stateDir, String applicationId, String instanceId) {
        return ReconcilerConfig.from(Config.of(Map.of(ReconcilerConfig.STATE_DIR.name(), stateDir.toString(),
            ReconcilerConfig.APPLICATION_ID.name(), applicationId, ReconcilerConfig.INSTANCE_ID.name(), instanceId)));
    }
}
