package io.nmstream.status.kubernetes;

/**
 * A token bucket: {@code qps} permits a second on average, up to {@code burst} at once, as client-go's rate limiter.
 */
final class RateLimiter {

    private final double permitsPerNano;
    private final double burst;
    private double tokens;
    private long refilledAt;

    RateLimiter(int qps, int burst) {
        if (qps < 1 || burst < 1) {
            throw new IllegalArgumentException("qps and burst must be at least 1, were " + qps + " and " + burst);
        }
        this.permitsPerNano = qps / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.refilledAt = System.nanoTime();
    }

    /** Takes one permit, waiting for it when the bucket is empty. */
    synchronized void acquire() throws InterruptedException {
        refill();
        while (tokens < 1) {
            long waitNanos = (long) Math.ceil((1 - tokens) / permitsPerNano);
            wait(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
            refill();
        }
        tokens -= 1;
    }

    private void refill() {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - refilledAt) * permitsPerNano);
        refilledAt = now;
    }
}
