package io.nmstream.ingest;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nmstream.common.config.Config;
import io.nmstream.common.config.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Start-up refuses bad settings with a message naming them, before connecting to anything. */
class PolicyIngestServiceTest {

    @Test
    void refusesToServeTheHttpApiWithoutAToken() {
        assertThatThrownBy(() -> PolicyIngestService.start(Config.of(Map.of())))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("ingest.http.token").hasMessageContaining("NMSTREAM_INGEST_HTTP_TOKEN")
            .hasMessageContaining("ingest.http.tokens.file").hasMessageContaining("NMSTREAM_INGEST_HTTP_TOKENS_FILE");
    }

    @Test
    void refusesAMalformedSetting() {
        assertThatThrownBy(() -> PolicyIngestService.start(Config.of(Map.of("ingest.http.port", "eighty"))))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("ingest.http.port").hasMessageContaining("eighty");
    }
}
