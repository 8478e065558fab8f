package io.nmstream.common.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nmstream.common.config.Config;
import io.nmstream.common.config.ConfigException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * nmstream's HTTP server as a client on the network meets it: real sockets on the loopback address, clients that send
 * too slowly, too much or garbage, plain HTTP and TLS.
 */
class HttpServerIT {

    private static final String TOKEN = "Bearer t0ken";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Answers {@code GET /hello}, echoes {@code POST /echo}, fails on {@code /boom}; needs the token. */
    private static final HttpService SERVICE = new HttpService() {
        @Override
        public Optional<HttpAnswer> screen(HttpRequest request) {
            return TOKEN.equals(request.header("Authorization")) ? Optional.empty()
                : Optional.of(HttpAnswer.error(401, "missing or wrong bearer token"));
        }

        @Override
        public HttpAnswer answer(HttpRequest request, byte[] body) {
            return switch (request.path()) {
                case "/hello" -> HttpAnswer.json(200, JSON.createObjectNode().put("hello", "world"));
                case "/echo" -> HttpAnswer.text(200, new String(body, StandardCharsets.UTF_8), "text/plain");
                case "/boom" -> throw new IllegalStateException("broken on purpose");
                default -> HttpAnswer.error(404, "no such resource: " + request.path());
            };
        }
    };

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private HttpServer start(HttpServerSettings settings) {
        server = HttpServer.start(settings, SERVICE);
        return server;
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(URI.create(server.url() + path))
            .timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(String body) throws IOException {
        return JSON.readTree(body);
    }

    @Test
    void answersAuthenticatedRequestsWhileFiftySlowClientsHoldConnections() throws Exception {
        // four workers: if a slow client held one while it sends, fifty would starve the server
        start(HttpServerSettings.defaults("test", "127.0.0.1", 0, 1 << 20).withLimits(Config.of(Map.of("http.threads", "4"))));

        try (SlowClients slow = SlowClients.open("127.0.0.1", server.port(), 50, "/echo")) {
            for (int i = 0; i < 20; i++) {
                slow.drip();
                HttpResponse<String> response = get("/hello", TOKEN);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(json(response.body()).get("hello").asText()).isEqualTo("world");
            }
            assertThat(slow.partialHeadersOpen()).as("slow clients still connected while the others were answered").isPositive();
            // the unauthenticated ones that sent headers were refused at once, without waiting for their body
            assertThat(SlowClients.answer(slow.partialBodies().get(0))).startsWith("HTTP/1.1 401").contains("bearer token");
        }
    }

    @Test
    void closesAConnectionThatDoesNotFinishItsHeadersWithinTheHeaderTimeout() throws Exception {
        start(HttpServerSettings.defaults("test", "127.0.0.1", 0, 1 << 20).withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(30)));

        try (SlowClients slow = SlowClients.open("127.0.0.1", server.port(), 2, "/echo")) {
            // dripping a byte now and then keeps the idle timeout away, not the header timeout
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                slow.drip();
                assertThat(slow.partialHeadersOpen()).isZero();
            });
        }
        assertThat(get("/hello", TOKEN).statusCode()).isEqualTo(200);
    }

    @Test
    void aBodyThatDoesNotArriveWithinTheBodyTimeoutGets408AsJson() throws Exception {
        start(HttpServerSettings.defaults("test", "127.0.0.1", 0, 1 << 20).withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(1)));

        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            send(socket, "POST /echo HTTP/1.1\r\nHost: x\r\nAuthorization: " + TOKEN + "\r\nContent-Length: 100\r\n\r\nonly this");
            String answer = SlowClients.answer(socket);

            assertThat(answer).startsWith("HTTP/1.1 408").contains("application/json").contains("{\"error\":\"request body not complete");
        }
    }

    @Test
    void aBodyOverTheLimitGets413AsJsonWhetherAnnouncedOrChunked() throws Exception {
        start(HttpServerSettings.defaults("test", "127.0.0.1", 0, 1_000));

        HttpResponse<String> announced = client.send(java.net.http.HttpRequest.newBuilder(URI.create(server.url() + "/echo"))
            .header("Authorization", TOKEN).POST(BodyPublishers.ofString("x".repeat(1_001))).build(), HttpResponse.BodyHandlers.ofString());
        String chunked;
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            send(socket, "POST /echo HTTP/1.1\r\nHost: x\r\nAuthorization: " + TOKEN + "\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3e8\r\n" + "y".repeat(1_000) + "\r\n" + "1\r\nz\r\n0\r\n\r\n");
            chunked = SlowClients.answer(socket);
        }
        HttpResponse<String> within = client.send(java.net.http.HttpRequest.newBuilder(URI.create(server.url() + "/echo"))
            .header("Authorization", TOKEN).POST(BodyPublishers.ofString("x".repeat(1_000))).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(announced.statusCode()).isEqualTo(413);
        assertThat(json(announced.body()).get("error").asText()).contains("larger than the limit of 1000 bytes");
        assertThat(chunked).startsWith("HTTP/1.1 413").contains("\"error\":\"request body larger than the limit of 1000 bytes\"");
        assertThat(within.statusCode()).isEqualTo(200);
        assertThat(within.body()).hasSize(1_000);
    }

    @Test
    void errorsOfHttpItselfAndOfTheServiceAreJson() throws Exception {
        start(HttpServerSettings.defaults("test", "127.0.0.1", 0, 1 << 20));

        String garbage;
        String hugeHeaders;
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            send(socket, "THIS IS NOT HTTP\r\n\r\n");
            garbage = SlowClients.answer(socket);
        }
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            send(socket, "GET /hello HTTP/1.1\r\nHost: x\r\nX-Padding: " + "p".repeat(10_000) + "\r\n\r\n");
            hugeHeaders = SlowClients.answer(socket);
        }
        HttpResponse<String> failing = get("/boom", TOKEN);

        assertThat(garbage).startsWith("HTTP/1.1 400").contains("application/json").contains("{\"error\":");
        assertThat(hugeHeaders).startsWith("HTTP/1.1 431").contains("application/json").contains("{\"error\":");
        assertThat(failing.statusCode()).isEqualTo(500);
        assertThat(failing.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(json(failing.body()).get("error").asText()).contains("broken on purpose");
    }

    @Test
    void servesHttpsWithTheKeystoreOfItsSettingsAndPlainHttpToThatPortGetsNothing(@TempDir Path dir) throws Exception {
        TestKeystores keystore = TestKeystores.selfSignedForLoopback(dir);
        HttpServerSettings.Declaration declared = HttpServerSettings.declare("test.http", "test", "the test API", 0, false);
        start(declared.from(Config.of(Map.of("test.http.tls.keystore.location", keystore.file().toString(),
            "test.http.tls.keystore.password", keystore.password())), 1 << 20));

        HttpClient tlsClient = HttpClient.newBuilder().sslContext(keystore.clientContext()).build();
        HttpResponse<String> overTls = tlsClient.send(java.net.http.HttpRequest.newBuilder(URI.create(server.url() + "/hello"))
            .header("Authorization", TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        String plain;
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            send(socket, "GET /hello HTTP/1.1\r\nHost: x\r\nAuthorization: " + TOKEN + "\r\n\r\n");
            plain = SlowClients.answer(socket);
        } catch (IOException e) {
            plain = "";
        }

        assertThat(server.url()).startsWith("https://127.0.0.1:");
        assertThat(overTls.statusCode()).isEqualTo(200);
        assertThat(overTls.body()).contains("world");
        assertThat(plain).doesNotContain("world").doesNotStartWith("HTTP/1.1 200");
    }

    @Test
    void aKeystoreThatCannotBeReadStopsTheStartNamingTheSetting(@TempDir Path dir) throws Exception {
        TestKeystores keystore = TestKeystores.selfSignedForLoopback(dir);
        HttpServerSettings.Declaration declared = HttpServerSettings.declare("test.http", "test", "the test API", 0, false);

        assertThatThrownBy(() -> declared.from(Config.of(Map.of("test.http.tls.keystore.location", keystore.file().toString(),
            "test.http.tls.keystore.password", "wrong")), 1 << 20))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("'test.http.tls.keystore.location'").hasMessageContaining(keystore.file().toString())
            .hasMessageNotContaining("wrong");
    }

    @Test
    void listensOnlyOnTheConfiguredAddress() throws Exception {
        start(HttpServerSettings.declare("test.http", "test", "the test API", 0, false).from(Config.of(Map.of()), 1 << 20));

        assertThat(server.url()).startsWith("http://127.0.0.1:");
        assertThat(get("/hello", TOKEN).statusCode()).isEqualTo(200);
        // another loopback address reaches a socket bound to every interface, not one bound to 127.0.0.1
        assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress("127.0.0.2", server.port()), 2_000))
            .isInstanceOf(ConnectException.class);
    }

    private static void send(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }
}
