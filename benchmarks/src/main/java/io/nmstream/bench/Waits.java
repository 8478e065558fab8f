package io.nmstream.bench;

import io.nmstream.schemas.Topics;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.Consumer;

/** Waiting for conditions between the timed parts of a scenario (never inside them). */
public final class Waits {

    private static final long PAUSE_MILLIS = 50;

    private Waits() {
    }

    /** Returns once {@code condition} holds; fails naming {@code what} after {@code timeout}. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(PAUSE_MILLIS);
        }
    }

    /**
     * Returns once the cluster's metadata has every topic of {@code topics}, as {@code consumer} sees it: the services
     * look their partitions up once, when they start, and a topic created a moment ago may not be known everywhere yet.
     */
    public static void untilTopicsKnown(Consumer<?, ?> consumer, Topics topics, Duration timeout) throws InterruptedException {
        until("the topics of " + topics.namespace() + " to be known", timeout, () -> topics.all().stream()
            .allMatch(topic -> !consumer.partitionsFor(topic.name(), Duration.ofSeconds(5)).isEmpty()));
    }

    /** Returns once {@code counter} has not changed for {@code quiet}: the parts under test have nothing left to write. */
    public static void untilQuiet(String what, Duration quiet, Duration timeout, LongSupplier counter) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long last = counter.getAsLong();
        long stableSince = System.nanoTime();
        while (System.nanoTime() - stableSince < quiet.toNanos()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Timed out after " + timeout.toSeconds() + " s waiting for " + what + " to settle");
            }
            Thread.sleep(PAUSE_MILLIS);
            long now = counter.getAsLong();
            if (now != last) {
                last = now;
                stableSince = System.nanoTime();
            }
        }
    }
}
