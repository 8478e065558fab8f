package io.nmstream.executor.apply;

import io.nmstream.executor.backend.Checkpoint;
import io.nmstream.nmstate.NetworkState;
import java.time.Duration;

/**
 * A successful apply.
 *
 * @param pendingCheckpoint the checkpoint left uncommitted ({@code --no-commit}); null when committed
 * @param after the host's state after the apply
 * @param duration how long the apply took
 */
public record ApplyResult(Checkpoint pendingCheckpoint, NetworkState after, Duration duration) {
}
