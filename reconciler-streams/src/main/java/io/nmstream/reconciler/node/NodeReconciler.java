package io.nmstream.reconciler.node;

import io.nmstream.common.logging.LogContext;
import io.nmstream.reconciler.PolicySpec;
import io.nmstream.reconciler.ReconcilerEnactments;
import io.nmstream.reconciler.SortableKeys;
import io.nmstream.reconciler.rollout.SlotRequest;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.CommandKind;
import io.nmstream.schemas.avro.DesiredStateCommand;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;
import io.nmstream.schemas.avro.ProbeSettings;
import io.nmstream.schemas.contract.EventContract;
import io.nmstream.schemas.identity.NodeSignatures;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each node's policies in step with the policies and the node's labels, and sends each node its commands, one at
 * a time, in delivery order.
 *
 * <p>Partitioned by node: every task holds its own nodes and a copy of every policy (policy changes are broadcast to
 * all partitions), so a policy change is matched against each partition's nodes in that partition's task. A node that
 * gains a generation of a limited policy joins its partition's queue for that policy; the partition admits queued
 * nodes itself, first come first served, as long as the slots the policy's
 * {@link io.nmstream.reconciler.rollout.RolloutCoordinator} leased to it are not all used, and uses a slot freed by one
 * of its nodes for the next without asking anyone ({@link PartitionSlots}). It asks the coordinator for more slots only
 * when its queue outgrows its lease, and gives back the slots it no longer needs; nodes still waiting after the
 * coordinator's answer are told why (PENDING, {@value ReconcilerEnactments#MAX_UNAVAILABLE_LIMIT_REACHED} when every
 * slot is taken, {@value ReconcilerEnactments#QUEUED_FOR_ROLLOUT} otherwise). A policy with maxUnavailable 100% holds
 * nobody back, so its nodes get the command at once. Agents' results, deadlines (wall-clock punctuation over a deadline
 * index), label changes, node removal and policy deletion are handled here too, each writing the enactment event the
 * user sees.
 *
 * <p>A restart loses nothing and blames no node for it: the running commands are in the node store, so the first
 * deadline check of a new run of the task re-sends every command an earlier run sent that is still unanswered, with
 * the same command id (a node that already applied it answers from its ledger) and a fresh deadline. A deadline that
 * passed while the reconciler was down is therefore renewed, not fired; a node that never answers still times out,
 * {@code commandTimeout} after the re-send.
 */
public final class NodeReconciler implements Processor<String, NodeInput, String, NodeOutput> {

    /** Store of {@link NodeState} by node name. */
    public static final String NODE_STORE = "reconciler-nodes";
    /** Store of this partition's copy of every policy, by name. */
    public static final String POLICY_STORE = "reconciler-policies";
    /** Store of running commands by {@code <deadline millis, 19 digits>|<node>}, to find expired ones without a scan. */
    public static final String DEADLINE_STORE = "reconciler-command-deadlines";

    private static final Logger LOG = LoggerFactory.getLogger(NodeReconciler.class);
    /** What a node waiting for its own earlier policies is told. */
    private static final String WAITING_FOR_THE_NODE = "Waiting for its turn on this node, which applies one policy at a "
        + "time (by priority, then name)";
    /** Most rollout shares read for one input whose map is cleared rather than dropped: an input reads a node or two. */
    private static final int SHARES_READ_CLEARED = 64;

    /** Store of each policy's rollout in this partition ({@link PartitionRollout}), by policy name. */
    public static final String ROLLOUT_STORE = PartitionSlots.STORE;
    /** Store of this partition's queues of nodes waiting for a rollout slot. */
    public static final String QUEUE_STORE = PartitionSlots.QUEUE_STORE;

    private final Duration commandTimeout;
    private final Duration deadlineCheckInterval;
    private final LongSupplier resultsReadUpTo;
    private ProcessorContext<String, NodeOutput> context;
    private KeyValueStore<String, NodeState> nodes;
    private PartitionSlots slots;
    /** Each node's rollout shares as they were when it was read, so that saving it counts only what changed. */
    private Map<String, Map<String, RolloutShare>> sharesRead = new HashMap<>();
    /** This task's partition: the node partition its rollout requests speak for. */
    private int partition;
    private KeyValueStore<String, PolicySpec> policies;
    private KeyValueStore<String, String> deadlines;
    /**
     * The policies read from {@link #POLICY_STORE} so far, so that a rollout does not decode the policy (desired state
     * included) once per node. Only {@link #onPolicy} writes the store, and it keeps this map equal to it; it is
     * emptied whenever the task is (re)initialised, since the store may then have been restored.
     */
    private final Map<String, PolicySpec> policyCache = new HashMap<>();
    private long timestamp;
    /**
     * Deadlines up to here were already handled, so the next scan starts here instead of stepping over the tombstones
     * of every command ever finished. Not stored: after a restart the first scan starts from zero.
     */
    private long scannedUpTo;
    /** This run of the task: commands it sends carry it, so that a later run knows which ones it inherited. */
    private String run;
    /** Whether this run has re-sent the commands it inherited (done at its first deadline check). */
    private boolean resumed;

