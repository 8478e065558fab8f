package io.nmstream.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/** Ports on this host for listeners about to start: which are free, and which are taken already. */
public final class LoopbackPorts {

    /** Where {@link #free} starts looking: above the well-known and most registered service ports. */
    private static final int FREE_PORTS_START = 20000;
    private static final int EPHEMERAL_PORTS_START = ephemeralPortsStart();
    /** Ports {@link #free} handed out in this JVM: two listeners about to start never get the same one. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private LoopbackPorts() {
    }

    /**
     * Whether something listens on {@code port} of {@code host} already: binding it fails. A broker started there would
     * fail to bind too, and meanwhile its readiness check would be answered by whatever listens.
     */
    public static boolean isInUse(String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port), 1);
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * A loopback port nothing listens on, for a listener to be started on it a moment later: never handed out twice by
     * this JVM, and chosen below the kernel's ephemeral range. Binding port 0 and closing hands the same port out again
     * until the listener binds it: one quorum node's broker got the port of another node's controller that had not bound
     * yet, and failed ("Address already in use"). And a port of the ephemeral range can be taken meanwhile as the local
     * port of any outgoing connection; one below it cannot.
     */
    public static int free() {
        int below = EPHEMERAL_PORTS_START;
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(FREE_PORTS_START, below);
            if (!HANDED_OUT.contains(port) && !isInUse("127.0.0.1", port) && HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("No free loopback port between " + FREE_PORTS_START + " and " + below);
    }

    /** The first port of the kernel's ephemeral range (ip_local_port_range), 32768 where it cannot be read. */
    private static int ephemeralPortsStart() {
        try {
            // read line by line: /proc files report a size of 0, and a read sized by it returns only their first bytes
            String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range"), StandardCharsets.US_ASCII).get(0).trim();
            int start = Integer.parseInt(range.split("\\s+")[0]);
            return start > FREE_PORTS_START + 1000 ? start : 32768;
        } catch (IOException | RuntimeException e) {
            return 32768;
        }
    }
}
