package io.nmstream.executor.agent;

import io.nmstream.executor.apply.ApplyContext;
import io.nmstream.executor.apply.CommitGate;
import io.nmstream.executor.backend.Checkpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;

/**
 * Fault injection for crash-recovery tests ({@code agent.fault.pause-before-commit}): at the commit point it writes the
 * checkpoint into a marker file, then holds the apply until the file is deleted, so that a test can kill the agent
 * exactly between checkpoint and commit.
 */
final class PauseBeforeCommitGate implements CommitGate {

    private final Path marker;

    PauseBeforeCommitGate(Path marker) {
        this.marker = marker;
    }

    @Override
    public void beforeCommit(ApplyContext context, Checkpoint checkpoint) {
        try (WatchService watch = marker.getFileSystem().newWatchService()) {
            marker.getParent().register(watch, StandardWatchEventKinds.ENTRY_DELETE);
            Files.writeString(marker, checkpoint.id() + " " + context + "\n");
            while (Files.exists(marker)) {
                watch.poll(1, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