    /**
     * @param commandTimeout how long a node has to report a command's result
     * @param deadlineCheckInterval how often (wall clock) expired commands are looked for
     * @param resultsReadUpTo every result published before this time (epoch milliseconds) has been processed here; a
     *     deadline is judged against the earlier of it and the wall clock, so that a result that is already in the
     *     enactments topic but not yet read never lets its command time out
     */
    public NodeReconciler(Duration commandTimeout, Duration deadlineCheckInterval, LongSupplier resultsReadUpTo) {
        this.commandTimeout = commandTimeout;
        this.deadlineCheckInterval = deadlineCheckInterval;
        this.resultsReadUpTo = resultsReadUpTo;
    }

    @Override
    public void init(ProcessorContext<String, NodeOutput> context) {
        this.context = context;
        this.nodes = context.getStateStore(NODE_STORE);
        this.policies = context.getStateStore(POLICY_STORE);
        this.deadlines = context.getStateStore(DEADLINE_STORE);
        this.slots = new PartitionSlots(context.getStateStore(ROLLOUT_STORE), context.getStateStore(QUEUE_STORE));
        this.partition = context.taskId().partition();
        policyCache.clear();
        forgetSharesRead();
        run = UUID.randomUUID().toString();
        resumed = false;
        scannedUpTo = 0;
        context.schedule(deadlineCheckInterval, PunctuationType.WALL_CLOCK_TIME, this::expireCommands);
    }

    @Override
    public void process(Record<String, NodeInput> record) {
        timestamp = record.timestamp();
        NodeInput input = record.value();
        if (input instanceof NodeInput.Inventory inventory) {
            onInventory(record.key(), inventory);
        } else if (input instanceof NodeInput.PolicyChange change) {
            onPolicy(change.spec());
        } else if (input instanceof NodeInput.Report report) {
            onReport(record.key(), report.event());
        } else if (input instanceof NodeInput.Identity identity) {
            onIdentity(record.key(), identity);
        } else if (input instanceof NodeInput.Lease lease) {
            slots.lease(lease.lease());
        }
        settleRollouts(false);
    }

    /** Manages inventory: a new or relabelled node is matched against every policy; a removed node lets go of all. */
    private void onInventory(String node, NodeInput.Inventory inventory) {
        NodeState state = load(node);
        // thrown before anything changed: a registration its node did not sign is set aside as a dead letter
        String introducedKey = EventContract.checkRegistrationSigned(node, inventory.registration(),
            state == null ? List.of() : state.publicKeys());
        if (inventory.removed()) {
            if (state == null) {
                save(node, NodeState.departed());
            } else if (!state.left()) {
                leave(node, state);
            }
            return;
        }
        if (state != null && !state.left() && state.labels().equals(inventory.labels())) {
            // a heartbeat (lastSeen, readiness): matching depends on labels only
            if (introducedKey != null) {
                state.addPublicKey(introducedKey);
                save(node, state);
            }
            return;
        }
        if (state == null || state.left()) {
            state = state == null ? new NodeState() : state.rejoined();
        }
        if (introducedKey != null) {
            state.addPublicKey(introducedKey);
        }
        state.labels(inventory.labels());
        List<PolicySpec> all = new ArrayList<>();
        try (KeyValueIterator<String, PolicySpec> it = policies.all()) {
            it.forEachRemaining(entry -> all.add(entry.value));
        }
        for (PolicySpec spec : all) {
            match(node, state, spec);
        }
        advance(node, state);
        save(node, state);
    }

    /** Records an operator's re-key: the node may sign with the key from now on (and with those it had). */
    private void onIdentity(String node, NodeInput.Identity identity) {
        NodeState state = load(node);
        // a node re-keyed before it (re)registers is known by its key only, as one that is not (yet) in the inventory
        state = state == null ? NodeState.departed() : state;
        state.addPublicKey(identity.publicKey());
        save(node, state);
    }

