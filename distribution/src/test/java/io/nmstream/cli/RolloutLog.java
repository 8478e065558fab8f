package io.nmstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.kafka.KafkaClients;
import io.nmstream.reconciler.ReconcilerEnactments;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.DesiredStateCommand;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The enactment log and the commands of one rollout, read from their beginning as an auditor reads them (committed
 * records only), and the guarantees a rollout must keep, checked on them: every node ends the generation with exactly
 * one final result, never more nodes apply at once than the limit, nothing is left Pending or Progressing.
 */
final class RolloutLog implements AutoCloseable {

    /**
     * The message of the result an agent gives from its ledger when a command it already carried out reaches it again
     * (the reconciler re-sends what it found unanswered after a restart; an agent reads again what it had not committed).
     */
    static final String ALREADY_APPLIED = "Already applied; verified without changes";

    private final KafkaConsumer<String, EnactmentEvent> enactmentConsumer;
    private final KafkaConsumer<String, DesiredStateCommand> commandConsumer;
    private final List<EnactmentEvent> events = new ArrayList<>();
    private final List<Command> commands = new ArrayList<>();

    /** A command as it was read: its partition and when this log first read it. */
    record Command(DesiredStateCommand command, int partition, long readAtNanos) {
    }

    RolloutLog(ClusterSettings settings, Topics topics, String clientId) {
        enactmentConsumer = assignAll(KafkaClients.consumer(settings.clientProperties(), topics.enactments(), null,
            clientId + "-enactments"), topics.enactments().name());
        commandConsumer = assignAll(KafkaClients.consumer(settings.clientProperties(), topics.commands(), null,
            clientId + "-commands"), topics.commands().name());
    }

    /** Every enactment event so far, after reading what is new (and the new commands). */
    synchronized List<EnactmentEvent> poll() {
        for (ConsumerRecord<String, EnactmentEvent> record : enactmentConsumer.poll(Duration.ofMillis(100))) {
            events.add(record.value());
        }
        long now = System.nanoTime();
        for (ConsumerRecord<String, DesiredStateCommand> record : commandConsumer.poll(Duration.ofMillis(20))) {
            commands.add(new Command(record.value(), record.partition(), now));
        }
        return List.copyOf(events);
    }

    /** Every command read so far. */
    synchronized List<Command> commands() {
        return List.copyOf(commands);
    }

