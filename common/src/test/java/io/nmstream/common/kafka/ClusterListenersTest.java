package io.nmstream.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nmstream.common.config.Config;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A command pointed where nothing listens, at Kafka or at the registry, is told at once, naming the address and the
 * setting that points there; an address where something listens is left to the clients.
 */
class ClusterListenersTest {

    @Test
    void aKafkaPortNothingListensOnIsToldAtOnce() throws IOException {
        int closed = closedPort();

        assertThatThrownBy(() -> ClusterListeners.require(settings("127.0.0.1:" + closed, "http://127.0.0.1:" + closed)))
            .isInstanceOf(ClusterUnreachableException.class)
            .hasMessage("Kafka at 127.0.0.1:" + closed + " refused the connection: is it running there? Point at it with "
                + "--bootstrap-servers or NMSTREAM_KAFKA_BOOTSTRAP_SERVERS");
    }

    @Test
    void everyKafkaAddressIsNamedWhenNoneCanBeReached() throws IOException {
        int closed = closedPort();

        assertThat(ClusterListeners.kafkaSilence("127.0.0.1:" + closed + ",no-such-broker.invalid:9092"))
            .isEqualTo("Kafka at 127.0.0.1:" + closed + ",no-such-broker.invalid:9092 cannot be reached (127.0.0.1:" + closed
                + " refused the connection; no-such-broker.invalid:9092: host 'no-such-broker.invalid' is not known)");
    }

    @Test
    void aRegistryNothingListensAtIsToldOnceKafkaListens() throws IOException {
        int closed = closedPort();
        try (ServerSocket kafka = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> ClusterListeners.require(settings("127.0.0.1:" + kafka.getLocalPort(), "http://127.0.0.1:" + closed)))
                .isInstanceOf(ClusterUnreachableException.class)
                .hasMessage("Schema registry at http://127.0.0.1:" + closed + " refused the connection: is it running there? Point at "
                    + "it with --registry-url or NMSTREAM_REGISTRY_URL");
        }
        assertThat(ClusterListeners.registrySilence("https://no-such-registry.invalid/apis/ccompat/v7"))
            .isEqualTo("Schema registry at https://no-such-registry.invalid/apis/ccompat/v7: host 'no-such-registry.invalid' is not known");
    }

    @Test
    void oneAddressThatAcceptsLeavesTheAnswerToTheClients() throws IOException {
        try (ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = listening.getLocalPort();

            assertThat(ClusterListeners.kafkaSilence("127.0.0.1:" + closedPort() + ",127.0.0.1:" + port)).isNull();
            assertThat(ClusterListeners.registrySilence("http://127.0.0.1:" + port)).isNull();
            assertThat(ClusterListeners.registrySilence("http://localhost:" + port)).as("every address localhost resolves to is tried")
                .isNull();
            ClusterListeners.require(settings("127.0.0.1:" + port, "http://127.0.0.1:" + port));
        }
    }

    private static ClusterSettings settings(String bootstrapServers, String registryUrl) {
        return new ClusterSettings(Config.of(Map.of(ClusterSettings.BOOTSTRAP_SERVERS.name(), bootstrapServers,
            ClusterSettings.REGISTRY_URL.name(), registryUrl)));
    }

    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
