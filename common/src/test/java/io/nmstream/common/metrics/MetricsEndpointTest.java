package io.nmstream.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class MetricsEndpointTest {

    @Test
    void servesRecordedMetersInPrometheusTextFormat() throws Exception {
        try (MetricsEndpoint endpoint = MetricsEndpoint.start(0)) {
            endpoint.registry().counter("nmstream.enactments", "outcome", "available").increment(3);
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
            assertThat(response.body()).contains("nmstream_enactments_total{outcome=\"available\"} 3.0").contains("jvm_memory_used_bytes");
        }
    }
}