    /** Manages a policy change against every node of this partition. */
    private void onPolicy(PolicySpec spec) {
        PolicySpec previous = policies.get(spec.name());
        if (spec.deleted()) {
            if (previous == null) {
                return;
            }
            policies.delete(spec.name());
            policyCache.remove(spec.name());
            for (String node : nodeNames()) {
                NodeState state = load(node);
                if (state.held().containsKey(spec.name())) {
                    release(node, state, previous);
                    advance(node, state);
                    save(node, state);
                }
            }
            PartitionRollout rollout = slots.forget(spec.name());
            if (rollout != null) {
                // the coordinator forgets this partition's share, even one it hears of after the policy's deletion
                SlotRequest last = rollout.request(spec.name(), partition);
                forward(spec.name(), new NodeOutput.Request(new SlotRequest(last.policy(), last.uid(), last.generation(), partition, 0, 0,
                    0, 0, last.granted(), last.returned(), true)));
            }
            return;
        }
        if (previous != null && previous.uid().equals(spec.uid()) && previous.generation() >= spec.generation()) {
            return;
        }
        policies.put(spec.name(), spec);
        policyCache.put(spec.name(), spec);
        slots.startGeneration(spec);
        for (String node : nodeNames()) {
            NodeState state = load(node);
            if (!state.left() && match(node, state, spec)) {
                advance(node, state);
                save(node, state);
            }
        }
    }

    /** Manages an agent's report: a result of the running command finishes it and lets the next one go. */
    private void onReport(String node, EnactmentEvent event) {
        NodeState state = load(node);
        // thrown before anything changed: the report is set aside as a dead letter (a node that left is known, and its
        // late report merely answers nothing)
        EventContract.checkKnownNode("Enactment", Topics.enactmentKey(node, event.getPolicy()), node, name -> state != null);
        EventContract.checkSignedByNode("Enactment", Topics.enactmentKey(node, event.getPolicy()), node, state.publicKeys(),
            !state.publicKeys().isEmpty() && NodeSignatures.verifies(event, state.publicKeys()));
        if (appliedAfterTimeout(node, state, event)) {
            advance(node, state);
            save(node, state);
            return;
        }
        if (state.inFlight() == null) {
            return;
        }
        CommandInFlight running = state.inFlight();
        boolean answers = event.getCommandId() == null
            ? event.getPolicy().equals(running.policy()) && event.getGeneration() == running.generation()
            : event.getCommandId().equals(running.commandId());
        Outcome outcome = switch (event.getPhase()) {
            case AVAILABLE -> Outcome.APPLIED;
            case REMOVED -> running.kind() == CommandKind.REVERT ? Outcome.REMOVED : Outcome.SKIPPED;
            case FAILING -> Outcome.FAILED;
            case ABORTED -> Outcome.SKIPPED;
            default -> null;
        };
        if (!answers || outcome == null) {
            return;
        }
        finish(node, state, outcome, event.getReason());
        advance(node, state);
        save(node, state);
    }

    /**
     * Manages a node's AVAILABLE for the command of its current generation that had timed out: an agent does not drop a
     * command past its deadline (a node that was down or slow for longer than the timeout applies it when it gets to it),
     * so the node now holds the policy's state. It counts as applied from here on: a delete with revertOnDelete reverts
     * it, and it no longer counts as a failure of the generation nor holds its slot. An abort the timeout already caused
     * stands: the nodes it stopped were told, and the abort is exact for the failures there were at the time.
     *
     * @return whether {@code event} was such a result (and the node's entry was updated)
     */
    private boolean appliedAfterTimeout(String node, NodeState state, EnactmentEvent event) {
        HeldPolicy held = state.held().get(event.getPolicy().toString());
        boolean late = event.getPhase() == EnactmentPhase.AVAILABLE && held != null && held.stage() == HeldPolicy.Stage.FAILED
            && event.getCommandId() != null && event.getCommandId().toString().equals(held.commandId())
            && event.getGeneration() == held.generation();
        if (!late) {
            return false;
        }
        try (LogContext ignored = LogContext.of(event.getPolicy().toString(), held.generation(), node, held.commandId())) {
            LOG.info("Node {} applied policy {} generation {} after its command had timed out: it counts as applied", node,
                event.getPolicy(), held.generation());
        }
        state.held().put(event.getPolicy().toString(), held.applied(held.generation()).withStage(HeldPolicy.Stage.AVAILABLE));
        return true;
    }

