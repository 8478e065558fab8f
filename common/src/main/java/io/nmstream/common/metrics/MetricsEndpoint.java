package io.nmstream.common.metrics;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nmstream.common.config.Setting;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A service's Prometheus endpoint: {@code GET /metrics} in the Prometheus text format, served from the service's
 * Micrometer registry, with JVM metrics bound. Services record their own meters (rollout progress, enactments by
 * outcome, apply latency, API writes) on {@link #registry()}.
 */
public final class MetricsEndpoint implements AutoCloseable {

    /** Port of the endpoint; 0 picks a free one, -1 serves no endpoint (meters are still recorded). */
    public static final Setting<Integer> METRICS_PORT = Setting.integer("metrics.port", -1, -1, 65_535,
        "Port of the Prometheus /metrics endpoint; -1 to serve none, 0 for any free port.");

    private final PrometheusMeterRegistry registry;
    private final HttpServer server;

    private MetricsEndpoint(PrometheusMeterRegistry registry, HttpServer server) {
        this.registry = registry;
        this.server = server;
    }

    /** Creates the registry and, unless {@code port} is -1, serves it on all interfaces at {@code port}. */
    public static MetricsEndpoint start(int port) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        if (port < 0) {
            return new MetricsEndpoint(registry, null);
        }
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
            server.createContext("/metrics", exchange -> {
                byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            return new MetricsEndpoint(registry, server);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot serve metrics on port " + port, e);
        }
    }

    /** The registry to record meters on. */
    public MeterRegistry registry() {
        return registry;
    }

    /** The port served, or -1 when no endpoint runs. */
    public int port() {
        return server == null ? -1 : server.getAddress().getPort();
    }

    /** The current metrics in the Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
        registry.close();
    }
}
