package io.nmstream.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyQueryTest {

    @Test
    void dryRunIsReadAsOursAndAsKubernetesWriteIt() {
        assertThat(PolicyQuery.of("POST", Map.of("dryRun", List.of("true"))).dryRun()).isTrue();
        assertThat(PolicyQuery.of("DELETE", Map.of("dryRun", List.of("All"))).dryRun()).isTrue();
        assertThat(PolicyQuery.of("POST", Map.of("dryRun", List.of(""))).dryRun()).isTrue();
        assertThat(PolicyQuery.of("POST", Map.of("dryRun", List.of("false")))).isEqualTo(new PolicyQuery(false, null));
        assertThat(PolicyQuery.of("POST", Map.of())).isEqualTo(new PolicyQuery(false, null));
    }

    @Test
    void aValueItCannotReadIsRefusedRatherThanTakenForFalse() {
        PolicyQuery query = PolicyQuery.of("POST", Map.of("dryRun", List.of("yes")));

        assertThat(query.dryRun()).isFalse();
        assertThat(query.problem()).isEqualTo("query parameter dryRun: \"yes\" is not allowed: expected true, All or false; "
            + "nothing was published");
    }

    @Test
    void anUnknownParameterIsRefusedWithTheNearestOneTheMethodTakes() {
        assertThat(PolicyQuery.of("DELETE", Map.of("dryrun", List.of("true"))).problem())
            .isEqualTo("query parameter \"dryrun\" is not accepted; did you mean dryRun? (DELETE takes: dryRun); nothing was published");
        assertThat(PolicyQuery.of("GET", Map.of("dryRun", List.of("true"))).problem())
            .isEqualTo("query parameter \"dryRun\" is not accepted (GET takes no query parameters)");
    }
}
