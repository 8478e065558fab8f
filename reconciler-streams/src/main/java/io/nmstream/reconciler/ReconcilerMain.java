package io.nmstream.reconciler;

import picocli.CommandLine;

/** Runs the reconciler as a service: {@code java -cp ... io.nmstream.reconciler.ReconcilerMain [--set name=value ...]}. */
public final class ReconcilerMain {

    private ReconcilerMain() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ReconcilerCommand()).execute(args));
    }
}
