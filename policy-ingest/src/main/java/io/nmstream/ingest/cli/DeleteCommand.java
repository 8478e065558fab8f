package io.nmstream.ingest.cli;

import io.nmstream.ingest.manifest.LabelSyntax;
import io.nmstream.ingest.publish.PolicyChange;
import io.nmstream.ingest.publish.PolicyPublisher;
import io.nmstream.ingest.publish.PolicySources;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code policy delete NAME}: publishes the deletion of a policy. */
@Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a policy by name.")
public final class DeleteCommand extends ClusterCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "The policy's metadata.name.")
    String name;

    @Override
    Integer before() {
        if (name.isEmpty() || !LabelSyntax.isPolicyReference(name)) {
            err().println("error: \"" + name + "\" is not a policy name: " + LabelSyntax.NAME_RULE);
            return ExitCodes.INVALID_INPUT;
        }
        return null;
    }

    @Override
    int run(PolicyPublisher publisher) {
        Optional<PolicyChange> change = publisher.delete(name, PolicySources.cli(user(), CLIENT));
        if (change.isEmpty()) {
            err().println("error: policy/" + name + " not found");
            return ExitCodes.INVALID_INPUT;
        }
        out().println(change.get().describe());
        return ExitCodes.OK;
    }
}
