package io.nmstream.bench;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

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