    /**
     * Manages the rollouts whose share in this partition changed while processing one input: admits queued nodes into
     * free slots, aborts them once the coordinator said so, gives back slots nobody here needs, tells nodes left waiting
     * why, and then tells the coordinators what they need to know. {@code deferred} also sends the requests that only
     * carry a new matching count (at most once per deadline check, so that a fleet joining node by node does not send a
     * request per node).
     */
    private void settleRollouts(boolean deferred) {
        for (List<String> unsettled = slots.takeUnsettled(); !unsettled.isEmpty(); unsettled = slots.takeUnsettled()) {
            unsettled.forEach(this::settle);
        }
        List<String> toReport = deferred ? slots.policies() : slots.changed();
        for (String policy : toReport) {
            SlotRequest request = slots.request(policy, partition, deferred);
            if (request != null) {
                forward(policy, new NodeOutput.Request(request));
            }
        }
        slots.flush();
        forgetSharesRead();
    }

    /** Manages one policy's rollout in this partition, after its share changed. */
    private void settle(String policy) {
        PartitionRollout rollout = slots.get(policy);
        if (rollout == null) {
            return;
        }
        if (rollout.limited() && rollout.aborted()) {
            for (PartitionSlots.Waiting next = slots.next(policy); next != null; next = slots.next(policy)) {
                abort(policy, next);
            }
        } else if (rollout.admitting()) {
            while (rollout.free() > 0 && rollout.waiting() > 0) {
                PartitionSlots.Waiting next = slots.next(policy);
                if (next == null) {
                    LOG.warn("Rollout of policy {}: {} nodes counted as waiting in partition {}, none found in its queue", policy,
                        rollout.waiting(), partition);
                    break;
                }
                admit(policy, next);
            }
        }
        slots.giveBackUnused(policy);
        if (rollout.limited() && rollout.answered()) {
            tellWhyTheyWait(policy, rollout);
        }
    }

    /** Admits a queued node into one of its partition's slots: its command goes out as soon as the node is idle. */
    private void admit(String policy, PartitionSlots.Waiting waiting) {
        NodeState state = load(waiting.node());
        HeldPolicy held = stillWaiting(state, policy, waiting);
        if (held == null) {
            return;
        }
        state.held().put(policy, held.admitted(UUID.randomUUID().toString()));
        advance(waiting.node(), state);
        save(waiting.node(), state);
    }

    /** Aborts a queued node: failures of this generation reached maxUnavailable before its turn. */
    private void abort(String policy, PartitionSlots.Waiting waiting) {
        NodeState state = load(waiting.node());
        if (stillWaiting(state, policy, waiting) == null) {
            return;
        }
        abort(waiting.node(), state, policy);
        advance(waiting.node(), state);
        save(waiting.node(), state);
    }

    private void abort(String node, NodeState state, String policy) {
        HeldPolicy held = state.held().get(policy);
        state.held().put(policy, held.withStage(HeldPolicy.Stage.ABORTED));
        enactment(node, policy, held.generation(), null, EnactmentPhase.ABORTED, ReconcilerEnactments.CONFIGURATION_ABORTED,
            "Rollout aborted: as many nodes failed this generation as maxUnavailable allows");
    }

    /**
     * Tells the nodes queued since the coordinator last answered, with a limit that counts every partition's nodes, why
     * they wait: every slot is taken (the limit is reached), or they are queued for one. Nodes told they were queued hear
     * it again once the limit is reached while they still wait: that is then why they wait.
     */
    private void tellWhyTheyWait(String policy, PartitionRollout rollout) {
        boolean limitReached = rollout.limitReached();
        String reason = limitReached ? ReconcilerEnactments.MAX_UNAVAILABLE_LIMIT_REACHED : ReconcilerEnactments.QUEUED_FOR_ROLLOUT;
        String message = limitReached
            ? String.format(Locale.ROOT, "Waiting for a rollout slot: maxUnavailable is %d and every slot is taken", rollout.limit())
            : "Queued for a rollout slot";
        boolean toldQueued = false;
        List<PartitionSlots.Waiting> toTell = limitReached && rollout.queuedTold() ? slots.queued(policy) : slots.untold(policy);
        for (PartitionSlots.Waiting waiting : toTell) {
            NodeState state = load(waiting.node());
            HeldPolicy held = stillWaiting(state, policy, waiting);
            if (held == null || (held.pendingReported() && !(limitReached && held.pendingQueued()))) {
                continue;
            }
            state.held().put(policy, held.withPendingReported(!limitReached));
            enactment(waiting.node(), policy, held.generation(), null, EnactmentPhase.PENDING, reason, message);
            save(waiting.node(), state);
            toldQueued = !limitReached;
        }
        rollout.pendingReported(toldQueued);
    }