    /**
     * Every command committed by now, read up to the end of each partition (the last stable offset, as this log reads
     * committed records only). {@link #poll()} reads what a short poll brings, which can lag the enactments it read: a
     * test that compares the two must catch up first.
     */
    synchronized List<Command> commandsUpToNow() {
        Map<TopicPartition, Long> end = commandConsumer.endOffsets(commandConsumer.assignment());
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ZERO).until(() -> {
            long now = System.nanoTime();
            for (ConsumerRecord<String, DesiredStateCommand> record : commandConsumer.poll(Duration.ofMillis(100))) {
                commands.add(new Command(record.value(), record.partition(), now));
            }
            return end.entrySet().stream().allMatch(e -> commandConsumer.position(e.getKey()) >= e.getValue());
        });
        return List.copyOf(commands);
    }

    /** Nodes whose latest event about {@code policy} is AVAILABLE, after reading what is new. */
    int available(String policy) {
        return (int) latestPhases(poll(), policy).values().stream().filter(p -> p == EnactmentPhase.AVAILABLE).count();
    }

    /** Every event, once nothing new has arrived for two seconds. */
    List<EnactmentEvent> settled() {
        int[] last = {-1};
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            int size = poll().size();
            boolean quiet = size == last[0];
            last[0] = size;
            return quiet;
        });
        return poll();
    }

    /** Each node's latest phase for {@code policy} (a node's events about a policy share a key, so they are in order). */
    static Map<String, EnactmentPhase> latestPhases(List<EnactmentEvent> events, String policy) {
        Map<String, EnactmentPhase> latest = new LinkedHashMap<>();
        events.stream().filter(e -> e.getPolicy().equals(policy)).forEach(e -> latest.put(e.getNode(), e.getPhase()));
        return latest;
    }

    /**
     * The results of {@code generation} of {@code policy}, by node, in log order: every event that ends a command
     * (AVAILABLE, FAILING, REMOVED, ABORTED with a command id), the agent's or the reconciler's (a Timeout).
     */
    static Map<String, List<EnactmentEvent>> results(List<EnactmentEvent> events, String policy, long generation) {
        return events.stream()
            .filter(e -> e.getPolicy().equals(policy) && e.getGeneration() == generation && e.getCommandId() != null)
            .filter(e -> switch (e.getPhase()) {
                case AVAILABLE, FAILING, REMOVED, ABORTED -> true;
                default -> false;
            })
            .collect(Collectors.groupingBy(EnactmentEvent::getNode, LinkedHashMap::new, Collectors.toList()));
    }

    /**
     * Every one of {@code nodes} ended {@code generation} with exactly one final result, AVAILABLE: the reconciler takes
     * a node's first result of the command it sent and ignores the rest, so a node has one command and one outcome.
     * The same command may reach a node again (re-sent by a restarted reconciler, or read again by a restarted agent
     * that had not committed it); an agent answers such a copy from its ledger without touching the host, with the same
     * command id and {@value #ALREADY_APPLIED}. Those answers, and only those, may follow the outcome. No node is
     * failed for a Timeout, and every node's latest event is AVAILABLE: nothing Pending or Progressing.
     *
     * @return how many ledger answers followed an outcome
     */
    static int assertOneFinalResultPerNode(List<EnactmentEvent> events, String policy, long generation, Set<String> nodes) {
        Map<String, List<EnactmentEvent>> results = results(events, policy, generation);
        assertThat(results.keySet()).as("nodes with a result for generation %d", generation).containsExactlyInAnyOrderElementsOf(nodes);
        assertThat(results).allSatisfy((node, finals) -> {
            assertThat(finals).extracting(EnactmentEvent::getCommandId).as("one command for %s", node)
                .containsOnly(finals.get(0).getCommandId());
            assertThat(finals).extracting(EnactmentEvent::getPhase).as("the results of %s", node).containsOnly(EnactmentPhase.AVAILABLE);
            assertThat(finals.subList(1, finals.size())).as("what follows the outcome of %s: answers from its ledger", node)
                .allSatisfy(e -> assertThat(e.getMessage()).isEqualTo(ALREADY_APPLIED));
        });
        assertThat(events).as("the control plane's downtime is no node's failure")
            .noneMatch(e -> ReconcilerEnactments.TIMEOUT.equals(e.getReason()));
        assertThat(latestPhases(events, policy)).as("nothing Pending or Progressing").hasSize(nodes.size())
            .allSatisfy((node, phase) -> assertThat(phase).isEqualTo(EnactmentPhase.AVAILABLE));
        return results.values().stream().mapToInt(List::size).sum() - results.size();
    }

    /** Every one of {@code nodes} got one command (one command id, perhaps sent more than once) for {@code generation}. */
    static void assertOneCommandPerNode(List<Command> commands, String policy, long generation, Set<String> nodes) {
        Map<String, Set<String>> ids = commands.stream().map(Command::command)
            .filter(c -> c.getPolicy().equals(policy) && c.getGeneration() == generation)
            .collect(Collectors.groupingBy(DesiredStateCommand::getNode,
                Collectors.mapping(DesiredStateCommand::getCommandId, Collectors.toSet())));
        assertThat(ids.keySet()).containsExactlyInAnyOrderElementsOf(nodes);
        assertThat(ids).allSatisfy((node, commandIds) -> assertThat(commandIds).as("command ids sent to %s", node).hasSize(1));
    }

    /**
     * The most nodes ever applying at once, from the agents' reports in timestamp order: a node counts from its
     * PROGRESSING until its result. Within one millisecond results are taken before starts, as the clock cannot order
     * them. A ledger answer (no PROGRESSING before it) changes nothing.
     */
    static int maxApplyingAtOnce(List<EnactmentEvent> events) {
        List<EnactmentEvent> reports = events.stream().filter(ReconcilerEnactments::isAgentReport)
            .sorted(Comparator.comparing(EnactmentEvent::getTimestamp).thenComparing(e -> e.getPhase() == EnactmentPhase.PROGRESSING))
            .toList();
        Set<String> applying = new HashSet<>();
        int max = 0;
        for (EnactmentEvent event : reports) {
            if (event.getPhase() == EnactmentPhase.PROGRESSING) {
                applying.add(event.getNode() + "/" + event.getPolicy());
            } else if (event.getPhase() != EnactmentPhase.RETRYING) {
                applying.remove(event.getNode() + "/" + event.getPolicy());
            }
            max = Math.max(max, applying.size());
        }
        return max;
    }

    @Override
    public synchronized void close() {
        enactmentConsumer.close();
        commandConsumer.close();
    }

    /** Assigns every partition of the consumer's topic and seeks to its beginning. */
    private static <V> KafkaConsumer<String, V> assignAll(KafkaConsumer<String, V> consumer, String topic) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }
}
