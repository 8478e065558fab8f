package io.nmstream.executor.cli;

import io.nmstream.executor.agent.NodeAgent;
import io.nmstream.executor.agent.NodeAgentSettings;
import io.nmstream.schemas.identity.NodeKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code nmstream node key}: prints this host's public key, the one its agent signs with, for an operator's
 * {@code nmstream node rekey} after a reinstall. Creates no key: only the agent does, at its first start.
 */
@Command(name = "key", mixinStandardHelpOptions = true,
    description = "Print the public key this host's node agent signs with (base64), for 'nmstream node rekey'.")
public final class KeyCommand implements Callable<Integer> {

    @Option(names = "--state-dir", paramLabel = "DIR", description = "The agent's state directory (default: ${DEFAULT-VALUE}).")
    Path stateDir = Path.of(NodeAgentSettings.STATE_DIR.defaultValue());

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Path file = stateDir.resolve(NodeAgent.KEY_FILE);
        if (!Files.exists(file)) {
            spec.commandLine().getErr().println("No node key in " + file + ": the node agent creates it at its first start");
            return 1;
        }
        spec.commandLine().getOut().println(NodeKey.loadOrCreate(file).publicKey());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