    /** The node's entry for {@code policy} if it still waits in the queue it was taken from, null otherwise. */
    private static HeldPolicy stillWaiting(NodeState state, String policy, PartitionSlots.Waiting waiting) {
        HeldPolicy held = state == null ? null : state.held().get(policy);
        return held != null && held.stage() == HeldPolicy.Stage.AWAITING_SLOT && held.generation() == waiting.generation() ? held : null;
    }

    /**
     * Manages commands past their deadline: FAILING with reason Timeout, a failure of the rollout. A deadline has
     * passed once the wall clock has passed it and every result published before it has been read.
     */
    private void expireCommands(long now) {
        timestamp = now;
        if (!resumed) {
            resendInherited(now);
            resumed = true;
        }
        long judgedAt = Math.min(now, resultsReadUpTo.getAsLong());
        if (judgedAt < scannedUpTo) {
            return;
        }
        List<KeyValue<String, String>> expired = new ArrayList<>();
        try (KeyValueIterator<String, String> it = deadlines.range(deadlineKey(scannedUpTo, ""), deadlineKey(judgedAt, "\uffff"))) {
            it.forEachRemaining(expired::add);
        }
        scannedUpTo = judgedAt;
        for (KeyValue<String, String> entry : expired) {
            deadlines.delete(entry.key);
            NodeState state = load(entry.value);
            CommandInFlight running = state == null ? null : state.inFlight();
            boolean stillRunning = running != null && running.deadlineMillis() <= judgedAt
                && entry.key.equals(deadlineKey(running.deadlineMillis(), entry.value));
            if (!stillRunning) {
                continue;
            }
            try (LogContext ignored = LogContext.of(running.policy(), running.generation(), entry.value, running.commandId())) {
                LOG.warn("Command {} (policy {} generation {}) on node {} passed its deadline", running.commandId(), running.policy(),
                    running.generation(), entry.value);
                enactment(entry.value, running.policy(), running.generation(), running.commandId(), EnactmentPhase.FAILING,
                    ReconcilerEnactments.TIMEOUT, "No result from the node within " + commandTimeout.toSeconds() + "s");
                finish(entry.value, state, Outcome.FAILED, ReconcilerEnactments.TIMEOUT);
                advance(entry.value, state);
            }
            save(entry.value, state);
        }
        settleRollouts(true);
    }

    /**
     * Manages the commands an earlier run of this task sent and never saw answered (it crashed, was stopped, or the task
     * moved): each is sent again with its own command id and a fresh deadline. Whether the command or its result was
     * lost, or only the reconciler's attention, the node's answer settles it, and a deadline that passed while nobody
     * was watching is not held against the node. Runs before the first expiry check of the run.
     */
    private void resendInherited(long now) {
        List<KeyValue<String, String>> running = new ArrayList<>();
        try (KeyValueIterator<String, String> it = deadlines.all()) {
            it.forEachRemaining(running::add);
        }
        int resent = 0;
        for (KeyValue<String, String> entry : running) {
            NodeState state = load(entry.value);
            CommandInFlight command = state == null ? null : state.inFlight();
            if (command == null || run.equals(command.sentBy()) || !entry.key.equals(deadlineKey(command.deadlineMillis(), entry.value))) {
                continue;
            }
            deadlines.delete(entry.key);
            resend(entry.value, state, command, now);
            save(entry.value, state);
            resent++;
        }
        if (resent > 0) {
            LOG.info("Re-sent {} unanswered commands sent before this run of the task, with fresh deadlines", resent);
        }
    }

