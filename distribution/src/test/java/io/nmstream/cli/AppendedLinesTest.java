package io.nmstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code up --detach} reads of its log: this run's whole lines, as they are appended. */
class AppendedLinesTest {

    @TempDir
    Path dir;

    @Test
    void readsOnlyWholeLinesWrittenAfterTheOffset() throws Exception {
        Path log = Files.writeString(dir.resolve("up.log"), "an earlier run\nnmstream is up\n");
        AppendedLines thisRun = new AppendedLines(log, Files.size(log));

        assertThat(thisRun.read()).isEmpty();
        append(log, "starting\nnmstream is");
        assertThat(thisRun.read()).containsExactly("starting");
        append(log, " up\n");
        assertThat(thisRun.read()).containsExactly("starting", "nmstream is up");
    }

    @Test
    void aLineLongerThanOneReadWithCharactersSplitAcrossReadsComesWhole() throws Exception {
        Path log = Files.createFile(dir.resolve("up.log"));
        // 3-byte characters across the 8 KiB reads: one of them is cut between two reads
        String longLine = "Ž".repeat(3) + "€".repeat(5000);
        append(log, longLine + "\nnext\n");

        assertThat(new AppendedLines(log, 0).read()).containsExactly(longLine, "next");
    }

    private static void append(Path log, String text) throws Exception {
        Files.writeString(log, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }
}
