package io.nmstream.executor.cli;

import io.nmstream.executor.backend.Checkpoint;
import io.nmstream.executor.backend.NetworkBackend;
import picocli.CommandLine.Command;

/** {@code nmstream node rollback [CHECKPOINT]}: undoes a pending apply, restoring the state its checkpoint saved. */
@Command(name = "rollback", mixinStandardHelpOptions = true,
    description = "Undo a pending apply (--no-commit): restore the state its checkpoint saved.")
public final class RollbackCommand extends CheckpointCommand {

    @Override
    String finish(NetworkBackend backend, Checkpoint target) {
        backend.rollback(target);
        return "Rolled back to checkpoint " + target + ".";
    }
}