    /** Sends an inherited command again, as it was first sent; only the deadline is new. */
    private void resend(String node, NodeState state, CommandInFlight command, long now) {
        try (LogContext ignored = LogContext.of(command.policy(), command.generation(), node, command.commandId())) {
            if (command.kind() == CommandKind.REVERT) {
                PendingRevert revert = state.reverts().stream().filter(r -> r.policy().equals(command.policy())).findFirst().orElse(null);
                if (revert != null) {
                    send(node, state, revert.policy(), revert.generation(), CommandKind.REVERT, revert.desiredState(),
                        revert.desiredStateDigest(), revert.capture(), command.commandId(), false);
                    return;
                }
            } else {
                PolicySpec spec = policies.get(command.policy());
                if (spec != null && spec.generation() == command.generation()) {
                    send(node, state, command.policy(), command.generation(), CommandKind.APPLY, spec.desiredState(),
                        spec.desiredStateDigest(), spec.capture(), command.commandId(), command.slot());
                    return;
                }
            }
            // the policy moved on since: this generation's desired state is no longer kept, but the command is still in
            // the commands topic, where the node's agent resumes reading; only the deadline is renewed
            LOG.info("Command {} (policy {} generation {}) on node {}: the policy has changed since it was sent; deadline renewed",
                command.commandId(), command.policy(), command.generation(), node);
            long deadline = now + commandTimeout.toMillis();
            state.inFlight(new CommandInFlight(command.commandId(), command.policy(), command.generation(), command.kind(), deadline, run,
                command.slot()));
            deadlines.put(deadlineKey(deadline, node), node);
        }
    }

    /**
     * Matches one policy against one node: a node that now matches targets the policy's generation, a node that no
     * longer matches lets go of it.
     *
     * @return whether the node's state changed
     */
    private boolean match(String node, NodeState state, PolicySpec spec) {
        HeldPolicy held = state.held().get(spec.name());
        if (spec.selects(state.labels())) {
            if (held != null && held.uid().equals(spec.uid()) && held.generation() >= spec.generation()) {
                return false;
            }
            state.held().put(spec.name(), HeldPolicy.target(spec, held));
            return true;
        }
        if (held == null) {
            return false;
        }
        state.held().remove(spec.name());
        dropCommandOf(node, state, spec.name());
        enactment(node, spec.name(), held.generation(), null, EnactmentPhase.REMOVED, ReconcilerEnactments.NODE_SELECTOR_NOT_MATCHING,
            "The node's labels no longer match the policy's nodeSelector");
        return true;
    }

    /** Lets go of a deleted policy: a node that applied it owes a revert when it asked for one, otherwise it is removed. */
    private void release(String node, NodeState state, PolicySpec deleted) {
        HeldPolicy held = state.held().remove(deleted.name());
        boolean wasApplying = dropCommandOf(node, state, deleted.name());
        if (deleted.revertOnDelete() && (held.appliedGeneration() > 0 || wasApplying)) {
            long generation = held.appliedGeneration() > 0 ? held.appliedGeneration() : held.generation();
            state.reverts().add(new PendingRevert(deleted.name(), generation, deleted.desiredState(), deleted.desiredStateDigest(),
                deleted.capture()));
            return;
        }
        enactment(node, deleted.name(), held.generation(), null, EnactmentPhase.REMOVED, ReconcilerEnactments.POLICY_DELETED,
            "The policy was deleted");
    }

    /** Lets go of everything when the node leaves the inventory, and of the rollout slots it used. */
    private void leave(String node, NodeState state) {
        dropCommandOf(node, state, null);
        for (Map.Entry<String, HeldPolicy> entry : state.held().entrySet()) {
            enactment(node, entry.getKey(), entry.getValue().generation(), null, EnactmentPhase.REMOVED, ReconcilerEnactments.NODE_REMOVED,
                "The node left the inventory");
        }
        for (PendingRevert revert : state.reverts()) {
            enactment(node, revert.policy(), revert.generation(), null, EnactmentPhase.REMOVED, ReconcilerEnactments.NODE_REMOVED,
                "The node left the inventory before reverting the deleted policy");
        }
        save(node, state.leaving());
    }

    /** How a command ended. */
    private enum Outcome {
        /** Applied (AVAILABLE). */
        APPLIED,
        /** A revert removed the policy's state, and the agent said so with REMOVED. */
        REMOVED,
        /** Failed or timed out. */
        FAILED,
        /** The agent skipped it (ABORTED, e.g. a newer generation is already applied). */
        SKIPPED
    }

