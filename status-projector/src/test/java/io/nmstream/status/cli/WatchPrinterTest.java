package io.nmstream.status.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.schemas.avro.EnactmentPhase;
import io.nmstream.schemas.avro.ResourceKind;
import io.nmstream.schemas.avro.ResourceStatus;
import io.nmstream.status.Events;
import io.nmstream.status.fold.StatusFold;
import io.nmstream.status.resources.NmstateDocuments;
import io.nmstream.common.status.NmstateKind;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class WatchPrinterTest {

    private final Events events = new Events();
    private final StatusFold fold = new StatusFold();
    private final StringWriter out = new StringWriter();

    @Test
    void rowsAfterTheListLineUpUnderItAndADeletionIsPrintedWithTheLastStatus() {
        fold.apply(events.upsert("rdma-nic-config", 1));
        fold.apply(events.enactment("a", "rdma-nic-config", 1, EnactmentPhase.AVAILABLE));
        WatchPrinter printer = printer(out, NmstateKind.NNCP, OutputFormat.TABLE, false, false);
        printer.list(fold.statuses(ResourceKind.NNCP));
        fold.apply(events.upsert("dns", 1));
        fold.apply(events.enactment("a", "dns", 1, EnactmentPhase.PROGRESSING));

        printer.changes(List.of(policy("dns")));
        printer.changes(List.of(deleted(policy("dns"))));

        assertThat(out.toString()).isEqualTo("""
            NAME              STATUS      REASON
            rdma-nic-config   Available   SuccessfullyConfigured
            dns               Progressing   ConfigurationProgressing
            dns               Progressing   ConfigurationProgressing
            """);
    }

    @Test
    void withWatchEventsEachRowSaysWhetherItWasAddedModifiedOrDeleted() {
        fold.apply(events.upsert("br1", 1));
        fold.apply(events.enactment("a", "br1", 1, EnactmentPhase.PROGRESSING));
        WatchPrinter printer = printer(out, NmstateKind.NNCP, OutputFormat.TABLE, true, false);
        printer.list(fold.statuses(ResourceKind.NNCP));
        fold.apply(events.enactment("a", "br1", 1, EnactmentPhase.AVAILABLE));
        ResourceStatus available = policy("br1");
        fold.apply(events.upsert("dns", 1));

        printer.changes(List.of(available, policy("dns"), deleted(available)));
        printer.changes(List.of(deleted(available)));

        assertThat(out.toString()).isEqualTo("""
            EVENT      NAME   STATUS        REASON
            ADDED      br1    Progressing   ConfigurationProgressing
            MODIFIED   br1    Available     SuccessfullyConfigured
            ADDED      dns
            DELETED    br1    Available     SuccessfullyConfigured
            """);
    }

    @Test
    void withWatchEventsDocumentsAreKubectlsTypeAndObject() {
        fold.apply(events.upsert("br1", 1));
        WatchPrinter printer = printer(out, NmstateKind.NNCP, OutputFormat.YAML, true, false);
        printer.list(fold.statuses(ResourceKind.NNCP));

        printer.changes(List.of(deleted(policy("br1"))));

        assertThat(out.toString()).startsWith("type: ADDED\nobject:\n  apiVersion: nmstate.io/v1\n")
            .contains("\n---\ntype: DELETED\nobject:\n  apiVersion: nmstate.io/v1\n  kind: NodeNetworkConfigurationPolicy\n");
    }

    @Test
    void aNodeWatchedByNameShowsItsInterfacesAndEveryNodeWatchedShowsOneRowPerChange() {
        ResourceStatus node = fold.apply(events.nodeState("worker-0",
            "{\"interfaces\":[{\"name\":\"eth0\",\"type\":\"ethernet\",\"state\":\"up\",\"mtu\":1500}]}")).get(0);
        StringWriter byName = new StringWriter();
        WatchPrinter one = printer(byName, NmstateKind.NNS, OutputFormat.TABLE, false, true);
        one.list(List.of(node));
        WatchPrinter all = printer(out, NmstateKind.NNS, OutputFormat.TABLE, false, false);
        all.list(List.of());

        one.changes(List.of(node));
        all.changes(List.of(node));

        assertThat(byName.toString()).endsWith("""
            NAME   TYPE       STATE   MTU    IPV4   IPV6
            eth0   ethernet   up      1500
            """);
        assertThat(out.toString()).startsWith("NAME").contains("worker-0   eth0   ").doesNotContain("TYPE");
    }

    private ResourceStatus policy(String name) {
        return fold.statuses(ResourceKind.NNCP).stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
    }

    private static ResourceStatus deleted(ResourceStatus status) {
        return ResourceStatus.newBuilder(status).setDeleted(true).build();
    }

    /** A printer of statuses alone, as for every kind but policies printed as YAML or JSON. */
    private static WatchPrinter printer(StringWriter out, NmstateKind kind, OutputFormat format, boolean events, boolean single) {
        return new WatchPrinter(new PrintWriter(out), kind, format, events, single, NmstateDocuments::object);
    }
}
