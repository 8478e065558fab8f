package io.nmstream.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nmstream.common.config.Config;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a command that needs Kafka says when there is none: at once when nothing listens at the address (or its host
 * is not known), after its timeout when something listens but does not answer as Kafka.
 */
class KafkaConnectionCheckTest {

    @Test
    void aPortNothingListensOnIsToldAtOnce() throws IOException {
        int closed = closedPort();

        assertThat(KafkaConnectionCheck.nothingListens("127.0.0.1:" + closed)).isEqualTo("Kafka at 127.0.0.1:" + closed
            + " refused the connection");
        assertThatThrownBy(() -> KafkaConnectionCheck.requireAnswer(settings("127.0.0.1:" + closed), Duration.ofMinutes(5)))
            .isInstanceOf(ClusterUnreachableException.class)
            .hasMessage("Kafka at 127.0.0.1:" + closed + " refused the connection: is it running there? Point at it with "
                + "--bootstrap-servers or NMSTREAM_KAFKA_BOOTSTRAP_SERVERS");
    }

    @Test
    void everyAddressIsNamedWhenNoneCanBeReached() throws IOException {
        int closed = closedPort();

        assertThat(KafkaConnectionCheck.nothingListens("127.0.0.1:" + closed + ",no-such-broker.invalid:9092"))
            .isEqualTo("Kafka at 127.0.0.1:" + closed + ",no-such-broker.invalid:9092 cannot be reached (127.0.0.1:" + closed
                + " refused the connection; no-such-broker.invalid:9092: host 'no-such-broker.invalid' is not known)");
    }

    @Test
    void oneAddressThatAcceptsLeavesTheAnswerToTheKafkaCheck() throws IOException {
        try (ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThat(KafkaConnectionCheck.nothingListens("127.0.0.1:" + closedPort() + ",127.0.0.1:" + listening.getLocalPort()))
                .isNull();
        }
    }

    @Test
    void somethingThatListensButIsNotKafkaIsToldAfterTheTimeout() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String address = "127.0.0.1:" + silent.getLocalPort();

            assertThatThrownBy(() -> KafkaConnectionCheck.requireAnswer(settings(address), Duration.ofSeconds(1)))
                .isInstanceOf(ClusterUnreachableException.class)
                .hasMessageStartingWith("Kafka at " + address + " did not answer within 1 s");
        }
    }

    private static ClusterSettings settings(String bootstrapServers) {
        return new ClusterSettings(Config.of(Map.of(ClusterSettings.BOOTSTRAP_SERVERS.name(), bootstrapServers)));
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
