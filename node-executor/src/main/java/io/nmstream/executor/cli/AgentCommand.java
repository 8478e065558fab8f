package io.nmstream.executor.cli;

import io.nmstream.common.config.Config;
import io.nmstream.executor.NodeExecutorMain;
import io.nmstream.executor.agent.NodeAgentSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code nmstream node agent}: runs the node agent in the foreground until stopped. */
@Command(name = "agent", mixinStandardHelpOptions = true,
    description = "Run the node agent: apply this node's commands from Kafka and report every step.")
public final class AgentCommand implements Callable<Integer> {

    @ParentCommand
    NodeCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--set", paramLabel = "NAME=VALUE",
        description = "A setting (node.name, node.labels, kafka.bootstrap.servers, registry.url, ...); repeatable. "
            + "NMSTREAM_* environment variables set the same.")
    Map<String, String> settings = new LinkedHashMap<>();

    @Override
    public Integer call() {
        Map<String, String> values = new LinkedHashMap<>(settings);
        if (!parent.busAddress().isEmpty()) {
            values.putIfAbsent(NodeAgentSettings.BUS_ADDRESS.name(), parent.busAddress());
        }
        return NodeExecutorMain.runUnlessItCannotStart(Config.fromEnvironment(values),
            problem -> spec.commandLine().getErr().println("error: " + problem));
    }
}
