package io.nmstream.executor.apply;

import io.nmstream.executor.backend.Checkpoint;

/**
 * Called after an apply verified and before its checkpoint is committed: the one moment when a crash must leave the
 * host to roll back. Production uses {@link #OPEN}; crash tests use a gate that holds the apply there.
 */
@FunctionalInterface
public interface CommitGate {

    CommitGate OPEN = (context, checkpoint) -> {
    };

    void beforeCommit(ApplyContext context, Checkpoint checkpoint);
}
