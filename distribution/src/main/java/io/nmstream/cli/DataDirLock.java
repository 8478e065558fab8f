package io.nmstream.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;

/**
 * The lock an {@code nmstream up} holds on its data directory while it runs (the file {@value #FILE} in it), with the
 * process id of its holder written in it, so that {@code nmstream down} finds the up to stop. The operating system
 * releases the lock when the process ends, however it ends: a pid left in the file of an unlocked directory is stale.
 */
final class DataDirLock {

    /** The lock file in the data directory. */
    static final String FILE = "up.lock";

    private DataDirLock() {
    }

    /**
     * Locks {@code dataDir} for this process (created when new) and writes this process's id into the lock file; the
     * channel holds the lock until it is closed or the process ends. Null when another process holds it: a second up on
     * the same data would find its broker refusing the data halfway through starting.
     */
    static FileChannel acquire(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        FileChannel channel = FileChannel.open(dataDir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            if (channel.tryLock() != null) {
                channel.truncate(0);
                channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
                channel.force(false);
                return channel;
            }
        } catch (OverlappingFileLockException e) {
            // this JVM holds it already (a test running two ups in one process)
        }
        channel.close();
        return null;
    }

    /**
     * Whether an up (this process or another) holds {@code dataDir}'s lock. It asks for a shared lock, which needs only
     * read access: a user who may not write the data directory can still tell whether an up runs on it.
     */
    static boolean isHeld(Path dataDir) throws IOException {
        try (FileChannel channel = FileChannel.open(dataDir.resolve(FILE), StandardOpenOption.READ)) {
            FileLock free = channel.tryLock(0L, Long.MAX_VALUE, true);
            if (free == null) {
                return true;
            }
            free.release();
            return false;
        } catch (OverlappingFileLockException e) {
            // held by this JVM: an up running in-process
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /** The process id the holder of {@code dataDir}'s lock wrote; empty when it wrote none (an up of an earlier version). */
    static OptionalLong recordedPid(Path dataDir) throws IOException {
        try {
            return OptionalLong.of(Long.parseLong(Files.readString(dataDir.resolve(FILE), StandardCharsets.US_ASCII).strip()));
        } catch (NumberFormatException | NoSuchFileException e) {
            return OptionalLong.empty();
        }
    }
}
