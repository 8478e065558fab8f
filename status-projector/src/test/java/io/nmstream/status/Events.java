package io.nmstream.status;

import io.nmstream.schemas.Digests;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;
import io.nmstream.schemas.avro.NodeNetworkState;
import io.nmstream.schemas.avro.PolicyAction;
import io.nmstream.schemas.avro.PolicyEvent;
import io.nmstream.schemas.avro.PolicySource;
import io.nmstream.schemas.avro.RolloutEvent;
import io.nmstream.schemas.avro.SourceKind;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Builds the events of a rollout for tests, with a clock that advances one second per event. */
public final class Events {

    /** The desired state of every policy these events carry. */
    public static final String DESIRED_STATE = "{\"interfaces\":[]}";

    private Instant now = Instant.parse("2026-03-24T10:00:00Z");

    /** The time the last event carried. */
    public Instant now() {
        return now;
    }

    /** The time the next event will carry. */
    public Instant next() {
        now = now.plusSeconds(1);
        return now;
    }

    public PolicyEvent upsert(String policy, long generation) {
        return upsert(policy, "uid-" + policy, generation);
    }

    public PolicyEvent upsert(String policy, String uid, long generation) {
        return PolicyEvent.newBuilder().setAction(PolicyAction.UPSERT).setName(policy).setUid(uid).setGeneration(generation)
            .setNodeSelector(Map.of()).setDesiredState(DESIRED_STATE).setDesiredStateDigest(Digests.sha256Hex(DESIRED_STATE))
            .setSource(PolicySource.newBuilder().setKind(SourceKind.CLI).setOrigin("test").setUser("alice").build())
            .setEventTime(next()).build();
    }

    public PolicyEvent delete(String policy, long generation) {
        return PolicyEvent.newBuilder().setAction(PolicyAction.DELETE).setName(policy).setUid("uid-" + policy)
            .setGeneration(generation).setSource(PolicySource.newBuilder().setKind(SourceKind.CLI).build())
            .setEventTime(next()).build();
    }

    public EnactmentEvent enactment(String node, String policy, long generation, EnactmentPhase phase) {
        return enactment(node, policy, generation, phase, "");
    }

    public EnactmentEvent enactment(String node, String policy, long generation, EnactmentPhase phase, String message) {
        Instant at = next();
        boolean fromNode = phase != EnactmentPhase.PENDING && phase != EnactmentPhase.ABORTED && phase != EnactmentPhase.REMOVED;
        boolean finished = phase == EnactmentPhase.AVAILABLE || phase == EnactmentPhase.FAILING;
        return EnactmentEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setNode(node).setPolicy(policy)
            .setGeneration(generation).setCommandId(fromNode ? "cmd-" + node + "-" + generation : null).setPhase(phase)
            .setReason(phase == EnactmentPhase.PENDING ? "MaxUnavailableLimitReached" : "").setMessage(message)
            .setAttempt(fromNode ? 1 : 0).setStartedAt(fromNode ? at.minusMillis(1500) : null).setFinishedAt(finished ? at : null)
            .setDurationMillis(finished ? 1500L : null).setDesiredStateDigest("d" + generation)
            .setErrorDetail(phase == EnactmentPhase.FAILING ? "NetworkManager: " + message : null).setTimestamp(at).build();
    }

    /** The reconciler's count of the nodes generation {@code generation} of {@code policy} matches. */
    public RolloutEvent matched(String policy, long generation, int matchedNodes) {
        return RolloutEvent.newBuilder().setPolicy(policy).setUid("uid-" + policy).setGeneration(generation).setMatchedNodes(matchedNodes)
            .setMaxUnavailableNodes(Math.max(1, (matchedNodes + 1) / 2)).setTimestamp(next()).build();
    }

    public NodeNetworkState nodeState(String node, String currentState) {
        return NodeNetworkState.newBuilder().setNode(node).setCurrentState(currentState)
            .setDigest(Integer.toHexString(currentState.hashCode()))
            .setNetworkManagerVersion("1.42.2").setObservedAt(next()).build();
    }
}
