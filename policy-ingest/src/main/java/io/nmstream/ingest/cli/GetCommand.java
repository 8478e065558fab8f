package io.nmstream.ingest.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.nmstream.common.policy.PolicyManifests;
import io.nmstream.common.status.NmstateKind;
import io.nmstream.ingest.publish.PolicyPublisher;
import io.nmstream.schemas.avro.PolicyEvent;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code policy get [NAME] [-o yaml|json]}: the published policies, as a table or as NNCP documents. */
@Command(name = "get", aliases = "show", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = ExitCodes.INVALID_INPUT,
    description = "Show published policies.")
public final class GetCommand extends ClusterCommand {

    /** Output formats of {@code -o}. */
    enum Format { table, yaml, json }

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "One policy, by name or as nncp/NAME; all when "
        + "omitted.")
    String name;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "table (default), yaml or json.")
    Format format = Format.table;

    @Override
    Integer before() {
        if (name != null) {
            try {
                name = NmstateKind.policyName(name);
            } catch (IllegalArgumentException e) {
                err().println("error: " + e.getMessage());
                return ExitCodes.INVALID_INPUT;
            }
        }
        return null;
    }

    @Override
    int run(PolicyPublisher publisher) {
        List<PolicyEvent> policies = name == null ? publisher.published().live()
            : publisher.published().live(name).map(List::of).orElse(List.of());
        if (name != null && policies.isEmpty()) {
            err().println(NmstateKind.NNCP.notFound(name));
            return ExitCodes.INVALID_INPUT;
        }
        try {
            switch (format) {
                case table -> printTable(policies);
                case yaml -> printYaml(policies);
                case json -> printJson(policies);
                default -> throw new IllegalStateException("unknown format " + format);
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("policies always render", e);
        }
        return ExitCodes.OK;
    }

    private void printTable(List<PolicyEvent> policies) {
        String row = "%-32s %-10s %-15s %-14s %s%n";
        out().printf(row, "NAME", "GENERATION", "MAXUNAVAILABLE", "DIGEST", "SOURCE");
        for (PolicyEvent policy : policies) {
            out().printf(row, policy.getName(), policy.getGeneration(), policy.getMaxUnavailable(),
                policy.getDesiredStateDigest().substring(0, 12), policy.getSource().getKind() + " " + policy.getSource().getOrigin());
        }
    }

    private void printYaml(List<PolicyEvent> policies) throws JsonProcessingException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
        for (int i = 0; i < policies.size(); i++) {
            if (i > 0) {
                out().println("---");
            }
            out().print(yaml.writeValueAsString(PolicyManifests.of(policies.get(i))));
        }
    }

    private void printJson(List<PolicyEvent> policies) throws JsonProcessingException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        if (name != null) {
            out().println(json.writeValueAsString(PolicyManifests.of(policies.get(0))));
            return;
        }
        ObjectNode list = json.createObjectNode();
        list.put("apiVersion", "v1");
        list.put("kind", "List");
        ArrayNode items = list.putArray("items");
        policies.forEach(policy -> items.add(PolicyManifests.of(policy)));
        out().println(json.writeValueAsString(list));
    }
}
