package io.nmstream.status.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nmstream.schemas.Digests;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;
import io.nmstream.schemas.avro.PolicyEvent;
import io.nmstream.schemas.avro.RolloutEvent;
import io.nmstream.status.Events;
import io.nmstream.status.fold.StatusFold;
import java.io.BufferedReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditRecordsTest {

    private final Events events = new Events();

    @Test
    void enactmentLineCarriesTheStableSiemFields() throws Exception {
        EnactmentEvent failing = events.enactment("worker-1", "br1", 3, EnactmentPhase.FAILING, "Interface ens8f0np0: MTU 9000 too big");

        Map<String, Object> line = new ObjectMapper().readValue(AuditRecords.toJson(AuditRecords.of(failing)), new TypeReference<>() { });

        assertThat(line.keySet()).contains("timestamp", "action", "outcome", "node", "policy", "generation", "commandId", "duration",
            "message");
        assertThat(line.get("timestamp")).isEqualTo(failing.getTimestamp().toString());
        assertThat(line.get("action")).isEqualTo("enactment.failing");
        assertThat(line.get("outcome")).isEqualTo("failure");
        assertThat(line.get("node")).isEqualTo("worker-1");
        assertThat(line.get("policy")).isEqualTo("br1");
        assertThat(line.get("generation")).isEqualTo(3);
        assertThat(line.get("commandId")).isEqualTo("cmd-worker-1-3");
        assertThat(line.get("duration")).isEqualTo(1500);
        assertThat(line.get("message")).isEqualTo("Interface ens8f0np0: MTU 9000 too big");
    }

    @Test
    void aRevertThatDidNotSucceedIsAFailureAndOtherRemovalsAreSuccesses() {
        EnactmentEvent revertFailed = EnactmentEvent.newBuilder(events.enactment("worker-1", "br1", 3, EnactmentPhase.REMOVED,
            "The policy was deleted; reverting its state did not succeed: Timeout")).setReason("RevertFailed").build();
        EnactmentEvent reverted = EnactmentEvent.newBuilder(revertFailed).setReason("Reverted").build();
        EnactmentEvent deleted = EnactmentEvent.newBuilder(revertFailed).setReason("PolicyDeleted").build();

        assertThat(AuditRecords.of(revertFailed).outcome()).isEqualTo("failure");
        assertThat(AuditRecords.of(reverted).outcome()).isEqualTo("success");
        assertThat(AuditRecords.of(deleted).outcome()).isEqualTo("success");
    }

    @Test
    void everyEnactmentPhaseSurvivesTheExportWhole() {
        for (EnactmentPhase phase : List.of(EnactmentPhase.PENDING, EnactmentPhase.PROGRESSING, EnactmentPhase.RETRYING,
            EnactmentPhase.AVAILABLE, EnactmentPhase.FAILING, EnactmentPhase.ABORTED, EnactmentPhase.REMOVED)) {
            EnactmentEvent event = events.enactment("n1", "p1", 2, phase, "m");

            EnactmentEvent back = AuditRecords.toEnactment(AuditRecords.fromJson(AuditRecords.toJson(AuditRecords.of(event))));

            assertThat(back).isEqualTo(event);
        }
        // with the state a node rendered from the policy's captures, which its NNCE shows
        String resolved = "{\"interfaces\":[{\"name\":\"br1\",\"type\":\"linux-bridge\"}]}";
        EnactmentEvent rendered = EnactmentEvent.newBuilder(events.enactment("n1", "p1", 2, EnactmentPhase.AVAILABLE, "m"))
            .setResolvedState(resolved).setResolvedStateDigest(Digests.sha256Hex(resolved)).build();
        assertThat(AuditRecords.toEnactment(AuditRecords.fromJson(AuditRecords.toJson(AuditRecords.of(rendered))))).isEqualTo(rendered);
    }

    @Test
    void policyChangeKeepsWhatStatusDependsOnAndWhoMadeIt() {
        PolicyEvent upsert = events.upsert("br1", "uid-7", 4);

        AuditRecord record = AuditRecords.fromJson(AuditRecords.toJson(AuditRecords.of(upsert)));
        PolicyEvent back = AuditRecords.toPolicy(record);

        assertThat(record.action()).isEqualTo("policy.upsert");
        assertThat(record.user()).isEqualTo("alice");
        assertThat(back.getAction()).isEqualTo(upsert.getAction());
        assertThat(back.getName()).isEqualTo("br1");
        assertThat(back.getUid()).isEqualTo("uid-7");
        assertThat(back.getGeneration()).isEqualTo(4);
        assertThat(back.getEventTime()).isEqualTo(upsert.getEventTime());
    }

    @Test
    void theNodesAPolicyMatchedSurviveTheExportWhole() throws Exception {
        RolloutEvent matched = events.matched("br1", 2, 40);

        String json = AuditRecords.toJson(AuditRecords.of(matched));

        Map<String, Object> line = new ObjectMapper().readValue(json, new TypeReference<>() { });
        assertThat(line).containsEntry("action", "rollout.matched").containsEntry("policy", "br1").containsEntry("matchedNodes", 40)
            .doesNotContainKey("node");
        assertThat(AuditRecords.toRollout(AuditRecords.fromJson(json))).isEqualTo(matched);
    }

    @Test
    void unreadableLineIsReportedWithItsNumberAndField() {
        String export = AuditRecords.toJson(AuditRecords.of(events.upsert("br1", 1))) + "\n"
            + "{\"timestamp\":\"yesterday\",\"action\":\"enactment.available\",\"node\":\"a\",\"policy\":\"br1\",\"generation\":1}\n";

        assertThatThrownBy(() -> AuditFold.fold(new BufferedReader(new StringReader(export))))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("line 2: field 'timestamp' has value 'yesterday', which is not an ISO-8601 instant");
    }

    @Test
    void lineWithoutGenerationIsRejectedNamingTheField() {
        String export = "{\"timestamp\":\"2026-03-24T10:00:00Z\",\"action\":\"enactment.available\",\"node\":\"a\",\"policy\":\"br1\"}";

        assertThatThrownBy(() -> AuditFold.fold(new BufferedReader(new StringReader(export))))
            .hasMessage("line 1: field 'generation' is missing");
    }

    @Test
    void aRenderedStateItsDigestDoesNotVouchForIsRefusedNamingTheLineAndTheRule() {
        String resolved = "{\"interfaces\":[{\"name\":\"br1\",\"type\":\"linux-bridge\"}]}";
        EnactmentEvent genuine = EnactmentEvent.newBuilder(events.enactment("a", "br1", 1, EnactmentPhase.AVAILABLE))
            .setResolvedState(resolved).setResolvedStateDigest(Digests.sha256Hex(resolved)).build();
        String edited = AuditRecords.toJson(AuditRecords.of(genuine)).replace("linux-bridge", "ovs-bridge");
        String export = AuditRecords.toJson(AuditRecords.of(events.upsert("br1", 1))) + "\n" + edited + "\n";

        assertThatThrownBy(() -> AuditFold.fold(new BufferedReader(new StringReader(export))))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("line 2: Enactment 'a.br1': field resolvedState has SHA-256 '")
            .hasMessageEndingWith("it must equal field resolvedStateDigest, '" + Digests.sha256Hex(resolved) + "' (rule digest)");
    }

    @Test
    void aRenderedStateThatIsNotAnNmstateStateIsRefusedNamingTheLineAndTheRule() {
        String notAState = "[\"br1\"]";
        EnactmentEvent vouched = EnactmentEvent.newBuilder(events.enactment("a", "br1", 1, EnactmentPhase.AVAILABLE))
            .setResolvedState(notAState).setResolvedStateDigest(Digests.sha256Hex(notAState)).build();
        String export = AuditRecords.toJson(AuditRecords.of(vouched)) + "\n";

        assertThatThrownBy(() -> AuditFold.fold(new BufferedReader(new StringReader(export))))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("line 1: Enactment 'a.br1': field resolvedState has value '[\"br1\"]'; expected an nmstate state, a JSON object "
                + "(rule state)");
    }

    @Test
    void offlineFoldOfAnExportEqualsTheFoldOfTheEvents() {
        List<Object> history = new ArrayList<>();
        history.add(events.upsert("br1", 1));
        history.add(events.matched("br1", 1, 3));
        history.add(events.enactment("a", "br1", 1, EnactmentPhase.PROGRESSING));
        history.add(events.enactment("b", "br1", 1, EnactmentPhase.PENDING));
        history.add(events.enactment("a", "br1", 1, EnactmentPhase.RETRYING, "carrier lost"));
        history.add(events.enactment("a", "br1", 1, EnactmentPhase.FAILING, "carrier lost"));
        history.add(events.enactment("b", "br1", 1, EnactmentPhase.ABORTED));
        history.add(events.upsert("br1", 2));
        String resolved = "{\"interfaces\":[{\"name\":\"br1\",\"type\":\"linux-bridge\"}]}";
        history.add(EnactmentEvent.newBuilder(events.enactment("a", "br1", 2, EnactmentPhase.AVAILABLE)).setResolvedState(resolved)
            .setResolvedStateDigest(Digests.sha256Hex(resolved)).build());
        history.add(events.upsert("other", 1));
        history.add(events.matched("other", 1, 0));
        history.add(events.upsert("idle", 1));
        history.add(events.matched("idle", 1, 0));
        history.add(events.delete("other", 1));

        StatusFold online = new StatusFold();
        StringBuilder export = new StringBuilder();
        for (Object event : history) {
            if (event instanceof PolicyEvent p) {
                online.apply(p);
                export.append(AuditRecords.toJson(AuditRecords.of(p))).append('\n');
            } else if (event instanceof RolloutEvent r) {
                online.apply(r);
                export.append(AuditRecords.toJson(AuditRecords.of(r))).append('\n');
            } else {
                online.apply((EnactmentEvent) event);
                export.append(AuditRecords.toJson(AuditRecords.of((EnactmentEvent) event))).append('\n');
            }
        }

        assertThat(AuditFold.fold(new BufferedReader(new StringReader(export.toString()))).snapshot()).isEqualTo(online.snapshot());
    }
}
