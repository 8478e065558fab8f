package io.nmstream.bench.http;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The bench's slow-loris clients: connections that start a request without credentials and never finish it, half in
 * their headers and half in their body, each sending one more byte every second (reconnecting when the server closes
 * it) for as long as they are open.
 */
final class SlowConnections implements AutoCloseable {

    private final int port;
    private final List<Socket> sockets = new ArrayList<>();
    private final Thread dripper;
    private volatile boolean open = true;

    private SlowConnections(int port) {
        this.port = port;
        this.dripper = new Thread(this::drip, "bench-slow-clients");
        this.dripper.setDaemon(true);
    }

    static SlowConnections open(int port, int count) throws IOException {
        SlowConnections slow = new SlowConnections(port);
        for (int i = 0; i < count; i++) {
            slow.sockets.add(slow.start(i));
        }
        slow.dripper.start();
        return slow;
    }

    private Socket start(int index) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 30_000);
        String started = index % 2 == 0
            ? "POST /v1/policies HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow-"
            : "POST /v1/policies HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/yaml\r\nContent-Length: 1000000\r\n\r\napi";
        OutputStream out = socket.getOutputStream();
        out.write(started.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    private void drip() {
        while (open) {
            for (int i = 0; i < sockets.size() && open; i++) {
                try {
                    sockets.get(i).getOutputStream().write('x');
                } catch (IOException closedByTheServer) {
                    try {
                        sockets.get(i).close();
                        sockets.set(i, start(i));
                    } catch (IOException e) {
                        // the next round tries again
                    }
                }
            }
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        open = false;
        dripper.interrupt();
        dripper.join(5_000);
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing the bench's own sockets
            }
        }
    }
}
