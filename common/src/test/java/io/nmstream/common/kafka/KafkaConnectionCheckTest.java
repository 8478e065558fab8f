package io.nmstream.common.kafka;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nmstream.common.config.Config;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a command that needs Kafka says when something listens at the address but does not answer as Kafka. */
class KafkaConnectionCheckTest {

    @Test
    void somethingThatListensButIsNotKafkaIsToldAfterTheTimeout() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String address = "127.0.0.1:" + silent.getLocalPort();
            ClusterSettings settings = new ClusterSettings(Config.of(Map.of(ClusterSettings.BOOTSTRAP_SERVERS.name(), address)));

            assertThatThrownBy(() -> KafkaConnectionCheck.requireAnswer(settings, Duration.ofSeconds(1)))
                .isInstanceOf(ClusterUnreachableException.class)
                .hasMessageStartingWith("Kafka at " + address + " did not answer within 1 s")
                .hasMessageEndingWith(": is it running there? Point at it with --bootstrap-servers or NMSTREAM_KAFKA_BOOTSTRAP_SERVERS");
        }
    }
}
