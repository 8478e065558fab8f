package io.nmstream.executor.cli;

import io.nmstream.executor.backend.BackendException;
import io.nmstream.executor.backend.Checkpoint;
import io.nmstream.executor.backend.NetworkBackend;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** A command that ends a pending apply's checkpoint one way or the other ({@code node commit}, {@code node rollback}). */
abstract class CheckpointCommand implements Callable<Integer> {

    @ParentCommand
    NodeCommand parent;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "CHECKPOINT", description = "Checkpoint path; default: the latest one.")
    String checkpoint;

    /** Ends {@code target}; returns what to tell the user. */
    abstract String finish(NetworkBackend backend, Checkpoint target);

    @Override
    public final Integer call() {
        try (NetworkBackend backend = parent.backend()) {
            Checkpoint target = CheckpointCommands.find(backend, checkpoint);
            spec.commandLine().getOut().println(finish(backend, target));
            spec.commandLine().getOut().flush();
            return 0;
        } catch (BackendException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return 1;
        }
    }
}
