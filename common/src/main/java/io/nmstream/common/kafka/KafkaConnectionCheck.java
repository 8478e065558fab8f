package io.nmstream.common.kafka;

import io.nmstream.common.config.ConfigException;
import io.nmstream.common.config.Setting;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects to Kafka once with a service's settings before the service starts, so that settings the broker refuses (a
 * wrong password, a listener that speaks TLS to a client that does not, a CA the broker's certificate does not chain
 * to) stop it with a message that names the setting to fix, instead of a client that retries forever or a stack trace
 * from deep inside a consumer.
 *
 * <p>A cluster that does not answer at all is not a settings problem: the check returns and the service waits for
 * Kafka as it always did.
 */
public final class KafkaConnectionCheck {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaConnectionCheck.class);
    private static final Pattern JAAS_USER = Pattern.compile("username\\s*=\\s*\"([^\"]*)\"");
    private static final Duration TLS_PROBE_TIMEOUT = Duration.ofSeconds(3);
    /** How long a service's start-up check waits for an answer before it leaves Kafka to the service's own retries. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private KafkaConnectionCheck() {
    }

    /**
     * Asks the cluster for its brokers with {@code settings}' client properties.
     *
     * @throws ConfigException when the broker refuses the settings, naming the setting(s) to fix
     */
    public static void verify(ClusterSettings settings, Duration timeout) {
        String silence = check(settings, timeout);
        if (silence != null) {
            LOG.warn("{}; waiting for it", silence);
        }
    }

    /**
     * Like {@link #verify}, for a command that has nothing to do without Kafka: a cluster that does not answer within
     * {@code timeout} fails it at once.
     *
     * @throws ConfigException when the broker refuses the settings, naming the setting(s) to fix
     * @throws ClusterUnreachableException when it does not answer, naming the address
     */
    public static void requireAnswer(ClusterSettings settings, Duration timeout) {
        String silence = check(settings, timeout);
        if (silence != null) {
            throw ClusterListeners.unreachable(silence, "--bootstrap-servers", ClusterSettings.BOOTSTRAP_SERVERS);
        }
    }

    /** Asks for the brokers; returns why they did not answer, null when they did. */
    private static String check(ClusterSettings settings, Duration timeout) {
        Properties props = settings.clientProperties();
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
        String protocol = settings.config().get(ClusterSettings.SECURITY_PROTOCOL).toUpperCase(Locale.ROOT);
        try (Admin admin = create(props)) {
            admin.describeCluster().nodes().get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof AuthenticationException refused) {
                throw refusal(settings, protocol, refused);
            }
            if (!protocol.contains("SSL")) {
                refuseIfListenerSpeaksTls(settings, protocol);
            }
            return "Kafka at " + settings.bootstrapServers() + " did not answer within " + timeout.toSeconds() + " s ("
                + (cause == null ? e.toString() : cause.toString()) + ")";
        } catch (TimeoutException e) {
            if (!protocol.contains("SSL")) {
                refuseIfListenerSpeaksTls(settings, protocol);
            }
            return "Kafka at " + settings.bootstrapServers() + " did not answer within " + timeout.toSeconds() + " s";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    private static Admin create(Properties props) {
        try {
            return Admin.create(props);
        } catch (KafkaException e) {
            // the client could not even be built: a truststore that cannot be read, a JAAS line that does not parse
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new ConfigException("Cannot connect to Kafka with these settings: " + root.getMessage() + "; check "
                + names(ClusterSettings.SECURITY_PROTOCOL, ClusterSettings.SASL_MECHANISM, ClusterSettings.SASL_JAAS_CONFIG,
                    ClusterSettings.SSL_TRUSTSTORE_LOCATION, ClusterSettings.SSL_TRUSTSTORE_PASSWORD));
        }
    }

    private static ConfigException refusal(ClusterSettings settings, String protocol, AuthenticationException refused) {
        String at = "Kafka at " + settings.bootstrapServers();
        if (refused instanceof SaslAuthenticationException) {
            Matcher user = JAAS_USER.matcher(settings.config().get(ClusterSettings.SASL_JAAS_CONFIG));
            return new ConfigException(at + " refused the credentials" + (user.find() ? " of user '" + user.group(1) + "'" : "")
                + " (SASL mechanism " + settings.config().get(ClusterSettings.SASL_MECHANISM) + "): check "
                + names(ClusterSettings.SASL_JAAS_CONFIG, ClusterSettings.SASL_MECHANISM) + ". Kafka said: " + refused.getMessage());
        }
        if (refused instanceof SslAuthenticationException) {
            return new ConfigException("The TLS handshake with " + at + " failed over " + protocol + ": check "
                + names(ClusterSettings.SSL_TRUSTSTORE_LOCATION) + " (the CA that signed the broker's certificate) and "
                + names(ClusterSettings.SECURITY_PROTOCOL) + ". Cause: " + rootMessage(refused));
        }
        return new ConfigException(at + " refused to authenticate this client over " + protocol + ": check "
            + names(ClusterSettings.SECURITY_PROTOCOL, ClusterSettings.SASL_MECHANISM, ClusterSettings.SASL_JAAS_CONFIG)
            + ". Kafka said: " + refused.getMessage());
    }

    /**
     * A client without TLS gets no answer from a TLS listener, only closed connections, which look like a broker that
     * is down. A TLS handshake with the same address tells the two apart.
     */
    private static void refuseIfListenerSpeaksTls(ClusterSettings settings, String protocol) {
        for (String server : settings.bootstrapServers().split(",")) {
            String address = server.strip();
            int colon = address.lastIndexOf(':');
            if (colon < 0) {
                continue;
            }
            if (speaksTls(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)))) {
                throw new ConfigException("Kafka at " + address + " answers with TLS, but setting "
                    + names(ClusterSettings.SECURITY_PROTOCOL) + " is " + protocol + ": set it to SSL or SASL_SSL, and "
                    + names(ClusterSettings.SSL_TRUSTSTORE_LOCATION) + " to the CA that signed the broker's certificate");
            }
        }
    }

    /** Whether {@code host:port} completes a TLS handshake; its certificate is not checked, nothing is sent after it. */
    private static boolean speaksTls(String host, int port) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new AcceptAnyCertificate()}, null);
            try (Socket plain = new Socket()) {
                plain.connect(new InetSocketAddress(host, port), (int) TLS_PROBE_TIMEOUT.toMillis());
                plain.setSoTimeout((int) TLS_PROBE_TIMEOUT.toMillis());
                try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true)) {
                    tls.startHandshake();
                    return true;
                }
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    private static String names(Setting<?>... settings) {
        StringBuilder text = new StringBuilder();
        for (Setting<?> setting : settings) {
            if (!text.isEmpty()) {
                text.append(", ");
            }
            text.append('\'').append(setting.name()).append("' (").append(setting.envVar()).append(')');
        }
        return text.toString();
    }

    /** Only for telling a TLS listener from a plain one: the handshake's certificate is never trusted for anything. */
    private static final class AcceptAnyCertificate implements X509TrustManager {

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // not a server
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // the probe sends nothing after the handshake
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
