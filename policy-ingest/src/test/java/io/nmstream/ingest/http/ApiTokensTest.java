package io.nmstream.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nmstream.common.config.Config;
import io.nmstream.common.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiTokensTest {

    @TempDir
    Path dir;

    @Test
    void eachTokenOfTheFileStandsForItsUserAndTheSingleTokenForItsOwn() throws IOException {
        Path file = Files.writeString(dir.resolve("tokens"), """
            # who may publish policies
            alice: 0c1d9f2e-alice
            bob:b0b-token-with:colon

            """);

        ApiTokens tokens = ApiTokens.configured(Config.of(Map.of("ingest.http.tokens.file", file.toString(),
            "ingest.http.token", "ci-token", "ingest.http.token.user", "ci-pipeline")));

        assertThat(tokens.user("0c1d9f2e-alice")).hasValue("alice");
        assertThat(tokens.user("b0b-token-with:colon")).hasValue("bob");
        assertThat(tokens.user("ci-token")).hasValue("ci-pipeline");
        assertThat(tokens.user("alice")).isEmpty();
        assertThat(tokens.user("")).isEmpty();
    }

    @Test
    void noSettingMeansNoTokenAndTheApiDoesNotRun() {
        assertThat(ApiTokens.configured(Config.of(Map.of())).isEmpty()).isTrue();
    }

    @Test
    void aBadLineIsNamedByFileAndLineWithoutTheToken() throws IOException {
        Path noUser = Files.writeString(dir.resolve("no-user"), "alice:a-token\n:s3cret-orphan\n");
        Path shared = Files.writeString(dir.resolve("shared"), "alice:same-token\nbob:same-token\n");

        assertThatThrownBy(() -> ApiTokens.configured(Config.of(Map.of("ingest.http.tokens.file", noUser.toString()))))
            .isInstanceOf(ConfigException.class).hasMessage(noUser + " line 2 (ingest.http.tokens.file) is not a user:token line");
        assertThatThrownBy(() -> ApiTokens.configured(Config.of(Map.of("ingest.http.tokens.file", shared.toString()))))
            .isInstanceOf(ConfigException.class).hasMessageContaining("line 2").hasMessageContaining("same token as user 'alice'")
            .hasMessageNotContaining("same-token");
        assertThatThrownBy(() -> ApiTokens.configured(Config.of(Map.of("ingest.http.tokens.file", dir.resolve("none").toString()))))
            .isInstanceOf(ConfigException.class).hasMessageContaining("'ingest.http.tokens.file'")
            .hasMessageContaining("NMSTREAM_INGEST_HTTP_TOKENS_FILE");
    }
}
