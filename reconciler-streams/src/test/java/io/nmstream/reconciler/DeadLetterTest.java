package io.nmstream.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.schemas.DeadLetterHeaders;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.DesiredStateCommand;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeadLetterTest {

    private final ReconcilerHarness fleet = new ReconcilerHarness();

    @AfterEach
    void close() {
        fleet.close();
    }

    @Test
    void unreadablePolicyRecordDoesNotStopProcessing() {
        // the dead letter of a record that cannot be deserialized is checked on the real broker (ReconcilerIT):
        // TopologyTestDriver does not capture records written by the deserialization exception handler
        fleet.nodes(1, Map.of());

        fleet.rawPolicies.pipeInput("broken".getBytes(StandardCharsets.UTF_8), "not avro at all".getBytes(StandardCharsets.UTF_8));
        fleet.publish(ReconcilerHarness.policy("eth1", "1", Map.of()));

        assertThat(fleet.commands("eth1")).hasSize(1);
    }

    @Test
    void policyWithInvalidMaxUnavailableIsSetAsideWithAReasonNamingTheFieldAndValue() {
        fleet.nodes(1, Map.of());

        fleet.publish(ReconcilerHarness.policy("eth1", "ten percent", Map.of()));
        fleet.publish(ReconcilerHarness.policy("eth2", "1", Map.of()));

        TestRecord<byte[], byte[]> letter = fleet.deadLetters.readRecord();
        assertThat(header(letter, DeadLetterHeaders.REASON)).contains("maxUnavailable").contains("'ten percent'").contains("eth1");
        assertThat(header(letter, DeadLetterHeaders.STAGE)).isEqualTo("processing");
        assertThat(letter.value()).isNotEmpty();
        assertThat(fleet.commands("eth1")).isEmpty();
        assertThat(fleet.commands("eth2")).hasSize(1);
    }

    @Test
    void policyWhoseNameDiffersFromItsKeyIsSetAside() {
        fleet.nodes(1, Map.of());

        fleet.rawPolicies.pipeInput("other".getBytes(StandardCharsets.UTF_8), fleet.topics.policies().valueSerde().serializer()
            .serialize(fleet.topics.policies().name(), ReconcilerHarness.policy("eth1", "1", Map.of()).build()));

        assertThat(header(fleet.deadLetters.readRecord(), DeadLetterHeaders.REASON)).contains("field name has value 'eth1'");
        assertThat(fleet.commands()).isEmpty();
    }

    @Test
    void policyWhoseDigestIsNotItsDesiredStatesIsSetAside() {
        fleet.nodes(1, Map.of());

        fleet.publish(ReconcilerHarness.policy("eth1", "1", Map.of()).setDesiredStateDigest("d1"));

        assertThat(header(fleet.deadLetters.readRecord(), DeadLetterHeaders.REASON)).contains("desiredStateDigest has value 'd1'");
        assertThat(fleet.commands()).isEmpty();
    }

    @Test
    void resultsForANodeThatNeverRegisteredOrUnderAnotherNodesKeyAreSetAsideAndFreeNoSlot() {
        fleet.nodes(2, Map.of());
        fleet.publish(ReconcilerHarness.policy("eth1", "1", Map.of()));
        DesiredStateCommand running = fleet.commands("eth1").get(0);

        EnactmentEvent stranger = EnactmentEvent.newBuilder(ReconcilerHarness.reportOf(running, EnactmentPhase.AVAILABLE))
            .setNode("ghost-1").build();
        fleet.pipeReport(Topics.enactmentKey("ghost-1", "eth1"), stranger);
        TestRecord<byte[], byte[]> setAside = fleet.deadLetters.readRecord();
        assertThat(header(setAside, DeadLetterHeaders.REASON))
            .contains("field node has value 'ghost-1'; no node of that name is in the inventory");
        assertThat(header(setAside, DeadLetterHeaders.SOURCE)).as("where a user finds the record: the enactments topic, not "
            + "the reconciler's internal repartition").startsWith(fleet.topics.enactments().name() + "-0@");

        // a producer's own origin header is no origin: the dead letter names where the record really is
        RecordHeaders forgedOrigin = new RecordHeaders();
        forgedOrigin.add(DeadLetterHeaders.ORIGIN, "elsewhere-7@42".getBytes(StandardCharsets.UTF_8));
        fleet.pipeReport(Topics.enactmentKey("node-009", "eth1"), ReconcilerHarness.reportOf(running, EnactmentPhase.AVAILABLE),
            forgedOrigin);
        TestRecord<byte[], byte[]> misKeyed = fleet.deadLetters.readRecord();
        assertThat(header(misKeyed, DeadLetterHeaders.REASON))
            .contains("keyed 'node-009.eth1'", "fields node and policy make '" + running.getNode() + ".eth1'");
        assertThat(header(misKeyed, DeadLetterHeaders.SOURCE)).startsWith(fleet.topics.enactments().name() + "-0@");

        // neither finished the running command: its slot is still taken, so the other node is not sent anything
        assertThat(fleet.commands("eth1")).containsExactly(running);
        fleet.succeed(running);
        assertThat(fleet.commands("eth1")).hasSize(2);
        assertThat(fleet.deadLetters.isEmpty()).isTrue();
    }

    @Test
    void aLateResultOfANodeThatLeftIsNoStrangersAndIsNotSetAside() {
        fleet.nodes(1, Map.of());
        fleet.publish(ReconcilerHarness.policy("eth1", "1", Map.of()));
        DesiredStateCommand running = fleet.commands("eth1").get(0);
        fleet.removeNode(running.getNode());

        fleet.report(running, EnactmentPhase.AVAILABLE);

        assertThat(fleet.deadLetters.isEmpty()).isTrue();
    }

    @Test
    void slotRecordsNoPartitionCouldHaveWrittenAreSetAsideNamingTheFieldAndTheRolloutKeepsItsLimit() {
        fleet.nodes(4, Map.of());
        fleet.publish(ReconcilerHarness.policy("eth1", "1", Map.of()));
        DesiredStateCommand first = fleet.commands("eth1").get(0);
        byte[] key = "eth1".getBytes(StandardCharsets.UTF_8);

        fleet.rawSlotRequests.pipeInput(key, (byte[]) null);
        fleet.rawSlotRequests.pipeInput(key, json("{\"policy\":\"eth1\",\"uid\":\"uid-eth1\",\"generation\":1,\"partition\":7,"
            + "\"matched\":100,\"waiting\":100}"));
        fleet.rawSlotRequests.pipeInput("eth2".getBytes(StandardCharsets.UTF_8), json("{\"policy\":\"eth1\",\"uid\":\"uid-eth1\","
            + "\"generation\":1,\"partition\":0,\"waiting\":3}"));
        fleet.rawSlotLeases.pipeInput(key, json("{\"policy\":\"eth1\",\"uid\":\"uid-eth1\",\"generation\":1,\"partition\":0,"
            + "\"granted\":-5,\"limit\":1}"));
        fleet.rawSlotLeases.pipeInput(key, json("{\"policy\":\"eth1\",\"generation\":1,\"partition\":0,\"granted\":9,\"limit\":9}"));

        assertThat(fleet.deadLetters.readRecordsToList()).extracting(letter -> header(letter, DeadLetterHeaders.REASON))
            .containsExactly(
                "Slot request keyed 'eth1' has no value: the slot topics carry no tombstones",
                "Slot request 'eth1': field partition has value 7; the reconciler's node partitions are 0 to 0",
                "Slot request keyed 'eth2': field policy has value 'eth1'; it must equal the key",
                "Slot protocol record 'eth1': field granted has value -5; it counts nodes or slots and cannot be negative",
                "Slot lease 'eth1': field uid is missing; it names the policy's incarnation");
        // none of them leased a slot: maxUnavailable 1 still lets one node at a time through
        assertThat(fleet.commands("eth1")).containsExactly(first);
        fleet.succeed(first);
        assertThat(fleet.commands("eth1")).hasSize(2);
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        assertThat(header).as("header " + name).isNotNull();
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