    /** Finishes the running command with its outcome. */
    private void finish(String node, NodeState state, Outcome outcome, String reason) {
        CommandInFlight running = state.inFlight();
        dropCommandOf(node, state, null);
        if (running.kind() == CommandKind.REVERT) {
            state.reverts().removeIf(revert -> revert.policy().equals(running.policy()));
            if (outcome == Outcome.APPLIED) {
                enactment(node, running.policy(), running.generation(), running.commandId(), EnactmentPhase.REMOVED,
                    ReconcilerEnactments.REVERTED, "The policy was deleted and its state reverted");
            } else if (outcome != Outcome.REMOVED) {
                enactment(node, running.policy(), running.generation(), running.commandId(), EnactmentPhase.REMOVED,
                    ReconcilerEnactments.REVERT_FAILED, "The policy was deleted; reverting its state did not succeed: " + reason);
            }
            return;
        }
        HeldPolicy held = state.held().get(running.policy());
        if (held == null) {
            return;
        }
        if (outcome == Outcome.APPLIED) {
            held = held.applied(running.generation());
        }
        if (held.generation() == running.generation() && held.stage() == HeldPolicy.Stage.IN_FLIGHT) {
            held = held.withStage(switch (outcome) {
                case APPLIED -> HeldPolicy.Stage.AVAILABLE;
                case FAILED -> HeldPolicy.Stage.FAILED;
                default -> HeldPolicy.Stage.ABORTED;
            });
        }
        state.held().put(running.policy(), held);
    }

    /**
     * Manages what happens next on an idle or busy node: queues it for the rollout of its first policy in delivery order
     * that has not settled (unless that policy's older command still runs), then, when idle, sends the owed revert or the
     * next admitted policy in delivery order. A policy waits for every policy before it to settle, and for the command
     * the node runs, so a node gets its policies in a stable order; and it joins a limited rollout only then, so that a
     * node busy with one policy (or retrying it) holds no slot of the next, which a node with nothing to do takes instead.
     * A node that was queued or admitted before a policy earlier in delivery order reached it gives back its place or its
     * slot until that one has settled. Each policy left waiting behind another is told so once (PENDING
     * {@value ReconcilerEnactments#QUEUED_FOR_ROLLOUT}).
     */
    private void advance(String node, NodeState state) {
        CommandInFlight running = state.inFlight();
        // the policy that must settle on the node before the others may take part in a rollout: the running command's,
        // else the first in delivery order that has not settled
        String blocker = running == null ? null : running.policy();
        for (String policy : state.deliveryOrder()) {
            HeldPolicy held = state.held().get(policy);
            boolean runs = running != null && running.policy().equals(policy);
            boolean waitsForAnother = blocker != null && !blocker.equals(policy);
            if (held.stage() == HeldPolicy.Stage.ANNOUNCE && !runs) {
                if (policy(policy).rolloutLimit().unlimited()) {
                    // maxUnavailable 100%: every matching node may apply at once, so it needs no slot
                    state.held().put(policy, held.granted(UUID.randomUUID().toString()));
                } else if (slots.get(policy).abortedFor(held.generation())) {
                    abort(node, state, policy);
                } else if (!waitsForAnother) {
                    state.held().put(policy, held.queued());
                    slots.enqueue(policy, held.generation(), node);
                }
            } else if (waitsForAnother && (held.stage() == HeldPolicy.Stage.AWAITING_SLOT
                || held.stage() == HeldPolicy.Stage.GRANTED && held.slot())) {
                state.held().put(policy, held.released());
            }
            held = state.held().get(policy);
            if (waitsForAnother && !held.pendingReported()
                && (held.stage() == HeldPolicy.Stage.ANNOUNCE || held.stage() == HeldPolicy.Stage.GRANTED)) {
                state.held().put(policy, held.withPendingReported(true));
                // said once, so it names no policy: the one it waits for changes as the node works through its queue
                enactment(node, policy, held.generation(), null, EnactmentPhase.PENDING, ReconcilerEnactments.QUEUED_FOR_ROLLOUT,
                    WAITING_FOR_THE_NODE);
            }
            if (blocker == null && !held.stage().settled()) {
                blocker = policy;
            }
        }
        if (running != null) {
            return;
        }
        if (!state.reverts().isEmpty()) {
            PendingRevert revert = state.reverts().get(0);
            send(node, state, revert.policy(), revert.generation(), CommandKind.REVERT, revert.desiredState(), revert.desiredStateDigest(),
                revert.capture(), UUID.randomUUID().toString(), false);
            return;
        }
        for (String policy : state.deliveryOrder()) {
            HeldPolicy held = state.held().get(policy);
            if (held.stage() == HeldPolicy.Stage.GRANTED) {
                PolicySpec spec = policy(policy);
                state.held().put(policy, held.withStage(HeldPolicy.Stage.IN_FLIGHT));
                send(node, state, policy, held.generation(), CommandKind.APPLY, spec.desiredState(), spec.desiredStateDigest(),
                    spec.capture(), held.commandId(), held.slot());
                return;
            }
            if (!held.stage().settled()) {
                return;
            }
        }
    }

