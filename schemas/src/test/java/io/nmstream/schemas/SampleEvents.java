package io.nmstream.schemas;

import io.nmstream.schemas.avro.CommandKind;
import io.nmstream.schemas.avro.DesiredStateCommand;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;
import io.nmstream.schemas.avro.NodeEvent;
import io.nmstream.schemas.avro.NodeNetworkState;
import io.nmstream.schemas.avro.PolicyAction;
import io.nmstream.schemas.avro.PolicyEvent;
import io.nmstream.schemas.avro.PolicySource;
import io.nmstream.schemas.avro.ProbeSettings;
import io.nmstream.schemas.avro.ResourceKind;
import io.nmstream.schemas.avro.ResourceStatus;
import io.nmstream.schemas.avro.SourceKind;
import io.nmstream.schemas.avro.StatusCondition;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One realistic event of every type, with every optional field set (so a round trip that dropped one would show), at
 * millisecond precision as the schemas' timestamp-millis keeps it.
 */
public final class SampleEvents {

    static final Instant T0 = Instant.parse("2026-03-24T12:30:00.123Z");
    static final String DESIRED_STATE = "{\"interfaces\":[{\"ipv4\":{\"dhcp\":true,\"enabled\":true},\"name\":\"br1\","
        + "\"state\":\"up\",\"type\":\"linux-bridge\"}]}";

    private SampleEvents() {
    }

    public static PolicyEvent policy() {
        return PolicyEvent.newBuilder()
            .setAction(PolicyAction.UPSERT)
            .setName("br1-policy")
            .setUid("5f0c1d2e-aaaa-4bbb-8ccc-000000000001")
            .setGeneration(3)
            .setNodeSelector(Map.of("node-role.kubernetes.io/worker", "", "rack", "r7"))
            .setMaxUnavailable("3")
            .setCapture(Map.of("default-gw", "routes.running.destination==\"0.0.0.0/0\""))
            .setPriority(7)
            .setRevertOnDelete(true)
            .setDesiredState(DESIRED_STATE)
            .setDesiredStateDigest(Digests.sha256Hex(DESIRED_STATE))
            .setSource(PolicySource.newBuilder()
                .setKind(SourceKind.GIT)
                .setOrigin("policies/br1.yaml")
                .setGitCommit("0123456789abcdef0123456789abcdef01234567")
                .setUser("alice")
                .setClient("nmstream-cli/0.1.0")
                .build())
            .setEventTime(T0)
            .build();
    }

    public static NodeEvent node() {
        return NodeEvent.newBuilder()
            .setName("worker-1")
            .setLabels(Map.of("rack", "r7", "kubernetes.io/hostname", "worker-1"))
            .setReady(true)
            .setNetworkManagerVersion("1.46.0")
            .setLastSeen(T0)
            .setRemoved(false)
            .build();
    }

    public static DesiredStateCommand command() {
        return DesiredStateCommand.newBuilder()
            .setCommandId("cmd-7f3a")
            .setNode("worker-1")
            .setPolicy("br1-policy")
            .setGeneration(3)
            .setKind(CommandKind.APPLY)
            .setDesiredState(DESIRED_STATE)
            .setDesiredStateDigest(Digests.sha256Hex(DESIRED_STATE))
            .setIssuedAt(T0)
            .setDeadline(T0.plusSeconds(240))
            .setProbes(ProbeSettings.newBuilder().setDefaultGateway(true).setDns(false).setTimeoutMillis(12_000).build())
            .setCheckpointTimeoutSeconds(120)
            .build();
    }

    public static EnactmentEvent enactment() {
        return EnactmentEvent.newBuilder()
            .setEventId("ev-0001")
            .setNode("worker-1")
            .setPolicy("br1-policy")
            .setGeneration(3)
            .setCommandId("cmd-7f3a")
            .setPhase(EnactmentPhase.FAILING)
            .setReason("FailedToConfigure")
            .setMessage("br1: DHCP lease not obtained within 45s; rolled back")
            .setAttempt(2)
            .setStartedAt(T0)
            .setFinishedAt(T0.plusMillis(45_250))
            .setDurationMillis(45_250L)
            .setDesiredStateDigest(Digests.sha256Hex(DESIRED_STATE))
            .setErrorDetail("NetworkManager: ip-config-unavailable")
            .setTimestamp(T0.plusMillis(45_251))
            .build();
    }

    /** An enactment before any command: the optional fields are null. */
    public static EnactmentEvent pendingEnactment() {
        return EnactmentEvent.newBuilder()
            .setEventId("ev-0000")
            .setNode("worker-2")
            .setPolicy("br1-policy")
            .setGeneration(3)
            .setPhase(EnactmentPhase.PENDING)
            .setReason("MaxUnavailableLimitReached")
            .setMessage("waiting: 3 of 3 allowed nodes are progressing")
            .setTimestamp(T0)
            .build();
    }

    public static NodeNetworkState nodeState() {
        return NodeNetworkState.newBuilder()
            .setNode("worker-1")
            .setCurrentState(DESIRED_STATE)
            .setDigest(Digests.sha256Hex(DESIRED_STATE))
            .setNetworkManagerVersion("1.46.0")
            .setObservedAt(T0)
            .build();
    }

    public static ResourceStatus status() {
        return ResourceStatus.newBuilder()
            .setKind(ResourceKind.NNCP)
            .setName("br1-policy")
            .setGeneration(3)
            .setConditions(List.of(
                StatusCondition.newBuilder().setType("Degraded").setStatus("True").setReason("FailedToConfigure")
                    .setMessage("1/3 nodes failed to configure").setLastTransitionTime(T0).build(),
                StatusCondition.newBuilder().setType("Available").setStatus("False").setReason("FailedToConfigure")
                    .setMessage("").setLastTransitionTime(T0).build()))
            .setLabels(Map.of("nmstate.io/policy", "br1-policy"))
            .setDetail("worker-1: FailedToConfigure")
            .setDeleted(false)
            .setUpdatedAt(T0.plusSeconds(1))
            .build();
    }
}
