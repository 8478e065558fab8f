package io.nmstream.status.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nmstream.schemas.avro.EnactmentPhase;
import io.nmstream.schemas.avro.ResourceKind;
import io.nmstream.status.Events;
import io.nmstream.status.fold.StatusFold;
import io.nmstream.common.status.NmstateKind;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusPrinterTest {

    private final Events events = new Events();

    @Test
    void nncpTableShowsTheTrueConditionAndItsReasonAsKubectlDoes() {
        StatusFold fold = new StatusFold();
        fold.apply(events.upsert("br1", 1));
        fold.apply(events.enactment("a", "br1", 1, EnactmentPhase.PROGRESSING));
        fold.apply(events.upsert("a-much-longer-policy-name", 1));
        fold.apply(events.matched("a-much-longer-policy-name", 1, 0));
        StringWriter out = new StringWriter();

        StatusPrinter.table(new PrintWriter(out), NmstateKind.NNCP, fold.statuses(ResourceKind.NNCP), false);

        assertThat(out.toString()).isEqualTo("""
            NAME                        STATUS        REASON
            a-much-longer-policy-name   Ignored       NoMatchingNode
            br1                         Progressing   ConfigurationProgressing
            """);
    }

    @Test
    void nnceTableShowsTheColumnsOfTheCrdStatusStatusAgeAndReason() {
        StatusFold fold = new StatusFold();
        fold.apply(events.enactment("a", "br1", 1, EnactmentPhase.FAILING, "no carrier"));
        Instant failedAt = events.now();
        fold.apply(events.enactment("b", "br1", 1, EnactmentPhase.AVAILABLE));
        StringWriter out = new StringWriter();

        StatusPrinter.table(new PrintWriter(out), NmstateKind.NNCE, fold.statuses(ResourceKind.NNCE), false,
            failedAt.plusSeconds(200));

        assertThat(out.toString()).isEqualTo("""
            NAME    STATUS      STATUS AGE   REASON
            a.br1   Failing     3m20s        FailedToConfigure
            b.br1   Available   3m19s        SuccessfullyConfigured
            """);
    }

    @Test
    void wideNnceTableAddsGenerationAndMessage() {
        StatusFold fold = new StatusFold();
        fold.apply(events.enactment("a", "br1", 2, EnactmentPhase.FAILING, "no carrier"));
        StringWriter out = new StringWriter();

        StatusPrinter.table(new PrintWriter(out), NmstateKind.NNCE, fold.statuses(ResourceKind.NNCE), true,
            events.now().plus(Duration.ofHours(5)));

        assertThat(out.toString()).isEqualTo("""
            NAME    STATUS    STATUS AGE   REASON              GENERATION   MESSAGE
            a.br1   Failing   5h           FailedToConfigure   2            no carrier
            """);
    }

    @Test
    void statusAgesAreWrittenAsKubectlWritesThem() {
        assertThat(List.of(Duration.ofSeconds(45), Duration.ofSeconds(119), Duration.ofSeconds(200), Duration.ofMinutes(9),
            Duration.ofMinutes(12), Duration.ofMinutes(179), Duration.ofMinutes(310), Duration.ofHours(30), Duration.ofHours(75),
            Duration.ofDays(30), Duration.ofDays(800), Duration.ofDays(3650), Duration.ofMillis(-500), Duration.ofSeconds(-5)))
            .extracting(StatusAge::of)
            .containsExactly("45s", "119s", "3m20s", "9m", "12m", "179m", "5h10m", "30h", "3d3h", "30d", "2y70d", "10y", "0s",
                "<invalid>");
    }

    @Test
    void aRetryingNodesErrorIsShownOnceThoughItIsFailingAndProgressing() {
        StatusFold fold = new StatusFold();
        fold.apply(events.enactment("a", "br1", 1, EnactmentPhase.RETRYING, "no carrier (attempt 1 of 5; next in 1000 ms)"));
        StringWriter out = new StringWriter();

        StatusPrinter.table(new PrintWriter(out), NmstateKind.NNCE, fold.statuses(ResourceKind.NNCE), true,
            events.now().plusSeconds(7));

        assertThat(out.toString()).isEqualTo("""
            NAME    STATUS                STATUS AGE   REASON                                       GENERATION   MESSAGE
            a.br1   Failing,Progressing   7s           FailedToConfigure,ConfigurationProgressing   1            \
            Retrying after attempt 1 failed: no carrier (attempt 1 of 5; next in 1000 ms)
            """);
    }

    @Test
    void outputFormatNamesTheBadValueAndTheAcceptedOnes() {
        assertThat(OutputFormat.parse("YAML", OutputFormat.YAML, OutputFormat.JSON)).isEqualTo(OutputFormat.YAML);
        assertThatThrownBy(() -> OutputFormat.parse("xml", OutputFormat.WIDE, OutputFormat.YAML, OutputFormat.JSON))
            .hasMessage("Unknown output format 'xml': expected one of wide, yaml, json");
    }

    @Test
    void sinceIsAnInstantOrADurationAgo() {
        Instant now = Instant.parse("2026-03-24T12:00:00Z");

        assertThat(AuditCommand.parseSince("2026-03-24T10:00:00Z", now)).isEqualTo(Instant.parse("2026-03-24T10:00:00Z"));
        assertThat(AuditCommand.parseSince("90m", now)).isEqualTo(Instant.parse("2026-03-24T10:30:00Z"));
        assertThatThrownBy(() -> AuditCommand.parseSince("last tuesday", now))
            .hasMessageStartingWith("--since 'last tuesday' is neither an ISO-8601 instant");
    }
}
