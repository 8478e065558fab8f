package io.nmstream.schemas.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nmstream.schemas.Digests;
import io.nmstream.schemas.SampleEvents;
import io.nmstream.schemas.avro.CommandKind;
import io.nmstream.schemas.avro.DesiredStateCommand;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;
import io.nmstream.schemas.avro.PolicyAction;
import io.nmstream.schemas.avro.PolicyEvent;
import io.nmstream.schemas.contract.ContractViolation.Rule;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventContractTest {

    @Test
    void acceptsWellFormedEventsOfEveryTopicAndTombstones() {
        assertThatCode(() -> {
            EventContract.checkPolicy("br1-policy", SampleEvents.policy());
            EventContract.checkPolicy("br1-policy", null);
            EventContract.checkNode("worker-1", SampleEvents.node());
            EventContract.checkNodeState("worker-1", SampleEvents.nodeState());
            EventContract.checkEnactment("worker-1.br1-policy", SampleEvents.enactment());
            EventContract.checkCommand("worker-1", SampleEvents.command());
        }).doesNotThrowAnyException();
    }

    @Test
    void refusesAPolicyWhoseNameIsNotItsKey() {
        assertViolates(Rule.KEY, () -> EventContract.checkPolicy("not-the-key", SampleEvents.policy()),
            "field name has value 'br1-policy'");
        assertViolates(Rule.KEY, () -> EventContract.checkPolicy(" ", SampleEvents.policy()), "without a key");
    }

    @Test
    void refusesANegativeGenerationAndOneThatGoesDown() {
        PolicyEvent negative = PolicyEvent.newBuilder(SampleEvents.policy()).setGeneration(-7).build();
        assertViolates(Rule.GENERATION, () -> EventContract.checkPolicy("br1-policy", negative), "generation has value '-7'");
        PolicyEvent older = PolicyEvent.newBuilder(SampleEvents.policy()).setGeneration(2).build();
        assertViolates(Rule.GENERATION, () -> EventContract.checkPolicySuccessor(SampleEvents.policy(), older), "never go down");
        assertThatCode(() -> EventContract.checkPolicySuccessor(SampleEvents.policy(), SampleEvents.policy())).doesNotThrowAnyException();
    }

    @Test
    void refusesADigestThatIsNotTheDesiredStatesSha256() {
        PolicyEvent policy = PolicyEvent.newBuilder(SampleEvents.policy()).setDesiredStateDigest("d1").build();
        assertViolates(Rule.DIGEST, () -> EventContract.checkPolicy("br1-policy", policy), "desiredStateDigest has value 'd1'");
        DesiredStateCommand command = DesiredStateCommand.newBuilder(SampleEvents.command()).setDesiredState("{}").build();
        assertViolates(Rule.DIGEST, () -> EventContract.checkCommand("worker-1", command), "desiredStateDigest");
    }

    @Test
    void refusesAnEnactmentsResolvedStateThatIsNotTheOneItsSignedDigestNames() {
        String resolved = "{\"interfaces\":[{\"name\":\"br1\",\"type\":\"linux-bridge\"}]}";
        EnactmentEvent genuine = EnactmentEvent.newBuilder(SampleEvents.enactment()).setResolvedState(resolved)
            .setResolvedStateDigest(Digests.sha256Hex(resolved)).build();
        assertThatCode(() -> EventContract.checkEnactment("worker-1.br1-policy", genuine)).doesNotThrowAnyException();

        EnactmentEvent swapped = EnactmentEvent.newBuilder(genuine).setResolvedState("{\"interfaces\":[]}").build();
        assertViolates(Rule.DIGEST, () -> EventContract.checkEnactment("worker-1.br1-policy", swapped),
            "field resolvedState has SHA-256 '" + Digests.sha256Hex("{\"interfaces\":[]}") + "'; it must equal field "
                + "resolvedStateDigest, '" + Digests.sha256Hex(resolved) + "'");
        EnactmentEvent undigested = EnactmentEvent.newBuilder(genuine).setResolvedStateDigest(null).build();
        assertViolates(Rule.DIGEST, () -> EventContract.checkEnactment("worker-1.br1-policy", undigested), "resolvedStateDigest, 'null'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[{\"name\":\"br1\"}]", "\"br1\"", "null", "{\"interfaces\":"})
    void refusesAnEnactmentsResolvedStateThatIsNotAnNmstateState(String resolved) {
        EnactmentEvent vouched = EnactmentEvent.newBuilder(SampleEvents.enactment()).setResolvedState(resolved)
            .setResolvedStateDigest(Digests.sha256Hex(resolved)).build();
        assertViolates(Rule.STATE, () -> EventContract.checkEnactment("worker-1.br1-policy", vouched),
            "field resolvedState has value '" + resolved + "'; expected an nmstate state, a JSON object");
    }

    @Test
    void namesTheFirst80CharactersOfALongResolvedState() {
        String resolved = "[" + "1,".repeat(100) + "1]";
        EnactmentEvent vouched = EnactmentEvent.newBuilder(SampleEvents.enactment()).setResolvedState(resolved)
            .setResolvedStateDigest(Digests.sha256Hex(resolved)).build();
        assertViolates(Rule.STATE, () -> EventContract.checkEnactment("worker-1.br1-policy", vouched),
            "field resolvedState has value '" + resolved.substring(0, 80) + "...'; expected");
    }

    @Test
    void acceptsADeletionWithoutADesiredState() {
        PolicyEvent deletion = PolicyEvent.newBuilder(SampleEvents.policy()).setAction(PolicyAction.DELETE).setDesiredState("")
            .setDesiredStateDigest("").build();
        assertThatCode(() -> EventContract.checkPolicy("br1-policy", deletion)).doesNotThrowAnyException();
    }

    @Test
    void refusesUnknownActionsPhasesAndKinds() {
        PolicyEvent policy = PolicyEvent.newBuilder(SampleEvents.policy()).setAction(PolicyAction.UNKNOWN).build();
        assertViolates(Rule.ACTION, () -> EventContract.checkPolicy("br1-policy", policy), "field action has value 'UNKNOWN'");
        EnactmentEvent enactment = EnactmentEvent.newBuilder(SampleEvents.enactment()).setPhase(EnactmentPhase.UNKNOWN).build();
        assertViolates(Rule.ACTION, () -> EventContract.checkEnactment("worker-1.br1-policy", enactment), "phase");
        DesiredStateCommand command = DesiredStateCommand.newBuilder(SampleEvents.command()).setKind(CommandKind.UNKNOWN).build();
        assertViolates(Rule.ACTION, () -> EventContract.checkCommand("worker-1", command), "kind");
    }

    @Test
    void refusesAnEnactmentWhoseKeyIsNotNodeDotPolicy() {
        assertViolates(Rule.KEY, () -> EventContract.checkEnactment("worker-2.br1-policy", SampleEvents.enactment()),
            "make 'worker-1.br1-policy'");
    }

    @Test
    void refusesACommandKeyedByAnotherNode() {
        assertViolates(Rule.KEY, () -> EventContract.checkCommand("worker-2", SampleEvents.command()), "field node has value 'worker-1'");
    }

    @Test
    void refusesARecordAboutANodeTheInventoryDoesNotHold() {
        assertViolates(Rule.NODE, () -> EventContract.checkKnownNode("Enactment", "worker-9.br1-policy", "worker-9",
            Set.of("worker-1")::contains), "field node has value 'worker-9'; no node of that name is in the inventory");
        assertThatCode(() -> EventContract.checkKnownNode("Enactment", "worker-1.br1-policy", "worker-1",
            Set.of("worker-1")::contains)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "0%", "101%", "ten percent", ""})
    void refusesAMaxUnavailableThatIsNeitherANumberNorAPercentage(String text) {
        PolicyEvent policy = PolicyEvent.newBuilder(SampleEvents.policy()).setMaxUnavailable(text).build();
        assertViolates(Rule.MAX_UNAVAILABLE, () -> EventContract.checkPolicy("br1-policy", policy), "'" + text + "'");
    }

    private static void assertViolates(Rule rule, Runnable check, String messagePart) {
        assertThatThrownBy(check::run).isInstanceOfSatisfying(ContractViolation.class, violation -> {
            assertThat(violation.rule()).isEqualTo(rule);
            assertThat(violation.getMessage()).contains(messagePart);
        });
    }
}
