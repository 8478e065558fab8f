package io.nmstream.reconciler.node;

import io.nmstream.schemas.avro.CommandKind;

/**
 * The one command a node is running (one at a time across all policies).
 *
 * @param commandId command id
 * @param policy policy name
 * @param generation policy generation the command carries
 * @param kind APPLY or REVERT
 * @param deadlineMillis when it counts as failed with reason Timeout
 * @param sentBy the run of the node's task that sent it (or last re-sent it); a command sent by an earlier run (null
 *     when stored before runs were recorded) is re-sent with a fresh deadline by the run that inherits it
 * @param slot whether it runs under one of the partition's rollout slots of its policy, which it holds until its result
 */
public record CommandInFlight(String commandId, String policy, long generation, CommandKind kind, long deadlineMillis,
                              String sentBy, boolean slot) {
}
