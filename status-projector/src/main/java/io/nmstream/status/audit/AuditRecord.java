package io.nmstream.status.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One line of the audit trail, as security tools (SIEM) ingest it: a policy change, the nodes the reconciler matched
 * for a policy generation, or one step of an enactment.
 *
 * <p>Field names are stable; new fields may be added, none renamed. {@code timestamp} is ISO-8601 UTC; {@code action} is
 * {@code policy.upsert}, {@code policy.delete}, {@code rollout.matched} (with {@code matchedNodes} and
 * {@code maxUnavailableNodes}) or {@code enactment.<phase>} (pending, progressing, retrying, available, failing, aborted,
 * removed); {@code outcome} is {@code success}, {@code failure} or {@code unknown} (still in progress);
 * {@code duration} is the apply time in milliseconds. For a policy with captures, {@code resolvedState} is the desired
 * state the node rendered from them (nmstate JSON, as a string) and {@code resolvedStateDigest} its SHA-256, which the
 * node signed. The remaining fields carry what the offline status fold needs, so
 * that folding an export gives the same status as the live projection.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"timestamp", "action", "outcome", "node", "policy", "generation", "commandId", "duration", "message",
    "reason", "attempt", "errorDetail", "eventId", "desiredStateDigest", "resolvedStateDigest", "resolvedState", "startedAt",
    "finishedAt", "uid", "user", "source", "origin", "matchedNodes", "maxUnavailableNodes"})
public record AuditRecord(
    String timestamp,
    String action,
    String outcome,
    String node,
    String policy,
    Long generation,
    String commandId,
    Long duration,
    String message,
    String reason,
    Integer attempt,
    String errorDetail,
    String eventId,
    String desiredStateDigest,
    String resolvedStateDigest,
    String resolvedState,
    String startedAt,
    String finishedAt,
    String uid,
    String user,
    String source,
    String origin,
    Integer matchedNodes,
    Integer maxUnavailableNodes) {
}
