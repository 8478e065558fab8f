package io.nmstream.bench.http;

import io.nmstream.bench.BenchRun;
import io.nmstream.bench.Scenario;
import io.nmstream.bench.report.Measurement;
import io.nmstream.bench.report.Outcome;
import io.nmstream.bench.report.Percentiles;
import io.nmstream.common.http.HttpServerSettings;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.embedded.EmbeddedCluster;
import io.nmstream.ingest.http.ApiTokens;
import io.nmstream.ingest.http.PolicyHttpServer;
import io.nmstream.ingest.manifest.ManifestParser;
import io.nmstream.ingest.publish.PolicyPublisher;
import io.nmstream.ingest.publish.PolicySources;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Latency of an authenticated request to the policy HTTP API while slow clients hold connections (the slow-loris attack:
 * 25 connections that never finish their headers and 25 that send headers and only the start of a body, without
 * credentials, each sending one more byte every second), against the same requests with no slow client. Every request
 * is {@code GET /v1/policies} with a bearer token on a new connection, read to its end.
 */
public final class SlowClientsScenario implements Scenario {

    /** The bound: an authenticated request is answered in under a second while the attack runs. */
    static final double P95_TARGET_MILLIS = 1_000;
    static final int SLOW_CLIENTS = 50;
    static final int REQUESTS = 200;
    static final int WARMUP = 200;
    /** Requests alternate between the two conditions in rounds, so that neither gets a warmer JVM or a quieter machine. */
    static final int ROUNDS = 4;
    private static final String TOKEN = "bench-" + UUID.randomUUID();
    private static final String POLICY = """
        apiVersion: nmstate.io/v1
        kind: NodeNetworkConfigurationPolicy
        metadata:
          name: bench-http
        spec:
          desiredState:
            interfaces:
            - name: eth1
              type: ethernet
              state: up
              mtu: 9000
        """;

    @Override
    public String name() {
        return "http";
    }

    @Override
    public List<Measurement> run(BenchRun run) throws Exception {
        EmbeddedCluster cluster = run.cluster();
        String namespace = run.namespace(name(), SLOW_CLIENTS);
        cluster.createTopics(namespace);
        ClusterSettings settings = new ClusterSettings(cluster.config().with(ClusterSettings.TOPIC_NAMESPACE.name(), namespace));
        double[] quiet;
        double[] attacked;
        try (PolicyPublisher publisher = PolicyPublisher.connect(settings, Duration.ofSeconds(30), "bench-http");
             PolicyHttpServer api = new PolicyHttpServer(publisher, HttpServerSettings.defaults("policy-api", "127.0.0.1", 0, 1 << 20),
                 ApiTokens.of(Map.of(TOKEN, "bench"))).start()) {
            publisher.apply(new ManifestParser().parse("bench-http.yaml", POLICY).policies(), PolicySources.cli("bench", "bench"), false);
            measure(api.port(), WARMUP);
            quiet = new double[0];
            attacked = new double[0];
            for (int round = 0; round < ROUNDS; round++) {
                quiet = concat(quiet, measure(api.port(), REQUESTS / ROUNDS));
                try (SlowConnections slow = SlowConnections.open(api.port(), SLOW_CLIENTS)) {
                    attacked = concat(attacked, measure(api.port(), REQUESTS / ROUNDS));
                }
            }
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("requests", REQUESTS);
        details.put("warmup", WARMUP);
        details.put("rounds", ROUNDS + " (requests alternate between the two conditions, " + REQUESTS / ROUNDS + " at a time)");
        details.put("slowClients", SLOW_CLIENTS + " (half stopped in their headers, half in their body; unauthenticated; one byte "
            + "more every second)");
        details.put("request", "GET /v1/policies with a bearer token, one policy in force, a new connection per request");
        details.put("nmstream", "with the slow clients connected");
        details.put("baseline", "the same requests with no slow client");
        details.put("samplesWithSlowClientsMillis", rounded(attacked));
        details.put("samplesWithoutMillis", rounded(quiet));
        double p95 = Percentiles.of(attacked, 95);
        return List.of(
            new Measurement(name(), "p50", Percentiles.of(attacked, 50), Percentiles.of(quiet, 50), "ms", 1, "-", Outcome.NOT_JUDGED,
                details),
            new Measurement(name(), "p95", p95, Percentiles.of(quiet, 95), "ms", 1, "p95 < 1000 ms with " + SLOW_CLIENTS + " slow clients",
                Outcome.of(p95 < P95_TARGET_MILLIS), Map.of()),
            new Measurement(name(), "max", Percentiles.of(attacked, 100), Percentiles.of(quiet, 100), "ms", 1, "-", Outcome.NOT_JUDGED,
                Map.of()));
    }

    /** Milliseconds of {@code count} authenticated requests, one after the other, each on its own connection. */
    private static double[] measure(int port, int count) throws IOException {
        double[] samples = new double[count];
        byte[] request = ("GET /v1/policies HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN
            + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < count; i++) {
            long started = System.nanoTime();
            String status;
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 30_000);
                socket.setSoTimeout(30_000);
                OutputStream out = socket.getOutputStream();
                out.write(request);
                out.flush();
                InputStream in = socket.getInputStream();
                byte[] answer = in.readAllBytes();
                status = new String(answer, 0, Math.min(12, answer.length), StandardCharsets.US_ASCII);
            }
            samples[i] = (System.nanoTime() - started) / 1e6;
            if (!status.equals("HTTP/1.1 200")) {
                throw new IllegalStateException("request " + i + " was answered '" + status + "', not 200");
            }
        }
        return samples;
    }

    private static double[] concat(double[] a, double[] b) {
        double[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static List<Double> rounded(double[] samples) {
        List<Double> out = new ArrayList<>();
        for (double sample : samples) {
            out.add(Math.round(sample * 100) / 100.0);
        }
        return out;
    }
}
