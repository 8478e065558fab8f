package io.nmstream.cli;

import io.nmstream.common.cli.ProcessCommandLine;
import io.nmstream.schemas.AvroTrust;

/** Entry point of the single {@code nmstream} command. */
public final class NmstreamMain {

    private NmstreamMain() {
    }

    public static void main(String[] args) {
        AvroTrust.trustGeneratedClasses();
        System.exit(ProcessCommandLine.execute(NmstreamCommand.commandLine(), args));
    }
}
