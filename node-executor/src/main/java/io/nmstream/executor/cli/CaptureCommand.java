package io.nmstream.executor.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nmstream.executor.backend.NetworkBackend;
import io.nmstream.nmstate.InterfaceSpec;
import io.nmstream.nmstate.NetworkState;
import io.nmstream.nmstate.NmstateWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code nmstream node capture IFACE... --as-nncp NAME}: turns the current state of some interfaces into a
 * NodeNetworkConfigurationPolicy manifest, so that a host configured by hand becomes the template for a fleet.
 */
@Command(name = "capture", mixinStandardHelpOptions = true,
    description = "Print the current state of interfaces as a NodeNetworkConfigurationPolicy manifest.")
public final class CaptureCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParentCommand
    NodeCommand parent;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "IFACE", description = "Interfaces to capture (with the routes through them).")
    List<String> interfaces;

    @Option(names = "--as-nncp", required = true, paramLabel = "NAME", description = "Name of the policy to write.")
    String name;

    @Option(names = "--node-selector", paramLabel = "KEY=VALUE", description = "Label the policy selects nodes by; repeatable.")
    Map<String, String> nodeSelector = new LinkedHashMap<>();

    @Override
    public Integer call() {
        if (!name.matches("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?")) {
            spec.commandLine().getErr().println("--as-nncp: '" + name + "' is not a valid Kubernetes name (lower case letters, digits, "
                + "'-' and '.')");
            return 2;
        }
        try (NetworkBackend backend = parent.backend()) {
            NetworkState current = backend.currentState();
            List<String> missing = interfaces.stream().filter(i -> current.find(i).isEmpty()).toList();
            if (!missing.isEmpty()) {
                spec.commandLine().getErr().println("Not managed on this node: " + String.join(", ", missing));
                return 1;
            }
            spec.commandLine().getOut().print(NmstateWriter.yaml(manifest(current)));
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    /** The manifest: host-specific facts (MAC addresses, veth peers, kernel routes) are left out of the desired state. */
    ObjectNode manifest(NetworkState current) {
        List<InterfaceSpec> captured = new ArrayList<>();
        for (String iface : interfaces) {
            InterfaceSpec i = current.find(iface).orElseThrow();
            captured.add(i.toBuilder().macAddress(null).vethPeer(null).controller(null).build());
        }
        NetworkState desired = new NetworkState(captured,
            current.routes().stream().filter(r -> interfaces.contains(r.nextHopInterface())).toList(), List.of(), null);
        ObjectNode root = JSON.createObjectNode();
        root.put("apiVersion", "nmstate.io/v1");
        root.put("kind", "NodeNetworkConfigurationPolicy");
        root.putObject("metadata").put("name", name);
        ObjectNode specNode = root.putObject("spec");
        if (!nodeSelector.isEmpty()) {
            ObjectNode selector = specNode.putObject("nodeSelector");
            nodeSelector.forEach(selector::put);
        }
        specNode.set("desiredState", NmstateWriter.toTree(desired));
        return root;
    }
}
