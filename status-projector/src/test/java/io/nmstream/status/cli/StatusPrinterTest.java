package io.nmstream.status.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nmstream.schemas.avro.EnactmentPhase;
import io.nmstream.schemas.avro.ResourceKind;
import io.nmstream.status.Events;
import io.nmstream.status.fold.StatusFold;
import io.nmstream.status.resources.NmstateKind;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
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
    void wideNnceTableAddsReasonGenerationAndMessage() {
        StatusFold fold = new StatusFold();
        fold.apply(events.enactment("a", "br1", 2, EnactmentPhase.FAILING, "no carrier"));
        StringWriter out = new StringWriter();

        StatusPrinter.table(new PrintWriter(out), NmstateKind.NNCE, fold.statuses(ResourceKind.NNCE), true);

        assertThat(out.toString()).isEqualTo("""
            NAME    STATUS    REASON              GENERATION   MESSAGE
            a.br1   Failing   FailedToConfigure   2            no carrier
            """);
    }

    @Test
    void aRetryingNodesErrorIsShownOnceThoughItIsFailingAndProgressing() {
        StatusFold fold = new StatusFold();
        fold.apply(events.enactment("a", "br1", 1, EnactmentPhase.RETRYING, "no carrier (attempt 1 of 5; next in 1000 ms)"));
        StringWriter out = new StringWriter();

        StatusPrinter.table(new PrintWriter(out), NmstateKind.NNCE, fold.statuses(ResourceKind.NNCE), true);

        assertThat(out.toString()).isEqualTo("""
            NAME    STATUS                REASON                                       GENERATION   MESSAGE
            a.br1   Failing,Progressing   FailedToConfigure,ConfigurationProgressing   1            \
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
