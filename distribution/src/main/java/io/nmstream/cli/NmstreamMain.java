package io.nmstream.cli;

/** Entry point of the single {@code nmstream} command. */
public final class NmstreamMain {

    private NmstreamMain() {
    }

    public static void main(String[] args) {
        System.exit(NmstreamCommand.commandLine().execute(args));
    }
}
