package io.nmstream.common.http;

import io.nmstream.common.config.Config;
import io.nmstream.common.config.ConfigException;
import io.nmstream.common.config.Setting;
import java.io.File;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * How one of nmstream's HTTP servers (policy API, schema registry, status view, metrics) listens and what it tolerates
 * from a client: where it binds, its worker threads, how long a client may take to send a request's headers and body,
 * how large they may be, and the key it serves TLS with (none for plain HTTP).
 *
 * <p>Each server declares its own address and TLS settings with {@link #declare}; the limits are shared by every HTTP
 * server of a process ({@code http.*}).
 *
 * @param name names the server in logs and thread names ("policy-api")
 * @param host address to bind ({@code 127.0.0.1} for loopback only, {@code 0.0.0.0} for every interface)
 * @param port port to bind; 0 picks a free one
 * @param threads worker threads, which run the handlers (Jetty's acceptor and selector take one each)
 * @param idleTimeout a connection that sends and receives nothing for this long is closed
 * @param headerTimeout a client must send a request's complete headers within this long of connecting (or of its
 *     previous answer on the same connection), or the connection is closed
 * @param bodyTimeout a client must send a request's complete body within this long of its headers, or gets 408
 * @param maxHeaderBytes largest request line and headers; larger ones get 431
 * @param maxBodyBytes largest request body; larger ones get 413 before the body is read
 * @param tls the server's key and certificate to serve HTTPS with; null serves plain HTTP
 */
public record HttpServerSettings(String name, String host, int port, int threads, Duration idleTimeout, Duration headerTimeout,
                                 Duration bodyTimeout, int maxHeaderBytes, long maxBodyBytes, SSLContext tls) {

    public static final Setting<Integer> THREADS = Setting.integer("http.threads", 16, 4, 1_000,
        "Worker threads of each HTTP server (policy API, status view, metrics, embedded registry); connections waiting for "
            + "a client's bytes hold none.");
    public static final Setting<Duration> IDLE_TIMEOUT = Setting.duration("http.idle.timeout", Duration.ofSeconds(30),
        "An HTTP connection that sends and receives nothing for this long is closed.");
    public static final Setting<Duration> HEADER_TIMEOUT = Setting.duration("http.header.timeout", Duration.ofSeconds(10),
        "Time an HTTP client has to send a request's complete headers, from connecting or from its previous answer on the "
            + "connection; then the connection is closed.");
    public static final Setting<Duration> BODY_TIMEOUT = Setting.duration("http.body.timeout", Duration.ofSeconds(30),
        "Time an HTTP client has to send a request's complete body once its headers arrived; then it gets 408.");
    public static final Setting<Long> MAX_HEADER_BYTES = Setting.bytes("http.max.header.bytes", 8_192L, 1_024L, 1L << 20,
        "Largest HTTP request line and headers; larger requests get 431.");

    /** The limits every HTTP server of a process shares. */
    public static final List<Setting<?>> LIMITS = List.of(THREADS, IDLE_TIMEOUT, HEADER_TIMEOUT, BODY_TIMEOUT, MAX_HEADER_BYTES);

    public HttpServerSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(name + " port must be between 0 and 65535, was " + port);
        }
        if (maxBodyBytes < 0) {
            throw new IllegalArgumentException(name + " body limit must not be negative, was " + maxBodyBytes);
        }
    }

    /** A server named {@code name} on {@code host:port} with the shared limits' defaults and {@code maxBodyBytes}. */
    public static HttpServerSettings defaults(String name, String host, int port, long maxBodyBytes) {
        return new HttpServerSettings(name, host, port, THREADS.defaultValue(), IDLE_TIMEOUT.defaultValue(),
            HEADER_TIMEOUT.defaultValue(), BODY_TIMEOUT.defaultValue(), MAX_HEADER_BYTES.defaultValue().intValue(), maxBodyBytes, null);
    }

    /** These settings with the shared limits ({@code http.*}) read from {@code config}. */
    public HttpServerSettings withLimits(Config config) {
        config.validate(LIMITS);
        return new HttpServerSettings(name, host, port, config.get(THREADS), config.get(IDLE_TIMEOUT), config.get(HEADER_TIMEOUT),
            config.get(BODY_TIMEOUT), config.get(MAX_HEADER_BYTES).intValue(), maxBodyBytes, tls);
    }

    public HttpServerSettings withTls(SSLContext context) {
        return new HttpServerSettings(name, host, port, threads, idleTimeout, headerTimeout, bodyTimeout, maxHeaderBytes, maxBodyBytes,
            context);
    }

    public HttpServerSettings withHost(String address) {
        return new HttpServerSettings(name, address, port, threads, idleTimeout, headerTimeout, bodyTimeout, maxHeaderBytes,
            maxBodyBytes, tls);
    }

    public HttpServerSettings withTimeouts(Duration header, Duration body) {
        return new HttpServerSettings(name, host, port, threads, idleTimeout, header, body, maxHeaderBytes, maxBodyBytes, tls);
    }

    /**
     * Declares the address and TLS settings of one server: {@code <prefix>.host}, {@code <prefix>.port},
     * {@code <prefix>.tls.keystore.location} and {@code <prefix>.tls.keystore.password}.
     *
     * @param prefix the settings' common prefix ({@code ingest.http})
     * @param name the server's name in logs and thread names ({@code policy-api})
     * @param what the server, for the settings' documentation ("the policy HTTP API")
     * @param defaultPort the port when none is set
     * @param mayBeOff true when port -1 means "serve nothing" (status view, metrics)
     */
    public static Declaration declare(String prefix, String name, String what, int defaultPort, boolean mayBeOff) {
        return new Declaration(prefix, name, what, defaultPort, mayBeOff);
    }

    /** The settings of one server's address and TLS, declared once by the module that runs the server. */
    public static final class Declaration {

        private final String name;
        private final Setting<String> host;
        private final Setting<Integer> port;
        private final Setting<String> keystoreLocation;
        private final Setting<String> keystorePassword;

        private Declaration(String prefix, String name, String what, int defaultPort, boolean mayBeOff) {
            this.name = name;
            this.host = Setting.string(prefix + ".host", "127.0.0.1", "Address " + what + " listens on: 127.0.0.1 for this host "
                + "only, 0.0.0.0 for every interface.");
            this.port = Setting.integer(prefix + ".port", defaultPort, mayBeOff ? -1 : 0, 65_535, "Port of " + what
                + (mayBeOff ? "; -1 serves none, 0 any free port." : " (0 picks a free port)."));
            this.keystoreLocation = Setting.string(prefix + ".tls.keystore.location", "", "Keystore (PKCS12 or JKS) with the key "
                + "and certificate " + what + " serves HTTPS with; empty for plain HTTP.");
            this.keystorePassword = Setting.string(prefix + ".tls.keystore.password", "", "Password of that keystore and its key.");
        }

        public Setting<String> host() {
            return host;
        }

        public Setting<Integer> port() {
            return port;
        }

        public Setting<String> keystoreLocation() {
            return keystoreLocation;
        }

        public Setting<String> keystorePassword() {
            return keystorePassword;
        }

        /** This server's own settings and the shared limits, for validation at start-up and the configuration reference. */
        public List<Setting<?>> settings() {
            List<Setting<?>> all = new ArrayList<>(List.of(host, port, keystoreLocation, keystorePassword));
            all.addAll(LIMITS);
            return List.copyOf(all);
        }

        /** False when the port is -1: the server is not to run. */
        public boolean enabled(Config config) {
            return config.get(port) >= 0;
        }

        /**
         * The server's settings as {@code config} gives them, with {@code maxBodyBytes} as its body limit; the keystore is
         * loaded here, so that a wrong path or password stops the start with a message naming the setting.
         */
        public HttpServerSettings from(Config config, long maxBodyBytes) {
            config.validate(settings());
            HttpServerSettings settings = defaults(name, config.get(host), Math.max(0, config.get(port)), maxBodyBytes)
                .withLimits(config);
            String keystore = config.get(keystoreLocation);
            return keystore.isEmpty() ? settings : settings.withTls(loadKeystore(keystore, config.get(keystorePassword)));
        }

        private SSLContext loadKeystore(String location, String password) {
            try {
                char[] secret = password.toCharArray();
                KeyStore store = KeyStore.getInstance(new File(location), secret);
                KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(store, secret);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(keys.getKeyManagers(), null, null);
                return context;
            } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
                // the message names the file, never the password
                throw new ConfigException("Setting '" + keystoreLocation.name() + "' (environment variable " + keystoreLocation.envVar()
                    + ") has value '" + location + "': cannot be read as a keystore with the password of '" + keystorePassword.name()
                    + "': " + e.getMessage());
            }
        }
    }
}
