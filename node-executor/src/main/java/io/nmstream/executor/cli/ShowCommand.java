package io.nmstream.executor.cli;

import io.nmstream.executor.backend.NetworkBackend;
import io.nmstream.nmstate.NetworkState;
import io.nmstream.nmstate.NmstateWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code nmstream node show [IFACE] [--json]}: the current state as nmstate YAML (or JSON). */
@Command(name = "show", mixinStandardHelpOptions = true, description = "Show the current network state (nmstate YAML).")
public final class ShowCommand implements Callable<Integer> {

    @ParentCommand
    NodeCommand parent;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "IFACE", description = "Only this interface (and the routes through it).")
    String iface;

    @Option(names = "--json", description = "Print JSON instead of YAML.")
    boolean json;

    @Override
    public Integer call() {
        try (NetworkBackend backend = parent.backend()) {
            NetworkState state = backend.currentState();
            if (iface != null) {
                if (state.find(iface).isEmpty()) {
                    spec.commandLine().getErr().println("Interface " + iface + " is not managed on this node");
                    return 1;
                }
                state = state.only(List.of(iface));
            }
            spec.commandLine().getOut().print(json ? NmstateWriter.toJson(state) + "\n" : NmstateWriter.toYaml(state));
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
