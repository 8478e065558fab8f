package io.nmstream.status.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.nmstream.common.config.Config;
import io.nmstream.schemas.avro.ResourceStatus;
import io.nmstream.status.fold.StatusDiff;
import io.nmstream.status.fold.StatusKey;
import io.nmstream.status.projector.StatusSink;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes projected status back to Kubernetes: NNCP status, and NNCE and NNS objects with their status.
 *
 * <p>Statuses are coalesced: each object's latest status waits in a pending map (so memory is bounded by the number of
 * objects, however long the API server is down) and is written at most once per window. A status that differs from the
 * last one written only in its timestamps is not written. Requests are rate-limited (QPS and burst); conflicts,
 * throttling, server errors and timeouts put the status back in the pending map, unless a newer one arrived, and the
 * writer backs off exponentially up to a maximum. Other errors are logged and the status dropped.
 */
public final class KubernetesStatusWriter implements StatusSink {

    /** Counter: API requests made, tagged {@code verb} (patch, delete) and {@code kind} (nncp, nnce, nns). */
    public static final String API_WRITES = "nmstream.kubernetes.writes";
    /** Counter: API requests that failed, tagged {@code verb}, {@code kind} and {@code retryable}. */
    public static final String API_ERRORS = "nmstream.kubernetes.errors";

    private static final Logger LOG = LoggerFactory.getLogger(KubernetesStatusWriter.class);

    private final NmstateApi api;
    private final KubernetesClient ownedClient;
    private final Duration window;
    private final Duration maxBackoff;
    private final RateLimiter limiter;
    private final Map<String, ResourceStatus> pending = new LinkedHashMap<>();
    private final Map<String, ResourceStatus> written = new HashMap<>();
    private final Thread thread;
    private final MeterRegistry meters;
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong flushes = new AtomicLong();
    private Duration backoff = Duration.ZERO;
    private boolean flushRequested;
    private volatile boolean running = true;

    KubernetesStatusWriter(NmstateApi api, KubernetesClient ownedClient, Config config, MeterRegistry meters) {
        config.validate(KubernetesSettings.ALL);
        this.api = api;
        this.meters = meters;
        this.ownedClient = ownedClient;
        this.window = config.get(KubernetesSettings.WINDOW);
        this.maxBackoff = config.get(KubernetesSettings.MAX_BACKOFF);
        this.limiter = new RateLimiter(config.get(KubernetesSettings.QPS), config.get(KubernetesSettings.BURST));
        this.thread = new Thread(this::run, "status-kubernetes-writer");
        this.thread.setDaemon(true);
    }

    /**
     * A writer to the API server kubectl would use (kubeconfig or in-cluster service account). The client does not retry
     * by itself: the writer does, so that a status superseded while the API server is down is never sent.
     */
    public static KubernetesStatusWriter start(Config config) {
        return start(config, new SimpleMeterRegistry());
    }

    /** A writer as {@link #start(Config)} makes, counting its API requests and their failures on {@code meters}. */
    public static KubernetesStatusWriter start(Config config, MeterRegistry meters) {
        io.fabric8.kubernetes.client.Config clientConfig = io.fabric8.kubernetes.client.Config.autoConfigure(null);
        clientConfig.setRequestRetryBackoffLimit(0);
        clientConfig.setUserAgent(KubernetesSettings.FIELD_MANAGER);
        KubernetesClient client = new KubernetesClientBuilder().withConfig(clientConfig).build();
        return start(new Fabric8NmstateApi(client), client, config, meters);
    }

    /**
     * A writer through {@code client}, which stays open when the writer closes. The client should not retry by itself
     * ({@code requestRetryBackoffLimit = 0}): the writer retries with the latest status.
     */
    public static KubernetesStatusWriter start(KubernetesClient client, Config config) {
        return start(client, config, new SimpleMeterRegistry());
    }

    /** A writer through {@code client} as {@link #start(KubernetesClient, Config)} makes, counting requests on {@code meters}. */
    public static KubernetesStatusWriter start(KubernetesClient client, Config config, MeterRegistry meters) {
        return start(new Fabric8NmstateApi(client), null, config, meters);
    }

