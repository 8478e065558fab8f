package io.nmstream.common.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One of nmstream's HTTP servers: an {@link HttpService} served by Jetty with the threads, timeouts, size limits and TLS
 * of its {@link HttpServerSettings}. Connections are served without a thread while they wait for a client's bytes, so
 * clients that send slowly, or not at all, cost a socket each, not a worker; the header and body timeouts bound how long
 * they keep even that.
 */
public final class HttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    private static final long STOP_TIMEOUT_MILLIS = 2_000;

    private final Server server;
    private final HttpServerSettings settings;
    private final int port;
    private final String url;

    private HttpServer(Server server, HttpServerSettings settings, int port) {
        this.server = server;
        this.settings = settings;
        this.port = port;
        this.url = url(settings, port);
    }

    /**
     * Starts serving {@code service} as {@code settings} say.
     *
     * @throws IllegalStateException naming the address when it cannot be bound
     */
    public static HttpServer start(HttpServerSettings settings, HttpService service) {
        QueuedThreadPool threads = new QueuedThreadPool(settings.threads(), Math.min(2, settings.threads()));
        threads.setName(settings.name() + "-http");
        threads.setDaemon(true);
        Server server = new Server(threads);
        server.setStopTimeout(STOP_TIMEOUT_MILLIS);

        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(settings.maxHeaderBytes());
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // a schema registry subject may hold an encoded '/' (%2F), as Confluent's may; each service routes on its own path
        http.setUriCompliance(UriCompliance.DEFAULT.with("nmstream", UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
            UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING));
        ConnectionFactory[] factories;
        if (settings.tls() == null) {
            factories = new ConnectionFactory[] {new HttpConnectionFactory(http)};
        } else {
            // no SNI host check: clients reach nmstream by IP address as often as by name
            http.addCustomizer(new SecureRequestCustomizer(false));
            SslContextFactory.Server tls = new SslContextFactory.Server();
            tls.setSslContext(settings.tls());
            factories = new ConnectionFactory[] {new SslConnectionFactory(tls, HttpVersion.HTTP_1_1.asString()),
                new HttpConnectionFactory(http)};
        }
        ServerConnector connector = new ServerConnector(server, 1, 1, factories);
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        connector.setIdleTimeout(settings.idleTimeout().toMillis());
        HeaderTimeout headerTimeout = new HeaderTimeout(server.getScheduler(), settings.headerTimeout());
        connector.addBean(headerTimeout);
        server.addConnector(connector);
        server.setHandler(new ServiceHandler(service, settings, headerTimeout));
        server.setErrorHandler(new JsonErrorHandler(service));
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly(server);
            throw new IllegalStateException("Cannot serve " + settings.name() + " on " + settings.host() + ":" + settings.port() + ": "
                + e.getMessage(), e);
        }
        HttpServer started = new HttpServer(server, settings, connector.getLocalPort());
        LOG.info("{} listening on {}", settings.name(), started.url());
        return started;
    }

    /** The port bound (the one picked when the settings said 0). */
    public int port() {
        return port;
    }

    /** The base URL, e.g. {@code https://127.0.0.1:8088} (the loopback address when bound to every interface). */
    public String url() {
        return url;
    }

    private static String url(HttpServerSettings settings, int port) {
        String host = settings.host();
        try {
            if (host.isEmpty() || InetAddress.getByName(host).isAnyLocalAddress()) {
                host = InetAddress.getLoopbackAddress().getHostAddress();
            }
        } catch (UnknownHostException e) {
            // a name that does not resolve now: show it as configured
        }
        if (host.indexOf(':') >= 0) {
            host = "[" + host + "]";
        }
        return (settings.tls() == null ? "http" : "https") + "://" + host + ":" + port;
    }

    /** Stops accepting, lets requests in flight finish for up to two seconds, and closes every connection. */
    @Override
    public void close() {
        long started = System.nanoTime();
        stopQuietly(server);
        LOG.info("{} stopped in {} ms", settings.name(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("Stopping an HTTP server failed: {}", e.toString());
        }
    }
}
