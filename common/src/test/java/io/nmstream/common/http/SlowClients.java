package io.nmstream.common.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Clients that start a request and never finish it (the slow-loris attack), without credentials: half stop in the
 * middle of their headers, half send complete headers announcing a body and only its first bytes. Tests of nmstream's
 * HTTP servers hold them open while other clients are served.
 */
public final class SlowClients implements AutoCloseable {

    private final List<Socket> partialHeaders = new ArrayList<>();
    private final List<Socket> partialBodies = new ArrayList<>();

    private SlowClients() {
    }

    /** Opens {@code count} slow connections to {@code host:port}, each with its request started. */
    public static SlowClients open(String host, int port, int count, String path) throws IOException {
        SlowClients clients = new SlowClients();
        try {
            for (int i = 0; i < count; i++) {
                Socket socket = new Socket();
                socket.connect(new InetSocketAddress(host, port), 5_000);
                OutputStream out = socket.getOutputStream();
                if (i % 2 == 0) {
                    String started = "POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: slow-";
                    out.write(started.getBytes(StandardCharsets.US_ASCII));
                    clients.partialHeaders.add(socket);
                } else {
                    out.write(("POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/yaml\r\n"
                        + "Content-Length: 1000000\r\n\r\napiVersion: nmstate.io/v1\n").getBytes(StandardCharsets.US_ASCII));
                    clients.partialBodies.add(socket);
                }
                out.flush();
            }
        } catch (IOException e) {
            clients.close();
            throw e;
        }
        return clients;
    }

    /** Sends one more byte of headers on every connection stopped in its headers, as a slow-loris client does to stay alive. */
    public void drip() {
        for (Socket socket : partialHeaders) {
            try {
                socket.getOutputStream().write('x');
                socket.getOutputStream().flush();
            } catch (IOException e) {
                // closed by the server: what the header timeout is for
            }
        }
    }

    public List<Socket> partialHeaders() {
        return List.copyOf(partialHeaders);
    }

    public List<Socket> partialBodies() {
        return List.copyOf(partialBodies);
    }

    /** How many connections stopped in their headers the server has not closed. */
    public long partialHeadersOpen() {
        return partialHeaders.stream().filter(SlowClients::openByServer).count();
    }

    /** True while the server keeps {@code socket} open without having answered on it. */
    public static boolean openByServer(Socket socket) {
        try {
            socket.setSoTimeout(50);
            // -1: closed; a byte: the server answered (and will close)
            socket.getInputStream().read();
            return false;
        } catch (SocketTimeoutException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** What the server answered on {@code socket} before closing it (empty when it closed without a word). */
    public static String answer(Socket socket) throws IOException {
        socket.setSoTimeout(10_000);
        InputStream in = socket.getInputStream();
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        for (Socket socket : partialHeaders) {
            closeQuietly(socket);
        }
        for (Socket socket : partialBodies) {
            closeQuietly(socket);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing a test's own socket
        }
    }
}