    static KubernetesStatusWriter start(NmstateApi api, KubernetesClient ownedClient, Config config, MeterRegistry meters) {
        KubernetesStatusWriter writer = new KubernetesStatusWriter(api, ownedClient, config, meters);
        writer.thread.start();
        return writer;
    }

    @Override
    public synchronized void accept(ResourceStatus status) {
        pending.put(StatusKey.of(status), status);
    }

    /** Asks for a flush now instead of at the end of the window. */
    public synchronized void flushNow() {
        flushRequested = true;
        notifyAll();
    }

    /** Objects whose latest status waits to be written. */
    public synchronized int pendingCount() {
        return pending.size();
    }

    /** API writes made (status writes and deletes). */
    public long writes() {
        return writes.get();
    }

    /** Statuses not written because nothing but their timestamps changed. */
    public long skipped() {
        return skipped.get();
    }

    /** Failed API requests. */
    public long failures() {
        return failures.get();
    }

    /** Flushes completed. */
    public long flushes() {
        return flushes.get();
    }

    @Override
    public void close() {
        running = false;
        synchronized (this) {
            notifyAll();
        }
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ownedClient != null) {
            ownedClient.close();
        }
    }

    private void run() {
        while (running) {
            try {
                awaitWindow();
                if (running) {
                    flush();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("Kubernetes status flush failed", e);
            }
        }
    }

    /** Waits for the end of the window (longer while backing off), or for a flush request. */
    private synchronized void awaitWindow() throws InterruptedException {
        Duration wait = backoff.compareTo(window) > 0 ? backoff : window;
        long deadline = System.nanoTime() + wait.toNanos();
        while (running && !flushRequested) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        flushRequested = false;
    }

    /** Writes every pending status once; on a retryable failure keeps the rest pending and backs off. */
    void flush() throws InterruptedException {
        Map<String, ResourceStatus> batch;
        synchronized (this) {
            batch = new LinkedHashMap<>(pending);
            pending.clear();
        }
        boolean apiFailing = false;
        Iterator<Map.Entry<String, ResourceStatus>> it = batch.entrySet().iterator();
        while (it.hasNext() && !apiFailing) {
            Map.Entry<String, ResourceStatus> entry = it.next();
            String key = entry.getKey();
            ResourceStatus status = entry.getValue();
            if (!status.getDeleted() && !StatusDiff.changed(written.get(key), status)) {
                skipped.incrementAndGet();
                continue;
            }
            limiter.acquire();
            try {
                write(key, status);
                writes.incrementAndGet();
            } catch (NmstateApi.ApiException e) {
                failures.incrementAndGet();
                if (!e.retryable()) {
                    LOG.warn("Dropping status of {}: {}", key, e.getMessage());
                    continue;
                }
                apiFailing = true;
                backoff = backoff.isZero() ? window : min(backoff.multipliedBy(2), maxBackoff);
                LOG.warn("Kubernetes API failed, retrying in {} ms: {}", Math.max(backoff.toMillis(), window.toMillis()), e.getMessage());
                requeue(key, status);
            }
        }
        // what was not tried waits for the next flush, unless a newer status arrived meanwhile
        it.forEachRemaining(rest -> requeue(rest.getKey(), rest.getValue()));
        if (!apiFailing) {
            backoff = Duration.ZERO;
        }
        flushes.incrementAndGet();
    }

    private synchronized void requeue(String key, ResourceStatus status) {
        pending.putIfAbsent(key, status);
    }

    private void write(String key, ResourceStatus status) {
        String verb = status.getDeleted() ? "delete" : "patch";
        String kind = status.getKind().name().toLowerCase(Locale.ROOT);
        Counter.builder(API_WRITES).description("Kubernetes API requests made by the status writer")
            .tags("verb", verb, "kind", kind).register(meters).increment();
        try {
            if (status.getDeleted()) {
                api.delete(status);
                written.remove(key);
            } else {
                api.writeStatus(status, written.containsKey(key));
                written.put(key, status);
            }
        } catch (NmstateApi.ApiException e) {
            Counter.builder(API_ERRORS).description("Kubernetes API requests of the status writer that failed")
                .tags("verb", verb, "kind", kind, "retryable", String.valueOf(e.retryable())).register(meters).increment();
            throw e;
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
