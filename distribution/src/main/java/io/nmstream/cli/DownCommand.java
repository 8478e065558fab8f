package io.nmstream.cli;

import io.nmstream.common.cli.DurationConverter;
import io.nmstream.common.config.Durations;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nmstream down}: stops the {@code nmstream up} that runs on a data directory (started with {@code --detach}, or
 * in another terminal) as Ctrl-C stops it, and waits until it has ended, as {@code docker compose down} does.
 */
@Command(name = "down", mixinStandardHelpOptions = true,
    description = "Stop the nmstream up running on a data directory (one started with up --detach, or in another terminal).",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:it stopped", "1:no nmstream up runs on that data directory, this user may not stop it, or it did not stop in time"})
public final class DownCommand implements Callable<Integer> {

    @Option(names = "--data-dir", description = "The data directory of the up to stop (default: ${DEFAULT-VALUE}).",
        defaultValue = "${sys:user.home}/.nmstream/data")
    private Path dataDir;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
        description = "How long to wait for it to end (default: 30s; up takes at most 15 s).")
    private Duration timeout = Duration.ofSeconds(30);

    @Override
    public Integer call() throws Exception {
        boolean held;
        try {
            held = DataDirLock.isHeld(dataDir);
        } catch (AccessDeniedException e) {
            System.err.println("nmstream down: " + dataDir.resolve(DataDirLock.FILE) + " cannot be read: permission denied; run down as "
                + "the user that runs up");
            return 1;
        }
        if (!held) {
            System.err.println("nmstream down: no nmstream up runs on " + dataDir + " (--data-dir)");
            return 1;
        }
        OptionalLong pid = DataDirLock.recordedPid(dataDir);
        Optional<ProcessHandle> up = pid.isPresent() ? ProcessHandle.of(pid.getAsLong()) : Optional.empty();
        if (up.isEmpty()) {
            System.err.println("nmstream down: an nmstream up runs on " + dataDir + " but did not record its process id (one started "
                + "before down existed): stop it with Ctrl-C where it runs");
            return 1;
        }
        // SIGTERM: up stops every part within its budget, as on Ctrl-C
        if (!up.get().destroy()) {
            System.err.println("nmstream down: nmstream up (pid " + pid.getAsLong() + ") on " + dataDir + " runs as another user, and this "
                + "one may not stop it; run down as that user");
            return 1;
        }
        try {
            up.get().onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            System.err.println("nmstream down: nmstream up (pid " + pid.getAsLong() + ") on " + dataDir + " did not end within "
                + Durations.format(timeout) + "; it is still stopping (kill -9 " + pid.getAsLong() + " ends it at once: a restart "
                + "recovers its data, as after a crash)");
            return 1;
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for a process cannot fail", e);
        }
        System.out.println("nmstream up (pid " + pid.getAsLong() + ") on " + dataDir + " stopped");
        return 0;
    }
}
