package io.nmstream.status.projector;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;
import io.nmstream.schemas.avro.NodeNetworkState;
import io.nmstream.schemas.avro.PolicyEvent;
import io.nmstream.schemas.avro.ResourceStatus;
import io.nmstream.schemas.avro.RolloutEvent;
import io.nmstream.status.Events;
import io.nmstream.status.fold.StatusFold;
import io.nmstream.status.fold.StatusKey;
import io.nmstream.status.projector.FoldInput.InputTopic;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class RewindableFoldTest {

    private static final List<String> POLICIES = List.of("br1", "mtu", "dns");
    private static final List<String> NODES = List.of("worker-1", "worker-2", "worker-3", "worker-4", "worker-5");
    private static final EnactmentPhase[] PHASES = {EnactmentPhase.PENDING, EnactmentPhase.PROGRESSING, EnactmentPhase.AVAILABLE,
        EnactmentPhase.FAILING, EnactmentPhase.ABORTED, EnactmentPhase.REMOVED};

    private final Events events = new Events();
    private final Map<InputTopic, Map<Integer, Long>> nextOffsets = new EnumMap<>(InputTopic.class);
    private final PartitionClocks clocks = new PartitionClocks();

    @Test
    void lateInputsGiveWhatAFoldInOrderGivesAndTheChangesBringTheStatusTopicThere() {
        Random random = new Random(15);
        List<FoldInput> history = history(random, 4000);
        // each input reaches the projector up to 14 events (seconds) after its time, beyond the window now and then
        List<FoldInput> arrivals = new ArrayList<>(history);
        Map<FoldInput, Long> arrival = new HashMap<>();
        for (int i = 0; i < history.size(); i++) {
            arrival.put(history.get(i), (long) i + (random.nextInt(5) == 0 ? random.nextInt(15) : 0));
        }
        arrivals.sort(Comparator.comparing(arrival::get));

        RewindableFold fold = new RewindableFold();
        Map<String, ResourceStatus> statusTopic = new TreeMap<>();
        List<FoldInput> delivered = new ArrayList<>();
        int late = 0;
        int beforeHorizon = 0;
        for (int from = 0; from < arrivals.size(); ) {
            int to = Math.min(arrivals.size(), from + 1 + random.nextInt(6));
            List<FoldInput> batch = new ArrayList<>(arrivals.subList(from, to));
            batch.sort(FoldInput.ORDER);
            boolean isLate = !delivered.isEmpty() && FoldInput.ORDER.compare(batch.get(0), delivered.get(delivered.size() - 1)) < 0;
            delivered.addAll(batch);
            delivered.sort(FoldInput.ORDER);
            Optional<Map<String, ResourceStatus>> changes = fold.fold(batch);
            if (changes.isEmpty()) {
                // what the projector's rebuild does: the whole history again, in fold order
                beforeHorizon++;
                fold.reset();
                delivered.forEach(fold::foldInOrder);
                statusTopic.clear();
                statusTopic.putAll(fold.live().snapshot());
            } else {
                late += isLate ? 1 : 0;
                changes.get().forEach((key, status) -> {
                    if (status.getDeleted()) {
                        statusTopic.remove(key);
                    } else {
                        statusTopic.put(key, status);
                    }
                });
            }
            StatusFold inOrder = new StatusFold();
            for (FoldInput input : delivered) {
                // what a fold again compares: everything an input changes is among the resources it names
                assertThat(input.applyTo(inOrder)).extracting(StatusKey::of)
                    .isSubsetOf(input.stepIn(inOrder).touched().stream().map(StatusFold.Resource::key).toList());
            }
            assertThat(fold.live().snapshot()).as("after %d inputs", to).isEqualTo(inOrder.snapshot());
            assertThat(statusTopic).as("what the changes published after %d inputs", to).isEqualTo(inOrder.snapshot());
            assertThat(fold.eventsApplied()).isEqualTo(inOrder.eventsApplied());
            from = to;
        }
        assertThat(late).as("late batches folded without the history").isGreaterThan(100);
        assertThat(beforeHorizon).as("batches that needed the history").isPositive();
    }

    @Test
    void aPartitionStampedOutOfOrderIsFoldedAsItComesAndALateInputAcrossItNeedsTheHistory() {
        RewindableFold fold = new RewindableFold();
        // two writers of one key: the later record in the partition carries the earlier time
        FoldInput stampedLate = enactmentAt(0, 0, "worker-1", 30);
        FoldInput stampedEarly = enactmentAt(0, 1, "worker-1", 10);
        fold.foldInOrder(stampedLate);
        fold.foldInOrder(stampedEarly);
        assertThat(fold.eventsApplied()).isEqualTo(2);

        assertThat(fold.fold(List.of(enactmentAt(1, 0, "worker-2", 20)))).as("earlier than what settled").isEmpty();

        RewindableFold another = new RewindableFold();
        another.foldInOrder(enactmentAt(1, 0, "worker-2", 5));
        another.foldInOrder(enactmentAt(0, 0, "worker-1", 30));
        // later in partition 0 but stamped before its predecessor there: sorting by time would swap the two
        assertThat(another.fold(List.of(enactmentAt(0, 1, "worker-1", 20)))).as("would reorder a partition").isEmpty();
        assertThat(another.eventsApplied()).as("nothing folded").isEqualTo(2);
    }

    @Test
    void aPartitionStampedOutOfOrderAndOrderedByItsClockTakesALateInputWithoutTheHistory() {
        RewindableFold fold = new RewindableFold();
        FoldInput first = clocked(enactmentAt(0, 0, "worker-1", 30));
        FoldInput other = clocked(enactmentAt(1, 0, "worker-2", 35));
        fold.foldInOrder(first);
        fold.foldInOrder(other);
        // appended to partition 0 after the record stamped 30, stamped 20 by its writer, and read after partition 1's
        FoldInput stampedEarly = clocked(enactmentAt(0, 1, "worker-3", 20));

        Optional<Map<String, ResourceStatus>> changes = fold.fold(List.of(stampedEarly));

        assertThat(stampedEarly.orderTime()).isEqualTo(first.time());
        assertThat(changes).as("folded again with the input it overtook, not from the history").isPresent();
        StatusFold inOrder = new StatusFold();
        List.of(first, stampedEarly, other).forEach(input -> input.applyTo(inOrder));
        assertThat(fold.live().snapshot()).isEqualTo(inOrder.snapshot());
        assertThat(changes.get()).containsKey(StatusKey.of(io.nmstream.schemas.avro.ResourceKind.NNCE,
            Topics.enactmentKey("worker-3", "br1")));
    }

    /** {@code input} with the order time a reader gives it after this test's earlier clocked inputs. */
    private FoldInput clocked(FoldInput input) {
        return new FoldInput(input.time(), clocks.advance(new TopicPartition(input.source().name(), input.partition()), input.time()),
            input.source(), input.partition(), input.offset(), input.key(), input.event());
    }

    private FoldInput enactmentAt(int partition, long offset, String node, long second) {
        EnactmentEvent event = events.enactment(node, "br1", 1, EnactmentPhase.PROGRESSING);
        event.setTimestamp(Instant.parse("2026-03-24T09:00:00Z").plusSeconds(second));
        return new FoldInput(event.getTimestamp(), InputTopic.ENACTMENTS, partition, offset, Topics.enactmentKey(node, "br1"), event);
    }

    /** Random policy changes, rollout counts, enactment steps and node states of a small fleet, one second apart. */
    private List<FoldInput> history(Random random, int size) {
        Map<String, Long> generations = new HashMap<>();
        Map<String, Integer> incarnations = new HashMap<>();
        List<FoldInput> inputs = new ArrayList<>();
        while (inputs.size() < size) {
            String policy = POLICIES.get(random.nextInt(POLICIES.size()));
            String node = NODES.get(random.nextInt(NODES.size()));
            long generation = generations.getOrDefault(policy, 1L);
            String uid = "uid-" + policy + "-" + incarnations.getOrDefault(policy, 0);
            int pick = random.nextInt(100);
            if (pick < 5) {
                generations.put(policy, generation + 1);
                inputs.add(input(InputTopic.POLICIES, 0, policy, events.upsert(policy, uid, generation + 1)));
            } else if (pick < 7) {
                inputs.add(input(InputTopic.POLICIES, 0, policy, events.delete(policy, generation)));
                // created again under the same name: a new incarnation
                incarnations.merge(policy, 1, Integer::sum);
                generations.put(policy, 1L);
            } else if (pick < 9) {
                // created again, its deletion never seen (compacted away): the new uid is the new incarnation
                incarnations.merge(policy, 1, Integer::sum);
                generations.put(policy, 1L);
                inputs.add(input(InputTopic.POLICIES, 0, policy,
                    events.upsert(policy, "uid-" + policy + "-" + incarnations.get(policy), 1L)));
            } else if (pick < 14) {
                RolloutEvent matched = events.matched(policy, generation, random.nextInt(NODES.size() + 1));
                matched.setUid(random.nextInt(4) == 0 ? "uid-of-another-incarnation" : uid);
                inputs.add(input(InputTopic.ROLLOUTS, 0, policy, matched));
            } else if (pick < 20) {
                inputs.add(input(InputTopic.NODE_STATES, 0, node, events.nodeState(node, "{\"mtu\":" + (1500 + random.nextInt(3)) + "}")));
            } else if (pick < 22) {
                Instant removed = events.next();
                inputs.add(new FoldInput(removed, clocks.advance(new TopicPartition(InputTopic.NODE_STATES.name(), 0), removed),
                    InputTopic.NODE_STATES, 0, nextOffset(InputTopic.NODE_STATES, 0), node, null));
            } else {
                EnactmentEvent enactment = events.enactment(node, policy, generation - random.nextInt(2),
                    PHASES[random.nextInt(PHASES.length)]);
                if (random.nextInt(4) == 0) {
                    // another writer of the partition, whose record was stamped a few seconds before it was appended
                    enactment.setTimestamp(enactment.getTimestamp().minusSeconds(1 + random.nextInt(3)));
                }
                String key = Topics.enactmentKey(node, policy);
                inputs.add(input(InputTopic.ENACTMENTS, Math.floorMod(key.hashCode(), 3), key, enactment));
            }
        }
        return inputs;
    }

    private FoldInput input(InputTopic source, int partition, String key, Object event) {
        Instant time;
        if (event instanceof PolicyEvent policy) {
            time = policy.getEventTime();
        } else if (event instanceof EnactmentEvent enactment) {
            time = enactment.getTimestamp();
        } else if (event instanceof NodeNetworkState state) {
            time = state.getObservedAt();
        } else {
            time = ((RolloutEvent) event).getTimestamp();
        }
        return new FoldInput(time, clocks.advance(new TopicPartition(source.name(), partition), time), source, partition,
            nextOffset(source, partition), key, event);
    }

    private long nextOffset(InputTopic source, int partition) {
        return nextOffsets.computeIfAbsent(source, s -> new HashMap<>()).merge(partition, 1L, Long::sum) - 1;
    }
}
