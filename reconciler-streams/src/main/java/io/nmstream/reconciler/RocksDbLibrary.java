package io.nmstream.reconciler;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.rocksdb.NativeLibraryLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads RocksDB's native library, which the reconciler's state stores run on, from the reconciler's state directory.
 *
 * <p>RocksDB otherwise copies its library (~15 MB) to a file of a new name in {@code java.io.tmpdir} at each start and
 * deletes it at a clean exit only: every reconciler killed with SIGKILL, or by the out-of-memory killer, leaves one
 * behind for good, and a {@code /tmp} on tmpfs holds them in memory. Here each process copies it to a directory of its
 * own, named by its pid, and removes the directories of processes that are no longer running: a killed instance's copy
 * goes at the next start. A directory per process, because RocksDB replaces a copy of the same name in place, which
 * would change the file under another process loading it (two instances sharing a state directory start at once).
 */
final class RocksDbLibrary {

    private static final Logger LOG = LoggerFactory.getLogger(RocksDbLibrary.class);
    /** The subdirectory of the state directory the copies are in; Kafka Streams reads only its application's one. */
    static final String DIRECTORY = "native";
    private static final Pattern PID = Pattern.compile("[0-9]{1,18}");
    private static boolean loaded;

    private RocksDbLibrary() {
    }

    /**
     * Loads the library from {@code stateDir}/{@value #DIRECTORY}/PID, once per process (RocksDB keeps the first library a
     * process loaded), after removing the copies of processes no longer running; when that fails (a state directory
     * mounted {@code noexec}, say), leaves it to RocksDB's own loading, from {@code java.io.tmpdir}.
     */
    static synchronized void loadFrom(Path stateDir) {
        if (loaded) {
            // RocksDB keeps the library a process loaded first; later reconcilers of the process (tests, the bench) use it
            return;
        }
        loaded = true;
        Path copies = stateDir.resolve(DIRECTORY);
        Path own = copies.resolve(Long.toString(ProcessHandle.current().pid()));
        try {
            removeCopiesOfEndedProcesses(copies);
            Files.createDirectories(own);
            // registered before RocksDB registers its file, so deleted after it at a clean exit
            own.toFile().deleteOnExit();
            NativeLibraryLoader.getInstance().loadLibrary(own.toString());
        } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
            LOG.warn("Cannot load RocksDB's native library from {} ({}); RocksDB copies it to {} instead, where a process "
                + "killed before a clean exit leaves its copy", own, e.toString(), System.getProperty("java.io.tmpdir"));
        }
    }

    /** Removes the directories in {@code copies} named by the pid of a process that is not running. */
    static void removeCopiesOfEndedProcesses(Path copies) throws IOException {
        if (!Files.isDirectory(copies)) {
            return;
        }
        try (DirectoryStream<Path> directories = Files.newDirectoryStream(copies)) {
            for (Path directory : directories) {
                String name = directory.getFileName().toString();
                if (PID.matcher(name).matches() && !ProcessHandle.of(Long.parseLong(name)).map(ProcessHandle::isAlive).orElse(false)) {
                    removeQuietly(directory);
                }
            }
        }
    }

    /** Removes {@code directory} and its files; one that another starting instance removed first is no error. */
    private static void removeQuietly(Path directory) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
        } catch (NoSuchFileException e) {
            return;
        }
        Files.deleteIfExists(directory);
    }
}
