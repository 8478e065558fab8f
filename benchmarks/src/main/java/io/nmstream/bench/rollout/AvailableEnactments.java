package io.nmstream.bench.rollout;

import io.nmstream.schemas.avro.ResourceKind;
import io.nmstream.schemas.avro.ResourceStatus;
import io.nmstream.schemas.avro.StatusCondition;
import io.nmstream.status.projector.StatusSink;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Watches the projection for the end of a rollout: counts the NNCEs of one policy whose latest status has condition
 * Available = True, and opens when all expected ones are. Fed by the status projector as it publishes.
 */
public final class AvailableEnactments implements StatusSink {

    private final String policy;
    private final int expected;
    private final Set<String> available = new HashSet<>();
    private final CountDownLatch all = new CountDownLatch(1);
    private volatile long completedAtNanos;

    public AvailableEnactments(String policy, int expected) {
        this.policy = policy;
        this.expected = expected;
    }

    @Override
    public synchronized void accept(ResourceStatus status) {
        if (status.getKind() != ResourceKind.NNCE || !status.getName().endsWith("." + policy)) {
            return;
        }
        if (!status.getDeleted() && isAvailable(status)) {
            available.add(status.getName());
        } else {
            available.remove(status.getName());
        }
        if (available.size() >= expected && all.getCount() > 0) {
            completedAtNanos = System.nanoTime();
            all.countDown();
        }
    }

    /** Waits until every expected NNCE is Available; false when the time ran out. */
    public boolean await(long timeoutMillis) throws InterruptedException {
        return all.await(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** True once every expected NNCE is Available. */
    public boolean isComplete() {
        return all.getCount() == 0;
    }

    /** {@link System#nanoTime()} when the last NNCE became Available. */
    public long completedAtNanos() {
        return completedAtNanos;
    }

    /** NNCEs Available now. */
    public synchronized int availableCount() {
        return available.size();
    }

    private static boolean isAvailable(ResourceStatus status) {
        for (StatusCondition condition : status.getConditions()) {
            if ("Available".equals(condition.getType())) {
                return "True".equals(condition.getStatus());
            }
        }
        return false;
    }
}
