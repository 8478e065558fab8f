package io.nmstream.common.kafka;

import io.nmstream.common.config.Setting;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Tells a command at once that nothing listens where its settings point, Kafka's bootstrap addresses or the schema
 * registry's URL, where the clients would retry for their whole timeouts: every address a host resolves to refuses a
 * plain TCP connection, or the host does not resolve. Nothing is sent. An address that accepts the connection, or does
 * not answer within {@link #PROBE_TIMEOUT} (a firewall that drops packets), leaves the answer to the clients.
 */
public final class ClusterListeners {

    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

    private ClusterListeners() {
    }

    /**
     * Fails when nothing listens at any of Kafka's bootstrap addresses, or at the registry's URL.
     *
     * @throws ClusterUnreachableException naming the address, what became of it, and the setting that points there
     */
    public static void require(ClusterSettings settings) {
        String kafka = kafkaSilence(settings.bootstrapServers());
        if (kafka != null) {
            throw unreachable(kafka, "--bootstrap-servers", ClusterSettings.BOOTSTRAP_SERVERS);
        }
        String registry = registrySilence(settings.registryUrl());
        if (registry != null) {
            throw unreachable(registry, "--registry-url", ClusterSettings.REGISTRY_URL);
        }
    }

    /** What a command says when {@code silence} is all it got: where it looked, and how to point it elsewhere. */
    static ClusterUnreachableException unreachable(String silence, String flag, Setting<?> setting) {
        return new ClusterUnreachableException(silence + ": is it running there? Point at it with " + flag + " or " + setting.envVar());
    }

    /** Why no bootstrap address can be connected to, or null when one can (or cannot be told at once). */
    static String kafkaSilence(String bootstrapServers) {
        List<String> reasons = new ArrayList<>();
        for (String server : bootstrapServers.split(",")) {
            String address = server.strip();
            int colon = address.lastIndexOf(':');
            if (colon <= 0) {
                return null;
            }
            String reason = refusal(address.substring(0, colon).replace("[", "").replace("]", ""), address.substring(colon + 1));
            if (reason == null) {
                return null;
            }
            reasons.add(address + reason);
        }
        return reasons.size() == 1 ? "Kafka at " + reasons.get(0)
            : "Kafka at " + bootstrapServers + " cannot be reached (" + String.join("; ", reasons) + ")";
    }

    /** Why the registry's URL cannot be connected to, or null when it can (or cannot be told at once). */
    static String registrySilence(String registryUrl) {
        URI uri;
        try {
            uri = URI.create(registryUrl.strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (uri.getHost() == null || uri.getScheme() == null) {
            return null;
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        String reason = refusal(uri.getHost().replace("[", "").replace("]", ""), Integer.toString(port));
        return reason == null ? null : "Schema registry at " + registryUrl + reason;
    }

    /** " refused the connection" or ": host 'h' is not known", or null when something (maybe) listens. */
    private static String refusal(String host, String port) {
        int number;
        InetAddress[] addresses;
        try {
            number = Integer.parseInt(port);
            addresses = InetAddress.getAllByName(host);
        } catch (NumberFormatException e) {
            return null;
        } catch (UnknownHostException e) {
            return ": host '" + host + "' is not known";
        }
        for (InetAddress address : addresses) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address, number), (int) PROBE_TIMEOUT.toMillis());
                return null;
            } catch (ConnectException e) {
                // refused: try the host's next address, as the clients would
            } catch (IOException | IllegalArgumentException e) {
                return null;
            }
        }
        return " refused the connection";
    }
}
