package io.nmstream.schemas.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.schemas.SampleEvents;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;
import io.nmstream.schemas.avro.NodeEvent;
import io.nmstream.schemas.avro.NodeNetworkState;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeSignaturesTest {

    private final NodeKey node = NodeKey.generate();
    private final NodeKey other = NodeKey.generate();

    @Test
    void aSignedEnactmentVerifiesAgainstItsNodesKeyOnly() {
        EnactmentEvent signed = NodeSignatures.signed(SampleEvents.enactment(), node);

        assertThat(NodeSignatures.verifies(signed, List.of(node.publicKey()))).isTrue();
        assertThat(NodeSignatures.verifies(signed, List.of(other.publicKey()))).as("another node's key").isFalse();
        assertThat(NodeSignatures.verifies(signed, List.of(other.publicKey(), node.publicKey()))).as("one of the node's keys").isTrue();
        assertThat(NodeSignatures.verifies(signed, List.of())).as("no key").isFalse();
        assertThat(NodeSignatures.verifies(SampleEvents.enactment(), List.of(node.publicKey()))).as("unsigned").isFalse();
    }

    @Test
    void anyChangedFieldBreaksTheSignature() {
        EnactmentEvent signed = NodeSignatures.signed(SampleEvents.enactment(), node);
        EnactmentEvent forged = EnactmentEvent.newBuilder(signed).setPhase(EnactmentPhase.AVAILABLE).setMessage("ok").build();
        EnactmentEvent otherCommand = EnactmentEvent.newBuilder(signed).setCommandId("another-command").build();

        assertThat(NodeSignatures.verifies(forged, List.of(node.publicKey()))).isFalse();
        assertThat(NodeSignatures.verifies(otherCommand, List.of(node.publicKey()))).isFalse();
        assertThat(NodeSignatures.verifies(EnactmentEvent.newBuilder(signed).setSignature("not base64!").build(),
            List.of(node.publicKey()))).isFalse();
    }

    @Test
    void theSignatureCoversTheResolvedStatesDigestWhichTheContractHoldsTheStateTo() {
        EnactmentEvent signed = NodeSignatures.signed(EnactmentEvent.newBuilder(SampleEvents.enactment()).setResolvedStateDigest("d1")
            .setResolvedState("{}").build(), node);

        assertThat(NodeSignatures.verifies(signed, List.of(node.publicKey()))).isTrue();
        assertThat(NodeSignatures.verifies(EnactmentEvent.newBuilder(signed).setResolvedStateDigest("d2").build(),
            List.of(node.publicKey()))).as("another digest").isFalse();
        // the state itself is outside the signed bytes, as every field after signedWithState: EventContract.checkEnactment
        // refuses a state whose SHA-256 is not the signed digest
        assertThat(NodeSignatures.verifies(EnactmentEvent.newBuilder(signed).setResolvedState(null).build(),
            List.of(node.publicKey()))).isTrue();
    }

    @Test
    void theWorkCountsEverySignatureMadeAndEveryCheckThatComputed() {
        // a record no other test signs: signatures are deterministic, and one another test verified is remembered
        EnactmentEvent unique = EnactmentEvent.newBuilder(SampleEvents.enactment()).setMessage("work " + UUID.randomUUID()).build();
        NodeSignatures.Work before = NodeSignatures.work();
        EnactmentEvent signed = NodeSignatures.signed(unique, node);
        NodeSignatures.signed(SampleEvents.enactment(), other);
        NodeSignatures.verifies(signed, List.of(node.publicKey()));
        NodeSignatures.verifies(signed, List.of(node.publicKey()));

        assertThat(NodeSignatures.work().since(before)).as("two made; the second check found the first remembered")
            .isEqualTo(new NodeSignatures.Work(2, 1));
    }

    @Test
    void aSignatureThatVerifiedIsRememberedForTheSameRecordAndKeyOnly() {
        EnactmentEvent signed = NodeSignatures.signed(SampleEvents.enactment(), node);
        assertThat(NodeSignatures.verifies(signed, List.of(node.publicKey()))).isTrue();
        long computed = NodeSignatures.work().verificationsComputed();

        assertThat(NodeSignatures.verifies(EnactmentEvent.newBuilder(signed).build(), List.of(other.publicKey(), node.publicKey())))
            .as("the same record again, checked by another reader").isTrue();
        assertThat(NodeSignatures.work().verificationsComputed()).as("found remembered, without the curve arithmetic").isEqualTo(computed);

        EnactmentEvent forged = EnactmentEvent.newBuilder(signed).setPhase(EnactmentPhase.AVAILABLE).setMessage("ok").build();
        assertThat(NodeSignatures.verifies(forged, List.of(node.publicKey()))).as("another record under the remembered signature")
            .isFalse();
        assertThat(NodeSignatures.verifies(signed, List.of(other.publicKey()))).as("the record, but not its node's key").isFalse();
        NodeNetworkState state = NodeSignatures.signed(SampleEvents.nodeState(), node);
        assertThat(NodeSignatures.verifies(EnactmentEvent.newBuilder(SampleEvents.enactment()).setSignature(state.getSignature()).build(),
            List.of(node.publicKey()))).as("a signature remembered for a node state, on an enactment").isFalse();
    }

    @Test
    void aSignatureOverOneKindOfRecordIsNotValidForAnother() {
        NodeNetworkState state = NodeSignatures.signed(SampleEvents.nodeState(), node);
        EnactmentEvent borrowed = EnactmentEvent.newBuilder(SampleEvents.enactment()).setSignature(state.getSignature()).build();

        assertThat(NodeSignatures.verifies(state, List.of(node.publicKey()))).isTrue();
        assertThat(NodeSignatures.verifies(borrowed, List.of(node.publicKey()))).isFalse();
    }

    @Test
    void aReportAndTheStateItLeftSignedTogetherEachVerifyOnItsOwnAndCostOneCheck() {
        EnactmentEvent report = uniqueReport("together");
        NodeSignatures.Work before = NodeSignatures.work();
        NodeSignatures.SignedTogether pair = NodeSignatures.signedTogether(report, SampleEvents.nodeState(), node);

        assertThat(pair.enactment().getSignature()).as("one signature for both").isEqualTo(pair.state().getSignature());
        assertThat(pair.enactment().getSignedWithState()).as("the report names the state").matches("[0-9a-f]{64}");
        assertThat(pair.state().getSignedWithEnactment()).as("the state names the report").matches("[0-9a-f]{64}");
        assertThat(NodeSignatures.verifies(pair.state(), List.of(node.publicKey()))).as("the state alone").isTrue();
        assertThat(NodeSignatures.verifies(pair.enactment(), List.of(node.publicKey()))).as("the report alone").isTrue();
        assertThat(NodeSignatures.work().since(before)).as("one signature made, one checked: the second record found it remembered")
            .isEqualTo(new NodeSignatures.Work(1, 1));

        NodeSignatures.SignedTogether others = NodeSignatures.signedTogether(uniqueReport("other key"), SampleEvents.nodeState(), other);
        assertThat(NodeSignatures.verifies(others.enactment(), List.of(node.publicKey()))).as("another node's report").isFalse();
        assertThat(NodeSignatures.verifies(others.state(), List.of(node.publicKey()))).as("another node's state").isFalse();
    }

    @Test
    void aChangeToOneRecordOfAPairBreaksThatRecordAndItsSignatureCannotPassForARecordSignedAlone() {
        NodeSignatures.SignedTogether pair = NodeSignatures.signedTogether(uniqueReport("tampered"), SampleEvents.nodeState(), node);
        NodeNetworkState otherState = NodeNetworkState.newBuilder(pair.state()).setCurrentState("{\"interfaces\":[]}").build();
        EnactmentEvent otherPhase = EnactmentEvent.newBuilder(pair.enactment()).setPhase(EnactmentPhase.FAILING).build();
        String anotherDigest = NodeSignatures.signedTogether(uniqueReport("another"), otherState, node).enactment().getSignedWithState();
        List<String> keys = List.of(node.publicKey());

        assertThat(NodeSignatures.verifies(otherState, keys)).as("a changed state").isFalse();
        assertThat(NodeSignatures.verifies(otherPhase, keys)).as("a changed report").isFalse();
        assertThat(NodeSignatures.verifies(pair.enactment(), keys)).as("the report whose state was changed in transit").isTrue();
        assertThat(NodeSignatures.verifies(EnactmentEvent.newBuilder(pair.enactment()).setSignedWithState(anotherDigest).build(), keys))
            .as("the report naming another state").isFalse();
        assertThat(NodeSignatures.verifies(EnactmentEvent.newBuilder(pair.enactment())
            .setSignedWithState(pair.enactment().getSignedWithState().toUpperCase(Locale.ROOT)).build(), keys))
            .as("the state's digest in upper case: not the bytes the node wrote").isFalse();
        assertThat(NodeSignatures.verifies(EnactmentEvent.newBuilder(pair.enactment()).setSignedWithState("not a digest").build(), keys))
            .isFalse();
        assertThat(NodeSignatures.verifies(EnactmentEvent.newBuilder(pair.enactment()).setSignedWithState(null).build(), keys))
            .as("the pair's signature on the report as if signed alone").isFalse();
        assertThat(NodeSignatures.verifies(NodeNetworkState.newBuilder(pair.state()).setSignedWithEnactment(null).build(), keys))
            .as("the pair's signature on the state as if signed alone").isFalse();
    }

    @Test
    void aReportAndAStateSignedByAnAgentOfTheVersionBeforeStillVerify() throws Exception {
        // as an agent whose schemas had no signedWithState / signedWithEnactment wrote and signed them
        EnactmentEvent report = uniqueReport("previous version");
        NodeNetworkState state = NodeNetworkState.newBuilder(SampleEvents.nodeState())
            .setCurrentState("{\"previous\": \"" + UUID.randomUUID() + "\"}").build();
        EnactmentEvent signedReport = EnactmentEvent.newBuilder(report)
            .setSignature(signedAsBefore(NodeSignatures.ENACTMENT, "EnactmentEvent/v3.avsc", report)).build();
        NodeNetworkState signedState = NodeNetworkState.newBuilder(state)
            .setSignature(signedAsBefore(NodeSignatures.NODE_STATE, "NodeNetworkState/v2.avsc", state)).build();

        assertThat(NodeSignatures.verifies(signedReport, List.of(node.publicKey()))).isTrue();
        assertThat(NodeSignatures.verifies(signedState, List.of(node.publicKey()))).isTrue();
        assertThat(signedReport.getSignature()).as("what this version signs alone is what the one before signed")
            .isEqualTo(NodeSignatures.signed(report, node).getSignature());
    }

    /** The signature an agent of an earlier version made: over the label, a zero byte and the record in that version's schema. */
    private String signedAsBefore(String label, String schemaFile, SpecificRecord record) throws Exception {
        Schema before = new Schema.Parser().parse(Path.of("history", schemaFile).toFile());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
        out.write(0);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        new GenericDatumWriter<Object>(before, SpecificData.get()).write(record, encoder);
        encoder.flush();
        return Base64.getEncoder().encodeToString(node.sign(out.toByteArray()));
    }

    @Test
    void concurrentChecksOfOneSignatureComputeItOnce() throws Exception {
        int pairs = 24;
        List<NodeSignatures.SignedTogether> signed = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            signed.add(NodeSignatures.signedTogether(uniqueReport("concurrent " + i), SampleEvents.nodeState(), node));
        }
        ExecutorService readers = Executors.newFixedThreadPool(2);
        try {
            NodeSignatures.Work before = NodeSignatures.work();
            for (NodeSignatures.SignedTogether pair : signed) {
                // the report and the state checked at the same moment, as the projector checks a poll's records on every core
                CyclicBarrier together = new CyclicBarrier(2);
                Future<Boolean> report = readers.submit(() -> {
                    together.await();
                    return NodeSignatures.verifies(pair.enactment(), List.of(node.publicKey()));
                });
                Future<Boolean> state = readers.submit(() -> {
                    together.await();
                    return NodeSignatures.verifies(pair.state(), List.of(node.publicKey()));
                });
                assertThat(report.get(30, TimeUnit.SECONDS)).isTrue();
                assertThat(state.get(30, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(NodeSignatures.work().since(before).verificationsComputed()).as("one check per pair").isEqualTo(pairs);
        } finally {
            readers.shutdownNow();
        }
    }

    /** A report no other test signs: signatures are deterministic, and one another test verified is remembered. */
    private static EnactmentEvent uniqueReport(String what) {
        return EnactmentEvent.newBuilder(SampleEvents.enactment()).setPhase(EnactmentPhase.AVAILABLE)
            .setMessage(what + " " + UUID.randomUUID()).build();
    }

    @Test
    void aRegistrationCarriesItsKeyAndVerifiesWhateverTheOrderOfItsLabels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("zone", "b");
        labels.put("node-role.kubernetes.io/worker", "");
        NodeEvent signed = NodeSignatures.signed(NodeEvent.newBuilder(SampleEvents.node()).setLabels(labels).build(), node);
        Map<String, String> reversed = new LinkedHashMap<>();
        reversed.put("node-role.kubernetes.io/worker", "");
        reversed.put("zone", "b");

        assertThat(signed.getPublicKey()).isEqualTo(node.publicKey());
        assertThat(NodeSignatures.selfSigned(signed)).isTrue();
        assertThat(NodeSignatures.verifies(NodeEvent.newBuilder(signed).setLabels(reversed).build(), List.of(node.publicKey()))).isTrue();
        assertThat(NodeSignatures.selfSigned(NodeEvent.newBuilder(signed).setPublicKey(other.publicKey()).build()))
            .as("a registration claiming a key it does not hold").isFalse();
        assertThat(NodeSignatures.verifies(NodeEvent.newBuilder(signed).setLabels(Map.of("zone", "a")).build(), List.of(node.publicKey())))
            .as("relabelled").isFalse();
    }

    @Test
    void aNodeKeepsItsKeyInAFileOnlyItsOwnerReads(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("state").resolve("node.key");
        NodeKey first = NodeKey.loadOrCreate(file);
        NodeKey again = NodeKey.loadOrCreate(file);

        assertThat(again.publicKey()).isEqualTo(first.publicKey());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(NodeKey.loadOrCreate(dir.resolve("other.key")).publicKey()).isNotEqualTo(first.publicKey());
    }
}
