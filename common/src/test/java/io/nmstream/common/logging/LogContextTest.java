package io.nmstream.common.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class LogContextTest {

    @AfterEach
    void clearMdc() {
        MDC.clear();
    }

    @Test
    void putsPolicyGenerationNodeAndCommandIdWhileOpenAndClearsThemAfter() {
        try (LogContext ignored = LogContext.of("vlan-100", 3, "worker-1", "cmd-7")) {
            assertThat(MDC.getCopyOfContextMap()).containsEntry("policy", "vlan-100").containsEntry("generation", "3")
                .containsEntry("node", "worker-1").containsEntry("commandId", "cmd-7");
        }

        assertThat(MDC.get("policy")).isNull();
        assertThat(MDC.get("commandId")).isNull();
    }

    @Test
    void anInnerContextGivesBackTheOuterOneWhenClosed() {
        try (LogContext outer = LogContext.of("vlan-100", 3, "worker-1", "cmd-7")) {
            try (LogContext inner = LogContext.of("bond0", 1, "worker-1", null)) {
                assertThat(MDC.get("policy")).isEqualTo("bond0");
                assertThat(MDC.get("commandId")).isNull();
            }
            assertThat(MDC.get("policy")).isEqualTo("vlan-100");
            assertThat(MDC.get("commandId")).isEqualTo("cmd-7");
        }
    }
}
