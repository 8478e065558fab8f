package io.nmstream.executor.apply;

/** The steps of an apply, in nmstate's order. */
public enum ApplyStep {
    VALIDATE, CHECKPOINT, APPLY, VERIFY, PROBE, COMMIT, ROLLBACK
}
