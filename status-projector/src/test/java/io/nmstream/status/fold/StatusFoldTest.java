package io.nmstream.status.fold;

import static io.nmstream.schemas.avro.EnactmentPhase.ABORTED;
import static io.nmstream.schemas.avro.EnactmentPhase.AVAILABLE;
import static io.nmstream.schemas.avro.EnactmentPhase.FAILING;
import static io.nmstream.schemas.avro.EnactmentPhase.PENDING;
import static io.nmstream.schemas.avro.EnactmentPhase.PROGRESSING;
import static io.nmstream.schemas.avro.EnactmentPhase.REMOVED;
import static io.nmstream.schemas.avro.EnactmentPhase.RETRYING;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nmstream.schemas.Digests;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;
import io.nmstream.schemas.avro.NodeNetworkState;
import io.nmstream.schemas.avro.ResourceKind;
import io.nmstream.schemas.avro.ResourceStatus;
import io.nmstream.schemas.avro.StatusCondition;
import io.nmstream.status.Events;
import io.nmstream.status.resources.NmstateDocuments;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StatusFoldTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Events events = new Events();
    private final StatusFold fold = new StatusFold();

    @Test
    void namesEachEnactmentAfterNodeAndPolicyAndLabelsIt() {
        fold.apply(events.upsert("br1", 1));
        fold.apply(events.enactment("worker-0", "br1", 1, PROGRESSING));

        ResourceStatus nnce = nnce("worker-0.br1");
        assertThat(nnce.getLabels()).containsEntry("nmstate.io/node", "worker-0").containsEntry("nmstate.io/policy", "br1");
        assertThat(nnce.getGeneration()).isEqualTo(1);
        assertThat(trueTypes(nnce)).containsExactly("Progressing");
        assertThat(condition(nnce, "Progressing").getReason()).isEqualTo("ConfigurationProgressing");
    }

    @Test
    void pendingEnactmentWaitsForMaxUnavailable() {
        fold.apply(events.upsert("br1", 1));
        fold.apply(events.enactment("worker-0", "br1", 1, PENDING));

        ResourceStatus nnce = nnce("worker-0.br1");
        assertThat(trueTypes(nnce)).containsExactly("Pending");
        assertThat(condition(nnce, "Pending").getReason()).isEqualTo("MaxUnavailableLimitReached");
        assertThat(nnce.getConditions()).extracting(StatusCondition::getType)
            .containsExactlyInAnyOrder("Available", "Failing", "Progressing", "Pending", "Aborted");
    }

    @Test
    void nodeQueuedForItsSlotIsPendingAsQueuedNotAsHeldBackByTheLimit() {
        EnactmentEvent queued = EnactmentEvent.newBuilder(events.enactment("worker-0", "br1", 1, PENDING, "Queued for a rollout slot"))
            .setReason("QueuedForRollout").build();
        // what the reconciler wrote for a queued node before it leased slots to node partitions, still in the audit log
        EnactmentEvent legacy = EnactmentEvent.newBuilder(events.enactment("worker-1", "br1", 1, PENDING, "Waiting for a rollout slot"))
            .setReason("AwaitingRolloutSlot").build();

        fold.apply(queued);
        fold.apply(legacy);

        StatusCondition pending = condition(nnce("worker-0.br1"), "Pending");
        assertThat(pending.getStatus()).isEqualTo("True");
        assertThat(pending.getReason()).isEqualTo("QueuedForRollout");
        assertThat(pending.getMessage()).isEqualTo("Queued for a rollout slot");
        assertThat(condition(nnce("worker-1.br1"), "Pending").getReason()).isEqualTo("QueuedForRollout");
    }

    @Test
    void failingEnactmentCarriesTheNodesErrorMessage() {
        fold.apply(events.upsert("br1", 1));
        fold.apply(events.enactment("worker-0", "br1", 1, FAILING, "Interface ens8f0np0: MTU 9000 exceeds the maximum supported"));

        ResourceStatus nnce = nnce("worker-0.br1");
        assertThat(trueTypes(nnce)).containsExactly("Failing");
        assertThat(condition(nnce, "Failing").getReason()).isEqualTo("FailedToConfigure");
        assertThat(condition(nnce, "Failing").getMessage()).isEqualTo("Interface ens8f0np0: MTU 9000 exceeds the maximum supported");
    }

    @Test
    void anEnactmentWhoseNodeResolvedCapturesShowsTheStateItResolvedAsTheNncesDesiredState() throws Exception {
        String resolved = "{\"interfaces\":[{\"ipv4\":{\"address\":[{\"ip\":\"192.0.2.10\",\"prefix-length\":24}]},\"name\":\"br1\"}]}";
        fold.apply(events.upsert("br1", 1));
        fold.apply(EnactmentEvent.newBuilder(events.enactment("worker-0", "br1", 1, AVAILABLE)).setResolvedState(resolved)
            .setResolvedStateDigest(Digests.sha256Hex(resolved)).build());
        fold.apply(events.enactment("worker-1", "br1", 1, AVAILABLE));
        fold.apply(EnactmentEvent.newBuilder(events.enactment("worker-2", "br1", 1, AVAILABLE)).setResolvedState("not json")
            .setResolvedStateDigest(Digests.sha256Hex("not json")).build());

        Map<String, Object> captured = NmstateDocuments.statusStanza(nnce("worker-0.br1"));
        assertThat(JSON.<JsonNode>valueToTree(captured.get("desiredState"))).isEqualTo(JSON.readTree(resolved));
        assertThat(captured.get("desiredStateMetaInfo")).isEqualTo(Map.of("desiredStateDigest", "d1"));
        Map<String, Object> plain = NmstateDocuments.statusStanza(nnce("worker-1.br1"));
        assertThat(plain).doesNotContainKey("desiredState");
        assertThat(plain.get("desiredStateMetaInfo")).isEqualTo(Map.of("desiredStateDigest", "d1"));
        // what no NNCE could hold as its desiredState (an object) is left out; the digest stays
        assertThat(NmstateDocuments.statusStanza(nnce("worker-2.br1"))).doesNotContainKey("desiredState")
            .containsEntry("desiredStateMetaInfo", Map.of("desiredStateDigest", "d1"));
    }

    @Test
    void availableAbortedAndRetryingEnactmentsHaveKubernetesNmstateConditions() {
        fold.apply(events.upsert("br1", 1));
        fold.apply(events.enactment("a", "br1", 1, AVAILABLE));
        fold.apply(events.enactment("b", "br1", 1, ABORTED));
        fold.apply(events.enactment("c", "br1", 1, RETRYING, "carrier lost"));

        assertThat(trueTypes(nnce("a.br1"))).containsExactly("Available");
        assertThat(condition(nnce("a.br1"), "Available").getReason()).isEqualTo("SuccessfullyConfigured");
        assertThat(trueTypes(nnce("b.br1"))).containsExactly("Aborted");
        assertThat(condition(nnce("b.br1"), "Aborted").getReason()).isEqualTo("ConfigurationAborted");
        assertThat(trueTypes(nnce("c.br1"))).containsExactlyInAnyOrder("Failing", "Progressing");
        assertThat(condition(nnce("c.br1"), "Failing").getMessage()).isEqualTo("carrier lost");
    }

    @Test
    void newPolicyIsUnknownUntilTheReconcilerMatchedItNeverIgnored() {
        List<ResourceStatus> changes = fold.apply(events.upsert("br1", 1));

        assertThat(changes).singleElement().satisfies(nncp -> {
            assertThat(trueTypes(nncp)).isEmpty();
            assertThat(nncp.getConditions()).extracting(StatusCondition::getType)
                .containsExactlyInAnyOrder("Available", "Degraded", "Progressing", "Ignored");
            assertThat(nncp.getConditions()).extracting(StatusCondition::getStatus).containsOnly("Unknown");
        });
    }

    @Test
    void newPolicyIsProgressingAsSoonAsTheReconcilerMatchedItBeforeAnyNodeReports() {
        fold.apply(events.upsert("br1", 1));

        fold.apply(events.matched("br1", 1, 3));

        ResourceStatus nncp = nncp("br1");
        assertThat(trueTypes(nncp)).containsExactly("Progressing");
        assertThat(condition(nncp, "Progressing").getReason()).isEqualTo("ConfigurationProgressing");
        assertThat(condition(nncp, "Progressing").getMessage()).isEqualTo("Policy is progressing 0/3 nodes finished, 3 pending");

        fold.apply(events.enactment("a", "br1", 1, PROGRESSING));
        fold.apply(events.enactment("b", "br1", 1, PENDING));
        assertThat(condition(nncp("br1"), "Progressing").getMessage()).as("a node that started is not pending, one told to wait is")
            .isEqualTo("Policy is progressing 0/3 nodes finished, 2 pending");
        fold.apply(events.enactment("a", "br1", 1, AVAILABLE));
        assertThat(condition(nncp("br1"), "Progressing").getMessage()).isEqualTo("Policy is progressing 1/3 nodes finished, 2 pending");
    }

    @Test
    void policyThatMatchesNoNodeIsIgnored() {
        fold.apply(events.upsert("br1", 1));
        fold.apply(events.matched("br1", 1, 0));

        ResourceStatus nncp = nncp("br1");
        assertThat(trueTypes(nncp)).containsExactly("Ignored");
        assertThat(condition(nncp, "Ignored").getReason()).isEqualTo("NoMatchingNode");
        assertThat(condition(nncp, "Ignored").getMessage()).isEqualTo("Policy does not match any node");
    }

    @Test
    void policyIsProgressingWhileNodesAreUnfinishedAndCountsPendingOnes() {
        fold.apply(events.upsert("br1", 1));
        fold.apply(events.enactment("a", "br1", 1, AVAILABLE));
        fold.apply(events.enactment("b", "br1", 1, PROGRESSING));
        fold.apply(events.enactment("c", "br1", 1, PENDING));

        ResourceStatus nncp = nncp("br1");
        assertThat(trueTypes(nncp)).containsExactly("Progressing");
        assertThat(condition(nncp, "Progressing").getReason()).isEqualTo("ConfigurationProgressing");
        assertThat(condition(nncp, "Progressing").getMessage()).isEqualTo("Policy is progressing 1/3 nodes finished, 1 pending");

        fold.apply(events.enactment("c", "br1", 1, PROGRESSING));
        fold.apply(events.enactment("b", "br1", 1, AVAILABLE));
        assertThat(condition(nncp("br1"), "Progressing").getMessage()).isEqualTo("Policy is progressing 2/3 nodes finished");
    }

    @Test
    void policyIsAvailableWhenEveryNodeIsConfigured() {
        fold.apply(events.upsert("br1", 1));
        for (String node : List.of("a", "b", "c")) {
            fold.apply(events.enactment(node, "br1", 1, PROGRESSING));
            fold.apply(events.enactment(node, "br1", 1, AVAILABLE));
        }

        ResourceStatus nncp = nncp("br1");
        assertThat(trueTypes(nncp)).containsExactly("Available");
        assertThat(condition(nncp, "Available").getReason()).isEqualTo("SuccessfullyConfigured");
        assertThat(condition(nncp, "Available").getMessage()).isEqualTo("3/3 nodes successfully configured");
    }

    @Test
    void policyIsDegradedAsSoonAsOneNodeFails() {
        fold.apply(events.upsert("br1", 1));
        fold.apply(events.enactment("a", "br1", 1, PROGRESSING));
        fold.apply(events.enactment("b", "br1", 1, PENDING));
        fold.apply(events.enactment("c", "br1", 1, PENDING));
        fold.apply(events.enactment("a", "br1", 1, FAILING, "boom"));

        ResourceStatus nncp = nncp("br1");
        assertThat(trueTypes(nncp)).containsExactly("Degraded");
        assertThat(condition(nncp, "Degraded").getReason()).isEqualTo("FailedToConfigure");
        assertThat(condition(nncp, "Degraded").getMessage()).isEqualTo("1/3 nodes failed to configure");

        fold.apply(events.enactment("b", "br1", 1, ABORTED));
        fold.apply(events.enactment("c", "br1", 1, ABORTED));
        assertThat(condition(nncp("br1"), "Degraded").getMessage())
            .isEqualTo("1/3 nodes failed to configure, 2 nodes aborted configuration");
    }

    @Test
    void retryingNodeCountsAsFailedUntilALaterAttemptSucceeds() {
        fold.apply(events.upsert("br1", 1));
        fold.apply(events.enactment("a", "br1", 1, RETRYING, "timeout waiting for carrier"));
        assertThat(trueTypes(nncp("br1"))).containsExactly("Degraded");

        fold.apply(events.enactment("a", "br1", 1, AVAILABLE));
        assertThat(trueTypes(nncp("br1"))).containsExactly("Available");
    }

    @Test
    void onlyTheCurrentGenerationCounts() {
        fold.apply(events.upsert("br1", 1));
        for (String node : List.of("a", "b", "c")) {
            fold.apply(events.enactment(node, "br1", 1, AVAILABLE));
        }
        assertThat(trueTypes(nncp("br1"))).containsExactly("Available");

        fold.apply(events.upsert("br1", 2));
        ResourceStatus nncp = nncp("br1");
        assertThat(nncp.getGeneration()).isEqualTo(2);
        assertThat(condition(nncp, "Progressing").getMessage()).as("nodes at generation 1 have yet to start generation 2")
            .isEqualTo("Policy is progressing 0/3 nodes finished, 3 pending");

        fold.apply(events.enactment("a", "br1", 2, AVAILABLE));
        fold.apply(events.enactment("b", "br1", 2, PENDING));
        assertThat(condition(nncp("br1"), "Progressing").getMessage()).isEqualTo("Policy is progressing 1/3 nodes finished, 2 pending");
        assertThat(nnce("c.br1").getGeneration()).isEqualTo(1);

        fold.apply(events.enactment("b", "br1", 2, AVAILABLE));
        fold.apply(events.enactment("c", "br1", 2, AVAILABLE));
        assertThat(condition(nncp("br1"), "Available").getMessage()).isEqualTo("3/3 nodes successfully configured");
    }

    @Test
    void failuresOfAnOlderGenerationDoNotDegradeTheCurrentOne() {
        fold.apply(events.upsert("br1", 1));
        fold.apply(events.enactment("a", "br1", 1, PROGRESSING));
        fold.apply(events.enactment("b", "br1", 1, PROGRESSING));
        fold.apply(events.upsert("br1", 2));
        fold.apply(events.enactment("a", "br1", 2, AVAILABLE));
        // b still works on generation 1 and fails it: b's NNCE shows it, the policy's generation 2 does not count it
        fold.apply(events.enactment("b", "br1", 1, FAILING, "old failure"));

        assertThat(trueTypes(nnce("b.br1"))).containsExactly("Failing");
        assertThat(trueTypes(nncp("br1"))).containsExactly("Progressing");
        assertThat(condition(nncp("br1"), "Progressing").getMessage()).isEqualTo("Policy is progressing 1/2 nodes finished, 1 pending");
    }

    @Test
    void staleEventOfAnOlderGenerationLeavesTheEnactmentAlone() {
        fold.apply(events.upsert("br1", 2));
        fold.apply(events.enactment("a", "br1", 2, AVAILABLE));

        List<ResourceStatus> changes = fold.apply(events.enactment("a", "br1", 1, FAILING, "late"));

        assertThat(changes).isEmpty();
        assertThat(trueTypes(nnce("a.br1"))).containsExactly("Available");
        assertThat(trueTypes(nncp("br1"))).containsExactly("Available");
    }

    @Test
    void nodeThatStopsMatchingLeavesThePolicyCount() {
        fold.apply(events.upsert("br1", 1));
        fold.apply(events.enactment("a", "br1", 1, AVAILABLE));
        fold.apply(events.enactment("b", "br1", 1, AVAILABLE));
        fold.apply(events.enactment("c", "br1", 1, FAILING, "boom"));
        assertThat(trueTypes(nncp("br1"))).containsExactly("Degraded");

        List<ResourceStatus> changes = fold.apply(events.enactment("c", "br1", 1, REMOVED));

        assertThat(changes).filteredOn(s -> s.getKind() == ResourceKind.NNCE).singleElement()
            .satisfies(s -> assertThat(s.getDeleted()).isTrue());
        assertThat(fold.status(ResourceKind.NNCE, "c.br1")).isEmpty();
        assertThat(condition(nncp("br1"), "Available").getMessage()).isEqualTo("2/2 nodes successfully configured");
    }

    @Test
    void policyWhoseLastNodeStopsMatchingIsIgnored() {
        fold.apply(events.upsert("br1", 1));
        fold.apply(events.matched("br1", 1, 2));
        fold.apply(events.enactment("a", "br1", 1, AVAILABLE));
        fold.apply(events.enactment("a", "br1", 1, REMOVED));
        assertThat(condition(nncp("br1"), "Progressing").getMessage()).as("b was matched and never started")
            .isEqualTo("Policy is progressing 0/1 nodes finished, 1 pending");

        fold.apply(events.enactment("b", "br1", 1, REMOVED));

        assertThat(trueTypes(nncp("br1"))).containsExactly("Ignored");
    }

    @Test
    void aNodeANewNodeSelectorLeavesOutIsNotTakenOffTheNewGenerationsCount() {
        // generation 2 selects node b instead, and the reconciler counted b alone
        configuredOnNodeAThenChanged();
        fold.apply(events.matched("br1", 2, 1));

        List<ResourceStatus> changes = fold.apply(events.enactment("a", "br1", 1, REMOVED));

        assertThat(changes).filteredOn(s -> s.getKind() == ResourceKind.NNCP).allSatisfy(s ->
            assertThat(trueTypes(s)).as("never Ignored while b is to be configured").containsExactly("Progressing"));
        assertThat(condition(nncp("br1"), "Progressing").getMessage()).isEqualTo("Policy is progressing 0/1 nodes finished, 1 pending");
        fold.apply(events.enactment("b", "br1", 2, AVAILABLE));
        assertThat(condition(nncp("br1"), "Available").getMessage()).isEqualTo("1/1 nodes successfully configured");
    }

    @Test
    void aNewGenerationIsUnknownUntilCountedEvenWhenTheNodesOfTheOldOneLeaveMeanwhile() {
        configuredOnNodeAThenChanged();
        assertThat(trueTypes(nncp("br1"))).as("generation 2 not matched yet, as kubernetes-nmstate resets a changed policy").isEmpty();

        fold.apply(events.enactment("a", "br1", 1, REMOVED));

        assertThat(trueTypes(nncp("br1"))).as("generation 2 not matched yet: Unknown, not Ignored").isEmpty();
        assertThat(condition(nncp("br1"), "Ignored").getStatus()).isEqualTo("Unknown");
        fold.apply(events.matched("br1", 2, 1));
        assertThat(condition(nncp("br1"), "Progressing").getMessage()).isEqualTo("Policy is progressing 0/1 nodes finished, 1 pending");
    }

    /** Policy br1's generation 1, counted on node a alone and configured there, then its generation 2 published. */
    private void configuredOnNodeAThenChanged() {
        fold.apply(events.upsert("br1", 1));
        fold.apply(events.matched("br1", 1, 1));
        fold.apply(events.enactment("a", "br1", 1, AVAILABLE));
        fold.apply(events.upsert("br1", 2));
    }

    @Test
    void lastTransitionTimeChangesOnlyWhenTheStatusOfAConditionChanges() {
        fold.apply(events.upsert("br1", 1));
        fold.apply(events.enactment("a", "br1", 1, PROGRESSING));
        Instant progressingSince = condition(nncp("br1"), "Progressing").getLastTransitionTime();
        Instant ignoredFalseSince = condition(nncp("br1"), "Ignored").getLastTransitionTime();

        fold.apply(events.enactment("b", "br1", 1, PROGRESSING));
        fold.apply(events.enactment("a", "br1", 1, AVAILABLE));
        ResourceStatus stillProgressing = nncp("br1");
        assertThat(condition(stillProgressing, "Progressing").getMessage()).isEqualTo("Policy is progressing 1/2 nodes finished");
        assertThat(condition(stillProgressing, "Progressing").getLastTransitionTime()).isEqualTo(progressingSince);

        fold.apply(events.enactment("b", "br1", 1, AVAILABLE));
        ResourceStatus available = nncp("br1");
        assertThat(condition(available, "Progressing").getLastTransitionTime()).isAfter(progressingSince);
        assertThat(condition(available, "Available").getLastTransitionTime()).isAfter(progressingSince);
        assertThat(condition(available, "Ignored").getLastTransitionTime()).isEqualTo(ignoredFalseSince);
    }

    @Test
    void eventThatChangesNothingPublishesNothing() {
        fold.apply(events.upsert("br1", 1));
        fold.apply(events.enactment("a", "br1", 1, AVAILABLE));

        assertThat(fold.apply(events.enactment("a", "br1", 1, AVAILABLE))).isEmpty();
        assertThat(fold.apply(events.upsert("br1", 1))).isEmpty();
    }

    @Test
    void deletedPolicyIsReportedOnceAndLateEnactmentsDoNotBringItBack() {
        fold.apply(events.upsert("br1", 1));
        fold.apply(events.enactment("a", "br1", 1, PROGRESSING));

        List<ResourceStatus> changes = fold.apply(events.delete("br1", 1));
        assertThat(changes).singleElement().satisfies(s -> {
            assertThat(s.getKind()).isEqualTo(ResourceKind.NNCP);
            assertThat(s.getDeleted()).isTrue();
        });
        assertThat(fold.apply(events.enactment("a", "br1", 1, AVAILABLE))).isEmpty();
        assertThat(fold.status(ResourceKind.NNCP, "br1")).isEmpty();

        assertThat(fold.apply(events.enactment("a", "br1", 1, REMOVED))).singleElement()
            .satisfies(s -> assertThat(s.getDeleted()).isTrue());
        assertThat(fold.statuses(ResourceKind.NNCE)).isEmpty();
    }

    @Test
    void policyCreatedAgainAfterDeleteStartsFromItsNewEnactments() {
        fold.apply(events.upsert("br1", "uid-1", 3));
        fold.apply(events.enactment("a", "br1", 3, AVAILABLE));
        fold.apply(events.delete("br1", 3));
        fold.apply(events.upsert("br1", "uid-2", 1));
        assertThat(trueTypes(nncp("br1"))).as("not yet matched: Unknown, not Ignored").isEmpty();

        fold.apply(events.enactment("a", "br1", 1, PROGRESSING));
        assertThat(nncp("br1").getGeneration()).isEqualTo(1);
        assertThat(condition(nncp("br1"), "Progressing").getMessage()).isEqualTo("Policy is progressing 0/1 nodes finished");
    }

    @Test
    void enactmentsThatOvertakeTheirPolicyEventAreCounted() {
        fold.apply(events.enactment("a", "br1", 2, PROGRESSING));
        fold.apply(events.enactment("b", "br1", 2, AVAILABLE));
        fold.apply(events.upsert("br1", 2));

        assertThat(condition(nncp("br1"), "Progressing").getMessage()).isEqualTo("Policy is progressing 1/2 nodes finished");
    }

    @Test
    void nodeStateChangesOnlyWhenItsContentChanges() {
        List<ResourceStatus> first = fold.apply(events.nodeState("worker-0", "{\"interfaces\":[{\"name\":\"eth0\"}]}"));
        assertThat(first).singleElement().satisfies(s -> assertThat(s.getKind()).isEqualTo(ResourceKind.NNS));
        Instant changedAt = first.get(0).getUpdatedAt();

        assertThat(fold.apply(events.nodeState("worker-0", "{\"interfaces\":[{\"name\":\"eth0\"}]}"))).isEmpty();
        assertThat(fold.status(ResourceKind.NNS, "worker-0")).get().extracting(ResourceStatus::getUpdatedAt).isEqualTo(changedAt);

        fold.apply(events.nodeState("worker-0", "{\"interfaces\":[{\"name\":\"eth0\",\"mtu\":9000}]}"));
        assertThat(fold.status(ResourceKind.NNS, "worker-0")).get().satisfies(s -> {
            assertThat(s.getDetail()).contains("9000");
            assertThat(s.getUpdatedAt()).isAfter(changedAt);
        });
    }

    @Test
    void nodeStateCarriesTheNodesNetworkManagerVersionAndAnUpgradeAloneChangesIt() {
        String interfaces = "{\"interfaces\":[{\"name\":\"eth0\"}]}";
        fold.apply(events.nodeState("worker-0", interfaces));
        assertThat(fold.status(ResourceKind.NNS, "worker-0")).get().extracting(ResourceStatus::getHostNetworkManagerVersion)
            .isEqualTo("1.42.2");

        NodeNetworkState upgraded = NodeNetworkState.newBuilder(events.nodeState("worker-0", interfaces))
            .setNetworkManagerVersion("1.46.0").build();
        assertThat(fold.apply(upgraded)).singleElement().satisfies(s -> {
            assertThat(s.getHostNetworkManagerVersion()).isEqualTo("1.46.0");
            assertThat(s.getDetail()).isEqualTo(interfaces);
        });
        assertThat(fold.apply(upgraded)).isEmpty();
    }

    @Test
    void aggregateEqualsARecountOfEveryEnactmentThroughARandomHistory() {
        Random random = new Random(42);
        EnactmentPhase[] phases = {PENDING, PROGRESSING, RETRYING, AVAILABLE, FAILING, ABORTED, REMOVED};
        Map<String, EnactmentPhase> phaseOf = new HashMap<>();
        Map<String, Long> generationOf = new HashMap<>();
        long generation = 1;
        fold.apply(events.upsert("br1", generation));
        for (int i = 0; i < 20_000; i++) {
            if (random.nextInt(2_000) == 0) {
                generation++;
                fold.apply(events.upsert("br1", generation));
            }
            String node = "n" + random.nextInt(500);
            EnactmentPhase phase = phases[random.nextInt(phases.length)];
            fold.apply(events.enactment(node, "br1", generation, phase, "m"));
            if (phase == REMOVED) {
                phaseOf.remove(node);
                generationOf.remove(node);
            } else {
                phaseOf.put(node, phase);
                generationOf.put(node, generation);
            }
        }
        Map<EnactmentPhase, Integer> current = new EnumMap<>(EnactmentPhase.class);
        for (Map.Entry<String, EnactmentPhase> e : phaseOf.entrySet()) {
            if (generationOf.get(e.getKey()) == generation) {
                current.merge(e.getValue(), 1, Integer::sum);
            }
        }
        int failed = current.getOrDefault(FAILING, 0) + current.getOrDefault(RETRYING, 0);
        int aborted = current.getOrDefault(ABORTED, 0);
        String expected = failed + "/" + phaseOf.size() + " nodes failed to configure"
            + (aborted > 0 ? ", " + aborted + " nodes aborted configuration" : "");
        assertThat(condition(nncp("br1"), "Degraded").getMessage()).isEqualTo(expected);
        assertThat(fold.statuses(ResourceKind.NNCE)).hasSize(phaseOf.size());
    }

    private ResourceStatus nncp(String name) {
        return fold.status(ResourceKind.NNCP, name).orElseThrow();
    }

    private ResourceStatus nnce(String name) {
        return fold.status(ResourceKind.NNCE, name).orElseThrow();
    }

    static StatusCondition condition(ResourceStatus status, String type) {
        return status.getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
    }

    /** The types of the True conditions: what {@code kubectl get} shows in the STATUS column. */
    static List<String> trueTypes(ResourceStatus status) {
        return status.getConditions().stream().filter(c -> c.getStatus().equals("True")).map(StatusCondition::getType).toList();
    }
}
