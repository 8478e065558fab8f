package io.nmstream.common.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nmstream.common.config.Config;
import io.nmstream.common.config.Setting;
import io.nmstream.common.http.HttpAnswer;
import io.nmstream.common.http.HttpRequest;
import io.nmstream.common.http.HttpServer;
import io.nmstream.common.http.HttpServerSettings;
import io.nmstream.common.http.HttpService;
import java.util.List;

/**
 * A service's Prometheus endpoint: {@code GET /metrics} in the Prometheus text format, served from the service's
 * Micrometer registry, with JVM metrics bound. Services record their own meters (rollout progress, enactments by
 * outcome, apply latency, API writes) on {@link #registry()}.
 */
public final class MetricsEndpoint implements AutoCloseable {

    /** Where the endpoint listens, and its TLS; port -1 (the default) serves no endpoint, meters are still recorded. */
    public static final HttpServerSettings.Declaration HTTP = HttpServerSettings.declare("metrics", "metrics",
        "the Prometheus /metrics endpoint", -1, true);
    /** Port of the endpoint; 0 picks a free one, -1 serves no endpoint. */
    public static final Setting<Integer> METRICS_PORT = HTTP.port();
    /** Every setting of the endpoint, for a service's list of settings. */
    public static final List<Setting<?>> SETTINGS = HTTP.settings();

    /** A scrape has no body. */
    private static final long MAX_BODY_BYTES = 0;
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final HttpServer server;

    private MetricsEndpoint(PrometheusMeterRegistry registry, HttpServer server) {
        this.registry = registry;
        this.server = server;
    }

    /** Creates the registry and serves it as {@code config}'s {@code metrics.*} settings say (nothing while the port is -1). */
    public static MetricsEndpoint start(Config config) {
        PrometheusMeterRegistry registry = newRegistry();
        if (!HTTP.enabled(config)) {
            return new MetricsEndpoint(registry, null);
        }
        return serve(registry, HTTP.from(config, MAX_BODY_BYTES));
    }

    /** Creates the registry and, unless {@code port} is -1, serves it on the loopback address at {@code port}. */
    public static MetricsEndpoint start(int port) {
        PrometheusMeterRegistry registry = newRegistry();
        if (port < 0) {
            return new MetricsEndpoint(registry, null);
        }
        return serve(registry, HttpServerSettings.defaults("metrics", "127.0.0.1", port, MAX_BODY_BYTES));
    }

    private static PrometheusMeterRegistry newRegistry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        return registry;
    }

    private static MetricsEndpoint serve(PrometheusMeterRegistry registry, HttpServerSettings settings) {
        try {
            return new MetricsEndpoint(registry, HttpServer.start(settings, new Scrapes(registry)));
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
    }

    /** {@code GET /metrics}; anything else is 404 or 405. */
    private record Scrapes(PrometheusMeterRegistry registry) implements HttpService {
        @Override
        public HttpAnswer answer(HttpRequest request, byte[] body) {
            if (!request.path().equals("/metrics")) {
                return HttpAnswer.error(404, "no such resource: " + request.path() + "; metrics are at /metrics");
            }
            if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
                return HttpAnswer.error(405, "method " + request.method() + " not allowed; allowed: GET").withHeader("Allow", "GET");
            }
            return HttpAnswer.text(200, registry.scrape(), PROMETHEUS_TEXT);
        }
    }

    /** The registry to record meters on. */
    public MeterRegistry registry() {
        return registry;
    }

    /** The port served, or -1 when no endpoint runs. */
    public int port() {
        return server == null ? -1 : server.port();
    }

    /** The current metrics in the Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        registry.close();
    }
}
