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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Probes that send real packets from this process: an ICMP echo (or TCP echo) to the default gateway, and a DNS query
 * for the root zone's name servers to the name servers in use, all at once.
 */
public final class ConnectivityProbes {

    private static final int DNS_PORT = 53;
    /** The resolver asks at most three name servers (MAXNS in resolv.conf(5)). */
    private static final int MAX_NAME_SERVERS = 3;

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

    /**
     * Sends one DNS query to each of {@code servers} at once (at most three, as the resolver uses), and passes when one of
     * them answers within {@code timeout}: a name server that does not answer costs one timeout, not one each.
     */
    public static ProbeResult dns(List<String> servers, Duration timeout) {
        if (servers.isEmpty()) {
            return ProbeResult.notApplicable(Probe.DNS, "no name server configured");
        }
        List<String> asked = servers.stream().distinct().limit(MAX_NAME_SERVERS).toList();
        List<String> unreachable = new ArrayList<>();
        try (DatagramSocket socket = new DatagramSocket()) {
            short id = (short) ThreadLocalRandom.current().nextInt();
            byte[] query = rootNsQuery(id);
            Map<InetAddress, String> byAddress = new HashMap<>();
            for (String server : asked) {
                try {
                    InetAddress address = InetAddress.getByName(server);
                    socket.send(new DatagramPacket(query, query.length, new InetSocketAddress(address, DNS_PORT)));
                    byAddress.put(address, server);
                } catch (IOException e) {
                    unreachable.add("name server " + server + " is unreachable: " + e.getMessage());
                }
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            byte[] buffer = new byte[512];
            while (!byAddress.isEmpty()) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    break;
                }
                socket.setSoTimeout((int) left);
                DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(reply);
                } catch (SocketTimeoutException e) {
                    break;
                }
                String server = byAddress.get(reply.getAddress());
                if (server != null && reply.getLength() >= 2 && ByteBuffer.wrap(buffer, 0, 2).getShort() == id) {
                    return ProbeResult.passed(Probe.DNS, "name server " + server + " answers");
                }
            }
            List<String> silent = asked.stream().filter(byAddress::containsValue).toList();
            if (!silent.isEmpty()) {
                unreachable.add((silent.size() == 1 ? "name server " + silent.get(0) : "name servers " + String.join(", ", silent))
                    + " did not answer within " + timeout.toMillis() + " ms");
            }
        } catch (IOException e) {
            unreachable.add("name servers " + String.join(", ", asked) + " cannot be asked: " + e.getMessage());
        }
        return ProbeResult.failed(Probe.DNS, String.join("; ", unreachable));
    }

    /** A standard recursive query for the NS records of the root zone. */
    private static byte[] rootNsQuery(short id) {
        ByteBuffer b = ByteBuffer.allocate(17);
        b.putShort(id).putShort((short) 0x0100).putShort((short) 1).putShort((short) 0).putShort((short) 0).putShort((short) 0);
        b.put((byte) 0).putShort((short) 2).putShort((short) 1);
        return b.array();
    }
}
