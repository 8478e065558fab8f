package io.nmstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code nmstream acls}: the kafka-acls commands an operator runs, one principal per service, nothing beyond its needs. */
class AclsCommandTest {

    @Test
    void printsOneCommandPerPrincipalAndResourceInTheNamespace() {
        List<String> lines = acls("--namespace", "prod", "--bootstrap-servers", "kafka-1:9093",
            "--command-config", "/etc/kafka/admin.properties");

        assertThat(lines).contains(
            "# ingest: User:nmstream-ingest",
            "kafka-acls.sh --bootstrap-server kafka-1:9093 --command-config /etc/kafka/admin.properties --add --allow-principal "
                + "User:nmstream-ingest --operation Read --operation Write --topic prod.policies",
            "kafka-acls.sh --bootstrap-server kafka-1:9093 --command-config /etc/kafka/admin.properties --add --allow-principal "
                + "User:nmstream-ingest --operation Write --transactional-id prod.policies.publisher",
            "kafka-acls.sh --bootstrap-server kafka-1:9093 --command-config /etc/kafka/admin.properties --add --allow-principal "
                + "User:nmstream-agent --operation Read --group prod.node-agent. --resource-pattern-type prefixed",
            "kafka-acls.sh --bootstrap-server kafka-1:9093 --command-config /etc/kafka/admin.properties --add --allow-principal "
                + "User:nmstream-reconciler --operation Read --group nmstream-reconciler");
        // what a principal may write is exactly the README's table of writers
        assertThat(writers(lines, "prod.policies")).containsExactly("User:nmstream-ingest");
        assertThat(writers(lines, "prod.commands")).containsExactly("User:nmstream-reconciler");
        assertThat(writers(lines, "prod.enactments")).containsExactlyInAnyOrder("User:nmstream-reconciler", "User:nmstream-agent");
        assertThat(writers(lines, "prod.status")).containsExactly("User:nmstream-projector");
        assertThat(writers(lines, "prod.node-states")).containsExactly("User:nmstream-agent");
        assertThat(writers(lines, "prod.node-identities")).containsExactly("User:nmstream-operator");
        assertThat(lines).filteredOn(line -> line.contains("User:nmstream-viewer")).allMatch(line -> !line.contains("Write"));
    }

    @Test
    void principalsFollowThePrefixAndTheReconcilersApplicationId() {
        List<String> lines = acls("--namespace", "lab", "--principal-prefix", "lab-", "--set", "reconciler.application.id=lab-reconciler");

        assertThat(lines).contains("# reconciler: User:lab-reconciler")
            .anyMatch(line -> line.endsWith("--allow-principal User:lab-reconciler --operation All --topic lab-reconciler- "
                + "--resource-pattern-type prefixed"))
            .noneMatch(line -> line.contains("User:nmstream-"));
    }

    private static List<String> writers(List<String> lines, String topic) {
        return lines.stream().filter(line -> line.endsWith("--topic " + topic) && line.contains("--operation Write"))
            .map(line -> line.replaceAll(".*--allow-principal (\\S+).*", "$1")).toList();
    }

    private static List<String> acls(String... args) {
        StringWriter out = new StringWriter();
        var commandLine = NmstreamCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        String[] command = new String[args.length + 1];
        command[0] = "acls";
        System.arraycopy(args, 0, command, 1, args.length);
        assertThat(commandLine.execute(command)).isZero();
        return Arrays.asList(out.toString().split("\n"));
    }
}
