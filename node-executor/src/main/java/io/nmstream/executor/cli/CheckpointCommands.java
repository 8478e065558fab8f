package io.nmstream.executor.cli;

import io.nmstream.executor.backend.BackendException;
import io.nmstream.executor.backend.Checkpoint;
import io.nmstream.executor.backend.NetworkBackend;
import java.util.List;

/** What {@code node commit} and {@code node rollback} share: finding the checkpoint meant. */
final class CheckpointCommands {

    private CheckpointCommands() {
    }

    /** The named checkpoint, or the latest one when none is named. */
    static Checkpoint find(NetworkBackend backend, String name) {
        List<Checkpoint> checkpoints = backend.checkpoints();
        if (name != null) {
            return checkpoints.stream().filter(c -> c.id().equals(name)).findFirst()
                .orElseThrow(() -> new BackendException("No checkpoint " + name + " (existing: " + checkpoints + ")"));
        }
        if (checkpoints.isEmpty()) {
            throw new BackendException("There is no checkpoint pending");
        }
        return checkpoints.get(checkpoints.size() - 1);
    }
}
