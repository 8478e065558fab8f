package io.nmstream.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The copies of RocksDB's native library that a start removes: those of processes that have ended, and only those. */
class RocksDbLibraryTest {

    @Test
    void aStartRemovesTheCopiesOfEndedProcessesAndKeepsThoseOfRunningOnes(@TempDir Path copies) throws Exception {
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        Path endedCopy = Files.createDirectories(copies.resolve(Long.toString(ended.pid())));
        Files.writeString(endedCopy.resolve("librocksdbjni-linux64.so"), "a copy");
        Path runningCopy = Files.createDirectories(copies.resolve(Long.toString(ProcessHandle.current().pid())));
        Files.writeString(runningCopy.resolve("librocksdbjni-linux64.so"), "a copy");
        Files.createDirectories(copies.resolve("notes"));

        RocksDbLibrary.removeCopiesOfEndedProcesses(copies);

        try (Stream<Path> left = Files.list(copies)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                .containsExactlyInAnyOrder(Long.toString(ProcessHandle.current().pid()), "notes");
        }
        assertThat(runningCopy.resolve("librocksdbjni-linux64.so")).exists();
    }

    @Test
    void aStateDirectoryWithoutCopiesIsNoError(@TempDir Path stateDir) throws Exception {
        RocksDbLibrary.removeCopiesOfEndedProcesses(stateDir.resolve(RocksDbLibrary.DIRECTORY));

        assertThat(stateDir.resolve(RocksDbLibrary.DIRECTORY)).doesNotExist();
    }
}
