package io.nmstream.reconciler.rollout;

import io.nmstream.common.logging.LogContext;
import io.nmstream.reconciler.PolicySpec;
import io.nmstream.reconciler.ReconcilerEnactments;
import io.nmstream.reconciler.SortableKeys;
import io.nmstream.schemas.avro.EnactmentEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces maxUnavailable for each policy generation: the one place that decides which node may apply a policy now.
 *
 * <p>Keyed by policy name, so each policy's rollout lives in one task and the policies spread over all tasks. Its
 * inputs are the policy itself and the policy's enactment events: a node's slot request (PENDING,
 * {@value ReconcilerEnactments#AWAITING_ROLLOUT_SLOT}), agents' results, the reconciler's timeouts and REMOVED events.
 * From them it keeps one {@link RolloutMember} per matching node and a first-come queue of waiting nodes, and answers
 * with {@link RolloutDecision}s to the nodes: GRANT while fewer than maxUnavailable nodes are applying or failed, WAIT
 * otherwise, and ABORT for every waiting node once this generation's failures reach maxUnavailable.
 *
 * <p>Memory: one small member record per (policy, matching node) and one queue entry per waiting node, in RocksDB.
 */
public final class RolloutCoordinator implements Processor<String, CoordinatorInput, String, RolloutDecision> {

    /** Store of {@link RolloutState} by policy name. */
    public static final String STATE_STORE = "rollout-state";
    /** Store of {@link RolloutMember} by {@code policy|node}. */
    public static final String MEMBER_STORE = "rollout-members";
    /** Store of waiting nodes by {@code policy|generation|sequence}: the first-come, first-served queue of each generation. */
    public static final String QUEUE_STORE = "rollout-queue";

    private static final Logger LOG = LoggerFactory.getLogger(RolloutCoordinator.class);
    private static final char SEPARATOR = '|';

    private ProcessorContext<String, RolloutDecision> context;
    private KeyValueStore<String, RolloutState> states;
    private KeyValueStore<String, RolloutMember> members;
    private KeyValueStore<String, QueueEntry> queue;
    private long timestamp;

    /**
     * A waiting node in a policy's queue. Entries are checked against the member when taken, so an entry whose node
     * moved on (granted, removed, newer generation) is simply dropped.
     */
    public record QueueEntry(String node, long generation) {
    }

    @Override
    public void init(ProcessorContext<String, RolloutDecision> context) {
        this.context = context;
        this.states = context.getStateStore(STATE_STORE);
        this.members = context.getStateStore(MEMBER_STORE);
        this.queue = context.getStateStore(QUEUE_STORE);
    }

    @Override
    public void process(Record<String, CoordinatorInput> record) {
        timestamp = record.timestamp();
        String policy = record.key();
        if (record.value() instanceof CoordinatorInput.PolicyChange change) {
            onPolicy(policy, change.spec());
        } else if (record.value() instanceof CoordinatorInput.Enactment enactment) {
            onEnactment(policy, enactment.event());
        }
    }

    /** Manages a policy change: a new generation restarts the rollout, a deletion forgets it. */
    private void onPolicy(String policy, PolicySpec spec) {
        RolloutState state = states.get(policy);
        if (spec.deleted()) {
            if (state != null) {
                forget(policy);
            }
            return;
        }
        if (state == null) {
            state = RolloutState.unknownPolicy();
        } else if (state.policyKnown() && !state.uid().equals(spec.uid())) {
            forget(policy);
            state = RolloutState.unknownPolicy();
        } else if (state.policyKnown() && spec.generation() <= state.generation()) {
            return;
        }
        state = state.startGeneration(spec.uid(), spec.generation(), spec.maxUnavailable());
        dropQueuedBefore(policy, spec.generation());
        try (LogContext ignored = LogContext.of(policy, spec.generation(), null, null)) {
            LOG.info("Rollout of policy {} generation {}: maxUnavailable {}, {} matching nodes known", policy, spec.generation(),
                spec.maxUnavailable(), state.members());
        }
        state = grantOrAbort(policy, state);
        state = tellQueuedToWait(policy, state);
        states.put(policy, state);
    }

    /** Manages one enactment event of the policy. */
    private void onEnactment(String policy, EnactmentEvent event) {
        String node = event.getNode();
        String memberKey = memberKey(policy, node);
        RolloutMember before = members.get(memberKey);
        RolloutState state = states.get(policy);
        if (ReconcilerEnactments.isSlotRequest(event)) {
            onSlotRequest(policy, node, event.getGeneration(), before, state == null ? RolloutState.unknownPolicy() : state);
            return;
        }
        if (before == null || state == null) {
            return;
        }
        RolloutMember after = switch (event.getPhase()) {
            case AVAILABLE -> answers(before, event) ? before.withPhase(RolloutMember.Phase.AVAILABLE) : before;
            case FAILING -> answers(before, event)
                ? before.withPhase(ReconcilerEnactments.TIMEOUT.equals(event.getReason())
                    ? RolloutMember.Phase.TIMED_OUT : RolloutMember.Phase.FAILED)
                : before;
            // an agent skipped the command (e.g. a newer generation is already applied): the slot is free, nothing failed
            case ABORTED -> event.getCommandId() != null && answers(before, event) ? before.withPhase(RolloutMember.Phase.ABORTED) : before;
            // a REMOVED with a command id is a revert's outcome, about a deleted incarnation whose rollout is forgotten
            case REMOVED -> ReconcilerEnactments.releasesMembership(event) ? null : before;
            default -> before;
        };
        if (after == before) {
            return;
        }
        if (after == null) {
            members.delete(memberKey);
        } else {
            members.put(memberKey, after);
        }
        state = grantOrAbort(policy, state.replace(before, after));
        if (!state.policyKnown() && state.members() == 0) {
            // the last node of a policy deleted before its rollout began let go: nothing is left to remember
            forget(policy);
            return;
        }
        states.put(policy, state);
    }

    /** Manages a node's slot request: it joins the queue, and is granted, told to wait, or aborted. */
    private void onSlotRequest(String policy, String node, long generation, RolloutMember before, RolloutState current) {
        RolloutState state = current;
        RolloutMember waiting = new RolloutMember(generation, RolloutMember.Phase.WAITING, null, false);
        members.put(memberKey(policy, node), waiting);
        state = state.replace(before, waiting);
        boolean stale = state.policyKnown() && generation < state.generation();
        if (!stale) {
            queue.put(queueKey(policy, generation, state.nextSeq()), new QueueEntry(node, generation));
            state = state.advanceSeq();
        }
        if (state.policyKnown() && generation == state.generation()) {
            state = grantOrAbort(policy, state);
            RolloutMember now = members.get(memberKey(policy, node));
            if (now.phase() == RolloutMember.Phase.WAITING && !now.waitSent()) {
                members.put(memberKey(policy, node), new RolloutMember(generation, now.phase(), null, true));
                send(RolloutDecision.Kind.WAIT, node, policy, generation, null, state);
            }
        }
        states.put(policy, state);
    }

    /**
     * Manages the slots: aborts every waiting node once this generation's failures reach the limit, otherwise grants
     * slots to waiting nodes, first come first served, while fewer than the limit are taken.
     */
    private RolloutState grantOrAbort(String policy, RolloutState current) {
        RolloutState state = current;
        if (!state.policyKnown()) {
            return state;
        }
        if (!state.aborted() && state.failures() > 0 && state.failures() >= state.limit()) {
            try (LogContext ignored = LogContext.of(policy, state.generation(), null, null)) {
                LOG.warn("Rollout of policy {} generation {} aborted: {} nodes failed, maxUnavailable is {}", policy, state.generation(),
                    state.failures(), state.limit());
            }
            state = state.abort();
        }
        if (state.aborted()) {
            List<KeyValue<String, QueueEntry>> all = takeQueue(policy, state, Integer.MAX_VALUE);
            state = afterTaking(state, all);
            for (KeyValue<String, QueueEntry> entry : all) {
                state = transition(policy, entry.value, state, RolloutMember.Phase.ABORTED, RolloutDecision.Kind.ABORT);
            }
            return state;
        }
        while (state.slotsTaken() < state.limit()) {
            List<KeyValue<String, QueueEntry>> next = takeQueue(policy, state, 1);
            if (next.isEmpty()) {
                break;
            }
            state = afterTaking(state, next);
            state = transition(policy, next.get(0).value, state, RolloutMember.Phase.GRANTED, RolloutDecision.Kind.GRANT);
        }
        return state;
    }

    /** Moves a queued node to {@code phase} and tells it, if the entry still describes a waiting member of this generation. */
    private RolloutState transition(String policy, QueueEntry entry, RolloutState state, RolloutMember.Phase phase,
                                    RolloutDecision.Kind decision) {
        String memberKey = memberKey(policy, entry.node());
        RolloutMember before = members.get(memberKey);
        if (before == null || before.phase() != RolloutMember.Phase.WAITING || before.generation() != state.generation()
            || entry.generation() != state.generation()) {
            return state;
        }
        String commandId = decision == RolloutDecision.Kind.GRANT ? UUID.randomUUID().toString() : null;
        RolloutMember after = new RolloutMember(state.generation(), phase, commandId, before.waitSent());
        members.put(memberKey, after);
        RolloutState next = state.replace(before, after);
        send(decision, entry.node(), policy, state.generation(), commandId, next);
        return next;
    }

    /** Tells every queued node of the current generation that has not heard so yet that it must wait. */
    private RolloutState tellQueuedToWait(String policy, RolloutState state) {
        if (state.aborted()) {
            return state;
        }
        try (KeyValueIterator<String, QueueEntry> it = queue.range(queueKey(policy, state.generation(), state.queueHead()),
            queueKey(policy, state.generation(), Long.MAX_VALUE))) {
            while (it.hasNext()) {
                QueueEntry entry = it.next().value;
                String memberKey = memberKey(policy, entry.node());
                RolloutMember member = members.get(memberKey);
                if (member != null && member.phase() == RolloutMember.Phase.WAITING && member.generation() == state.generation()
                    && entry.generation() == state.generation() && !member.waitSent()) {
                    members.put(memberKey, new RolloutMember(member.generation(), member.phase(), null, true));
                    send(RolloutDecision.Kind.WAIT, entry.node(), policy, state.generation(), null, state);
                }
            }
        }
        return state;
    }

    /**
     * Removes and returns up to {@code max} entries from the head of the queue of one generation. Requests for a
     * generation the coordinator has not seen yet wait in their own part of the queue.
     */
    private List<KeyValue<String, QueueEntry>> takeQueue(String policy, RolloutState state, int max) {
        List<KeyValue<String, QueueEntry>> taken = new ArrayList<>();
        try (KeyValueIterator<String, QueueEntry> it = queue.range(queueKey(policy, state.generation(), state.queueHead()),
            queueKey(policy, state.generation(), Long.MAX_VALUE))) {
            while (it.hasNext() && taken.size() < max) {
                taken.add(it.next());
            }
        }
        taken.forEach(entry -> queue.delete(entry.key));
        return taken;
    }

    /** The state with its queue head moved past the entries just taken. */
    private static RolloutState afterTaking(RolloutState state, List<KeyValue<String, QueueEntry>> taken) {
        if (taken.isEmpty()) {
            return state;
        }
        String lastKey = taken.get(taken.size() - 1).key;
        return state.withQueueHead(Long.parseLong(lastKey.substring(lastKey.lastIndexOf(SEPARATOR) + 1)) + 1);
    }

    /** Drops the pending work of older generations: those nodes ask again for the new one. */
    private void dropQueuedBefore(String policy, long generation) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, QueueEntry> it = queue.range(queuePrefix(policy, 0), queuePrefix(policy, generation))) {
            it.forEachRemaining(entry -> keys.add(entry.key));
        }
        keys.stream().filter(key -> !key.startsWith(queuePrefix(policy, generation))).forEach(queue::delete);
    }

    /** Deletes everything kept about a policy's rollout. */
    private void forget(String policy) {
        deletePrefix(members, policy + SEPARATOR);
        deletePrefix(queue, policy + SEPARATOR);
        states.delete(policy);
        LOG.info("Rollout of policy {} forgotten: the policy was deleted", policy);
    }

    private static <V> void deletePrefix(KeyValueStore<String, V> store, String prefix) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, V> it = store.prefixScan(prefix, new StringSerializer())) {
            it.forEachRemaining(entry -> keys.add(entry.key));
        }
        keys.forEach(store::delete);
    }

    /** Whether an agent's (or the reconciler's timeout) event is the result of the member's granted command. */
    private static boolean answers(RolloutMember member, EnactmentEvent event) {
        if (member.phase() != RolloutMember.Phase.GRANTED) {
            return false;
        }
        return event.getCommandId() == null
            ? event.getGeneration() == member.generation()
            : event.getCommandId().equals(member.commandId());
    }

    private void send(RolloutDecision.Kind kind, String node, String policy, long generation, String commandId, RolloutState state) {
        context.forward(new Record<>(node, new RolloutDecision(kind, node, policy, generation, commandId, state.slotsTaken(),
            state.limit()), timestamp));
    }

    static String memberKey(String policy, String node) {
        return policy + SEPARATOR + node;
    }

    private static String queuePrefix(String policy, long generation) {
        return policy + SEPARATOR + SortableKeys.number(generation) + SEPARATOR;
    }

    private static String queueKey(String policy, long generation, long seq) {
        return queuePrefix(policy, generation) + SortableKeys.number(seq);
    }
}
