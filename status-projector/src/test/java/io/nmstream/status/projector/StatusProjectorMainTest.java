package io.nmstream.status.projector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StatusProjectorMainTest {

    @Test
    void settingsComeAsSetNameValuePairs() {
        assertThat(StatusProjectorMain.parseSettings(new String[] {"--set", "status.http.port=8086", "--set", "registry.url=http://r:8081"}))
            .containsEntry("status.http.port", "8086").containsEntry("registry.url", "http://r:8081");
    }

    @Test
    void anythingElseIsRefusedNamingTheArgument() {
        assertThatThrownBy(() -> StatusProjectorMain.parseSettings(new String[] {"--port", "8086"}))
            .hasMessage("Unexpected argument '--port': use --set name=value");
    }
}
