package io.nmstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.embedded.LoopbackPorts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nmstream up} given a data directory it cannot use says so in one line and starts nothing. */
class UpDataDirIT {

    @TempDir
    Path dir;

    @Test
    void aFileInThePlaceOfTheDataDirectoryIsNamedWithoutAStackTrace() throws Exception {
        Path file = Files.writeString(dir.resolve("data"), "not a directory");

        assertThat(up(file)).isEqualTo("nmstream up: the data directory " + file + " (--data-dir) cannot be used: a file of that "
            + "name exists, not a directory; nothing was started\n");
    }

    @Test
    void aDirectoryThatCannotBeCreatedIsNamedWithoutAStackTrace() throws Exception {
        Path under = Files.writeString(dir.resolve("plain-file"), "").resolve("data");

        assertThat(up(under)).startsWith("nmstream up: the data directory " + under + " (--data-dir) cannot be used: ")
            .endsWith("; nothing was started\n").doesNotContain("Exception").hasLineCount(1);
    }

    /** What {@code up --data-dir dataDir} prints on stderr; it must exit 2 with nothing on stdout. */
    private String up(Path dataDir) throws Exception {
        Path out = Files.createTempDirectory(dir, "up-");
        NmstreamJar.Run up = NmstreamJar.run(out, 60, "up", "--data-dir", dataDir.toString(), "--kafka-port",
            Integer.toString(LoopbackPorts.free()), "--registry-port", Integer.toString(LoopbackPorts.free()), "--http-port",
            Integer.toString(LoopbackPorts.free()));
        assertThat(up.exitCode()).isEqualTo(2);
        assertThat(up.stdout()).isEmpty();
        return Files.readString(Path.of(out.resolve("stdout.txt") + ".log"), StandardCharsets.UTF_8);
    }
}
