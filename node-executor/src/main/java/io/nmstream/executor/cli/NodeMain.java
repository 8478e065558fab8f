package io.nmstream.executor.cli;

import io.nmstream.common.cli.ProcessCommandLine;
import io.nmstream.schemas.AvroTrust;

/**
 * Entry point of {@code nmstream node} on a host that has only the agent jar ({@code nmstream-agent.jar}): the host
 * command line ({@code show}, {@code apply}, ...) and {@code agent}, with the same options as under {@code nmstream}.
 * The launcher runs every {@code nmstream node} command from it.
 */
public final class NodeMain {

    private NodeMain() {
    }

    public static void main(String[] args) {
        AvroTrust.trustGeneratedClasses();
        System.exit(ProcessCommandLine.execute(NodeCommand.commandLine(new NodeCommand()), args));
    }
}
