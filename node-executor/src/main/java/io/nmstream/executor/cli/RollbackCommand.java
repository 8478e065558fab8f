package io.nmstream.executor.cli;

import io.nmstream.executor.backend.BackendException;
import io.nmstream.executor.backend.Checkpoint;
import io.nmstream.executor.backend.NetworkBackend;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code nmstream node rollback [CHECKPOINT]}: Undo a pending apply (--no-commit): restore the state its checkpoint saved. */
@Command(name = "rollback", mixinStandardHelpOptions = true,
    description = "Undo a pending apply (--no-commit): restore the state its checkpoint saved.")
public final class RollbackCommand implements Callable<Integer> {

    @ParentCommand
    NodeCommand parent;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "CHECKPOINT", description = "Checkpoint path; default: the latest one.")
    String checkpoint;

    @Override
    public Integer call() {
        try (NetworkBackend backend = parent.backend()) {
            Checkpoint target = CheckpointCommands.find(backend, checkpoint);
            backend.rollback(target);
            spec.commandLine().getOut().println("Rolled back to checkpoint " + target + ".");
            spec.commandLine().getOut().flush();
            return 0;
        } catch (BackendException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return 1;
        }
    }
}
