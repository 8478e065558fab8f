package io.nmstream.executor.backend;

import io.nmstream.nmstate.NetworkState;
import io.nmstream.nmstate.Route;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Probes that send real packets from this process: an ICMP echo (or TCP echo) to the default gateway, and a DNS query
 * for the root zone's name servers to the first configured name server.
 */
public final class ConnectivityProbes {

    private static final int DNS_PORT = 53;

    private ConnectivityProbes() {
    }

    /** Probes the gateway of the first IPv4 (else IPv6) default route of {@code state}. */
    public static ProbeResult defaultGateway(NetworkState state, Duration timeout) {
        Optional<Route> route = state.runningRoutes().stream()
            .filter(r -> (r.destination().equals("0.0.0.0/0") || r.destination().equals("::/0")) && r.nextHopAddress() != null)
            .findFirst();
        if (route.isEmpty()) {
            return ProbeResult.notApplicable(Probe.DEFAULT_GATEWAY, "no default gateway");
        }
        String gateway = route.get().nextHopAddress();
        try {
            boolean answered = InetAddress.getByName(gateway).isReachable((int) timeout.toMillis());
            return answered ? ProbeResult.passed(Probe.DEFAULT_GATEWAY, "default gateway " + gateway + " answers")
                : ProbeResult.failed(Probe.DEFAULT_GATEWAY, "default gateway " + gateway + " does not answer");
        } catch (IOException e) {
            return ProbeResult.failed(Probe.DEFAULT_GATEWAY, "default gateway " + gateway + " is unreachable: " + e.getMessage());
        }
    }

    /** Sends one DNS query to the first configured name server. */
    public static ProbeResult dns(NetworkState state, Duration timeout) {
        if (state.dns() == null || state.dns().servers() == null || state.dns().servers().isEmpty()) {
            return ProbeResult.notApplicable(Probe.DNS, "no name server configured");
        }
        String server = state.dns().servers().get(0);
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            short id = (short) ThreadLocalRandom.current().nextInt();
            byte[] query = rootNsQuery(id);
            socket.send(new DatagramPacket(query, query.length, new InetSocketAddress(InetAddress.getByName(server), DNS_PORT)));
            byte[] buffer = new byte[512];
            DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
            socket.receive(reply);
            boolean ours = reply.getLength() >= 2 && ByteBuffer.wrap(buffer, 0, 2).getShort() == id;
            return ours ? ProbeResult.passed(Probe.DNS, "name server " + server + " answers")
                : ProbeResult.failed(Probe.DNS, "name server " + server + " sent an unrelated reply");
        } catch (SocketTimeoutException e) {
            return ProbeResult.failed(Probe.DNS, "name server " + server + " did not answer within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            return ProbeResult.failed(Probe.DNS, "name server " + server + " is unreachable: " + e.getMessage());
        }
    }

    /** A standard recursive query for the NS records of the root zone. */
    private static byte[] rootNsQuery(short id) {
        ByteBuffer b = ByteBuffer.allocate(17);
        b.putShort(id).putShort((short) 0x0100).putShort((short) 1).putShort((short) 0).putShort((short) 0).putShort((short) 0);
        b.put((byte) 0).putShort((short) 2).putShort((short) 1);
        return b.array();
    }
}
