package io.nmstream.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Ports handed out for listeners are free, distinct, and never ones an outgoing connection could take meanwhile. */
class LoopbackPortsTest {

    @Test
    void freePortsAreBelowTheEphemeralRangeDistinctAndBindable() throws IOException {
        String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim();
        int ephemeralStart = Integer.parseInt(range.split("\\s+")[0]);
        Set<Integer> ports = new HashSet<>();

        for (int i = 0; i < 50; i++) {
            int port = LoopbackPorts.free();
            assertThat(port).as("outside the ephemeral range %s", range).isLessThan(ephemeralStart);
            assertThat(ports.add(port)).as("port %d handed out twice", port).isTrue();
        }
        for (int port : ports) {
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                assertThat(socket.getLocalPort()).isEqualTo(port);
            }
        }
    }

    @Test
    void aPortSomethingListensOnIsInUse() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThat(LoopbackPorts.isInUse("127.0.0.1", socket.getLocalPort())).isTrue();
        }
        assertThat(LoopbackPorts.isInUse("127.0.0.1", LoopbackPorts.free())).isFalse();
    }
}