    /**
     * Sends one command. A policy's captures go with every command of it, APPLY and REVERT alike: the node resolves them
     * for an APPLY, and for a REVERT they tell it to remove the state it resolved rather than the templates.
     */
    private void send(String node, NodeState state, String policy, long generation, CommandKind kind, String desiredState, String digest,
                      Map<String, String> capture, String commandId, boolean slot) {
        long now = context.currentSystemTimeMs();
        long deadline = now + commandTimeout.toMillis();
        DesiredStateCommand command = DesiredStateCommand.newBuilder()
            .setCommandId(commandId)
            .setNode(node)
            .setPolicy(policy)
            .setGeneration(generation)
            .setKind(kind)
            .setDesiredState(desiredState)
            .setDesiredStateDigest(digest)
            .setCapture(capture)
            .setIssuedAt(Instant.ofEpochMilli(now))
            .setDeadline(Instant.ofEpochMilli(deadline))
            .setProbes(ProbeSettings.newBuilder().build())
            .build();
        state.inFlight(new CommandInFlight(commandId, policy, generation, kind, deadline, run, slot));
        deadlines.put(deadlineKey(deadline, node), node);
        try (LogContext ignored = LogContext.of(policy, generation, node, commandId)) {
            LOG.debug("Sending {} command {} (policy {} generation {}) to node {}", kind, commandId, policy, generation, node);
            context.forward(new Record<>(node, new NodeOutput.Command(command), timestamp));
        }
    }

    /**
     * Forgets the running command when it belongs to {@code policy} (any policy when null); the agent may still finish
     * it, but its result no longer matters.
     *
     * @return whether a command was dropped
     */
    private boolean dropCommandOf(String node, NodeState state, String policy) {
        CommandInFlight running = state.inFlight();
        if (running == null || (policy != null && !running.policy().equals(policy))) {
            return false;
        }
        deadlines.delete(deadlineKey(running.deadlineMillis(), node));
        state.inFlight(null);
        return true;
    }

    private void enactment(String node, String policy, long generation, String commandId, EnactmentPhase phase, String reason,
                           String message) {
        EnactmentEvent event = ReconcilerEnactments.event(node, policy, generation, commandId, phase, reason, message,
            context.currentSystemTimeMs());
        forward(Topics.enactmentKey(node, policy), new NodeOutput.Enactment(event));
    }

    private void forward(String key, NodeOutput output) {
        context.forward(new Record<>(key, output, timestamp));
    }

    /**
     * Forgets the rollout shares read while processing one input. A policy change reads every node of the partition, and
     * a map that grew that large would cost its whole capacity at every later clear (each input reads a node or two), so
     * it is dropped instead.
     */
    private void forgetSharesRead() {
        if (sharesRead.size() > SHARES_READ_CLEARED) {
            sharesRead = new HashMap<>();
        } else {
            sharesRead.clear();
        }
    }

    /** Reads a node (null when unknown), remembering its rollout shares for {@link #save}. */
    private NodeState load(String node) {
        NodeState state = nodes.get(node);
        sharesRead.put(node, RolloutShare.of(state));
        return state;
    }

    /**
     * Writes a node read with {@link #load} ({@code null} deletes it), and counts the change of its rollout shares in its
     * partition's rollouts, in the same transaction: the partition's sums always equal a count over its nodes.
     */
    private void save(String node, NodeState state) {
        Map<String, RolloutShare> before = sharesRead.getOrDefault(node, Map.of());
        Map<String, RolloutShare> after = RolloutShare.of(state);
        slots.count(before, after);
        sharesRead.put(node, after);
        if (state == null) {
            nodes.delete(node);
        } else {
            nodes.put(node, state);
        }
    }

    /** This partition's node names; states are then read one by one, so a policy change never holds them all in memory. */
    private List<String> nodeNames() {
        List<String> names = new ArrayList<>();
        try (KeyValueIterator<String, NodeState> it = nodes.all()) {
            it.forEachRemaining(entry -> names.add(entry.key));
        }
        return names;
    }

    /** A policy this partition knows (the node holds it, so it is in the store). */
    private PolicySpec policy(String name) {
        return policyCache.computeIfAbsent(name, policies::get);
    }

    static String deadlineKey(long deadlineMillis, String node) {
        return SortableKeys.number(deadlineMillis) + "|" + node;
    }
}
