package io.nmstream.cli;

import io.nmstream.embedded.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches what {@code nmstream up} cannot run without, the embedded broker's process and the data directories, and
 * reports the first one lost at ERROR, with what to do. Without it a lost broker shows only as endless connection
 * warnings of every client. Closing it (before the broker is stopped on purpose) ends the watch.
 */
final class LossWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LossWatch.class);
    private static final Duration INTERVAL = Duration.ofMillis(500);

    private final EmbeddedKafka broker;
    private final List<Path> directories;
    private final ScheduledExecutorService ticker;
    private final AtomicReference<String> loss = new AtomicReference<>();
    private final CountDownLatch reported = new CountDownLatch(1);

    /**
     * Starts watching.
     *
     * @param broker the embedded broker
     * @param directories the data directory, then what within it must stay (a recursive removal may leave directories that
     *     running parts write to again, but never the broker's formatted storage, {@code meta.properties})
     */
    LossWatch(EmbeddedKafka broker, List<Path> directories) {
        this.broker = broker;
        this.directories = List.copyOf(directories);
        this.ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "nmstream-loss-watch");
            thread.setDaemon(true);
            return thread;
        });
        ticker.scheduleWithFixedDelay(this::check, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits until something is lost or {@link #close()}; returns at once when that has happened. */
    void await() throws InterruptedException {
        reported.await();
    }

    /** What was lost, as reported; empty while nothing is. */
    Optional<String> loss() {
        return Optional.ofNullable(loss.get());
    }

    private void check() {
        // a removed data directory comes first: it is usually why the broker died too
        Optional<String> lost = missingDirectory().or(this::stoppedBroker);
        if (lost.isPresent() && loss.compareAndSet(null, lost.get())) {
            LOG.error(lost.get());
            reported.countDown();
            ticker.shutdown();
        }
    }

    private Optional<String> missingDirectory() {
        // named by the outermost: a recursive removal takes the inner directories first
        return directories.stream().filter(dir -> !Files.exists(dir)).findFirst()
            .map(dir -> "The data directory " + directories.get(0) + " was removed while nmstream up was running (" + dir
                + " is gone); nmstream up stops: restart it (it starts again with empty topics and status)");
    }

    private Optional<String> stoppedBroker() {
        OptionalInt exit = broker.exitCode();
        if (exit.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("The embedded Kafka broker stopped (exit code " + exit.getAsInt() + "); its log is at "
            + broker.logFile() + "; nmstream up stops: restart it");
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        reported.countDown();
    }
}
