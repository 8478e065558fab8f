package io.nmstream.executor.cli;

import io.nmstream.executor.backend.Checkpoint;
import io.nmstream.executor.backend.NetworkBackend;
import picocli.CommandLine.Command;

/** {@code nmstream node commit [CHECKPOINT]}: keeps the changes of a pending apply and discards its checkpoint. */
@Command(name = "commit", mixinStandardHelpOptions = true,
    description = "Keep the changes of a pending apply (--no-commit) and discard its checkpoint.")
public final class CommitCommand extends CheckpointCommand {

    @Override
    String finish(NetworkBackend backend, Checkpoint target) {
        backend.commit(target);
        return "Committed checkpoint " + target + ".";
    }
}
