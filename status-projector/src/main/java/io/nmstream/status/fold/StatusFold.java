package io.nmstream.status.fold;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;
import io.nmstream.schemas.avro.NodeNetworkState;
import io.nmstream.schemas.avro.PolicyAction;
import io.nmstream.schemas.avro.PolicyEvent;
import io.nmstream.schemas.avro.ResourceKind;
import io.nmstream.schemas.avro.ResourceStatus;
import io.nmstream.schemas.avro.RolloutEvent;
import io.nmstream.schemas.avro.StatusCondition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Fleet status as a pure, incremental fold of the event log: policy events, enactment events and node states go in,
 * NNCP, NNCE and NNS statuses come out.
 *
 * <p>Each {@code apply} returns the statuses that changed in something besides their timestamps (a deleted resource
 * comes back once with {@code deleted = true} and is then forgotten). One event costs the same whatever the size of the
 * fleet: the policy aggregate is computed from {@link PhaseCounts} that each enactment change updates by its delta,
 * never by listing enactments as kubernetes-nmstate does.
 *
 * <p>All times come from the events, never from a clock, so folding the same events in the same order always gives the
 * same statuses: this is what makes replays and offline folds comparable with the live projection.
 *
 * <p>A policy's matching nodes are the count the reconciler published for its current generation ({@link RolloutEvent}),
 * less the nodes that let go of the policy since (REMOVED), or more if more of its enactments are at that generation;
 * until that count is in, its live enactments. A policy with neither yet has not been evaluated: its conditions are
 * Unknown, not Ignored.
 *
 * <p>Rules beyond kubernetes-nmstate's condition semantics: a policy's current generation is the highest generation seen
 * in its policy events or enactments (topics are not ordered with each other); an enactment event older than the
 * enactment's generation is stale and ignored; events for a deleted policy are ignored unless they remove an enactment.
 * Not thread-safe: one thread folds.
 */
public final class StatusFold {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DETAIL_PREFIX = "{\"desiredStateDigest\":\"";
    private static final String DETAIL_SUFFIX = "\"}";

    private final Map<String, PolicyState> policies = new HashMap<>();
    private final Map<String, Long> deletedPolicyGenerations = new HashMap<>();
    private final Map<String, EnactmentState> enactments = new HashMap<>();
    private final Map<String, ResourceStatus> nodeStates = new HashMap<>();
    private long eventsApplied;

    /** One incarnation of a policy: its generation, the counts of its enactments, its last status. */
    private static final class PolicyState {
        final String name;
        final PhaseCounts counts = new PhaseCounts();
        String uid;
        long generation;
        ResourceStatus status;
        /** The detail its enactments' statuses last got, shared by them all rather than one copy per node. */
        String enactmentDetail;
        /** Generation of the reconciler's latest count of matched nodes; 0 before any. */
        long matchedGeneration;
        int matchedNodes;

        PolicyState(String name, String uid, long generation) {
            this.name = name;
            this.uid = uid;
            this.generation = generation;
        }

        /** Whether the reconciler counted the nodes of the current generation. */
        boolean matchedCounted() {
            return matchedGeneration == generation;
        }

        /** Nodes the policy matches, as far as is known. */
        int matching() {
            return matchedCounted() ? Math.max(matchedNodes, counts.current()) : counts.matching();
        }

        /**
         * Whether anything said yet which nodes the current generation matches: the reconciler's count of it, or an
         * enactment of it. What was said of an older generation says nothing (as kubernetes-nmstate resets a policy's
         * conditions when its spec changes): the new generation may match other nodes, or none. Only enactments count
         * when the reconciler published no count for the incarnation at all.
         */
        boolean evaluated() {
            return matchedCounted() || counts.current() > 0 || matchedGeneration == 0 && counts.matching() > 0;
        }

        PolicyState copy() {
            PolicyState copy = new PolicyState(name, uid, generation);
            copy.setTo(this);
            return copy;
        }

        void setTo(PolicyState other) {
            uid = other.uid;
            generation = other.generation;
            counts.setTo(other.counts);
            status = other.status;
            enactmentDetail = other.enactmentDetail;
            matchedGeneration = other.matchedGeneration;
            matchedNodes = other.matchedNodes;
        }
    }

    /** One enactment: the policy incarnation it is counted in, its generation and phase, its last status. */
    private static final class EnactmentState {
        PolicyState countedIn;
        long generation;
        EnactmentPhase phase;
        ResourceStatus status;

        EnactmentState copy() {
            EnactmentState copy = new EnactmentState();
            copy.setTo(this);
            return copy;
        }

        void setTo(EnactmentState other) {
            countedIn = other.countedIn;
            generation = other.generation;
            phase = other.phase;
            status = other.status;
        }
    }

    /** A resource whose status the fold keeps. */
    public record Resource(ResourceKind kind, String name) {

        /** Its status key ({@link StatusKey}). */
        public String key() {
            return StatusKey.of(kind, name);
        }
    }

    /**
     * Folding one input, told apart by its type once: the names it folds under (its policy, its enactment, its node),
     * which are both the resources whose status it may change and what its undo must remember, and the folding itself.
     */
    public final class Step {
        private final String policyName;
        private final String enactmentKey;
        private final String node;
        private final Supplier<List<ResourceStatus>> folding;

        private Step(String policyName, String enactmentKey, String node, Supplier<List<ResourceStatus>> folding) {
            this.policyName = policyName;
            this.enactmentKey = enactmentKey;
            this.node = node;
            this.folding = folding;
        }

        /** The resources whose status folding the input may change. */
        public List<Resource> touched() {
            List<Resource> touched = new ArrayList<>(2);
            if (enactmentKey != null) {
                touched.add(new Resource(ResourceKind.NNCE, enactmentKey));
            }
            if (policyName != null) {
                touched.add(new Resource(ResourceKind.NNCP, policyName));
            }
            if (node != null) {
                touched.add(new Resource(ResourceKind.NNS, node));
            }
            return touched;
        }

        /** How to take the folding back: to be taken just before {@link #fold()}. */
        public Undo undo() {
            return new Undo(this);
        }

        /** Folds the input; returns the statuses that changed. */
        public List<ResourceStatus> fold() {
            return folding.get();
        }
    }

    /**
     * How to take back the folding of one input: what the fold held, before it, under the input's policy name,
     * enactment key and node, and the fields of the objects held there (an enactment's policy incarnation included).
     * That is everything folding an input can change. Taken by {@link Step#undo()} just before the input is folded;
     * undos are carried out latest first, and an undo restores the fold as it was before its input once every input
     * folded after it was taken back.
     */
    public final class Undo {
        private final long eventsApplied;
        private final Step step;
        private final PolicyState policy;
        private final PolicyState policyWas;
        private final Long deletedGeneration;
        private final EnactmentState enactment;
        private final EnactmentState enactmentWas;
        private final PolicyState countedIn;
        private final PolicyState countedInWas;
        private final ResourceStatus nodeState;

        private Undo(Step step) {
            this.eventsApplied = StatusFold.this.eventsApplied;
            this.step = step;
            this.policy = step.policyName == null ? null : policies.get(step.policyName);
            this.policyWas = policy == null ? null : policy.copy();
            this.deletedGeneration = step.policyName == null ? null : deletedPolicyGenerations.get(step.policyName);
            this.enactment = step.enactmentKey == null ? null : enactments.get(step.enactmentKey);
            this.enactmentWas = enactment == null ? null : enactment.copy();
            // an enactment still counted in a replaced incarnation of its policy uncounts itself there
            this.countedIn = enactment == null || enactment.countedIn == policy ? null : enactment.countedIn;
            this.countedInWas = countedIn == null ? null : countedIn.copy();
            this.nodeState = step.node == null ? null : nodeStates.get(step.node);
        }

        /** The resources whose status folding the input may change. */
        public List<Resource> touched() {
            return step.touched();
        }

        /** Takes the input back; every input folded after it must have been taken back first. */
        public void undo() {
            StatusFold.this.eventsApplied = eventsApplied;
            if (step.policyName != null) {
                restore(policies, step.policyName, policy);
                if (policy != null) {
                    policy.setTo(policyWas);
                }
                restore(deletedPolicyGenerations, step.policyName, deletedGeneration);
            }
            if (step.enactmentKey != null) {
                restore(enactments, step.enactmentKey, enactment);
                if (enactment != null) {
                    enactment.setTo(enactmentWas);
                }
            }
            if (countedIn != null) {
                countedIn.setTo(countedInWas);
            }
            if (step.node != null) {
                restore(nodeStates, step.node, nodeState);
            }
        }

        private static <V> void restore(Map<String, V> map, String key, V value) {
            if (value == null) {
                map.remove(key);
            } else {
                map.put(key, value);
            }
        }
    }

    /** Folding a policy upsert or delete: it changes its NNCP. */
    public Step stepOf(PolicyEvent event) {
        return new Step(event.getName(), null, null, () -> apply(event));
    }

    /** Folding one step of an enactment: it changes its NNCE and its policy's NNCP. */
    public Step stepOf(EnactmentEvent event) {
        String key = Topics.enactmentKey(event.getNode(), event.getPolicy());
        return new Step(event.getPolicy(), key, null, () -> apply(event, key));
    }

    /** Folding a count of matched nodes: it changes its policy's NNCP. */
    public Step stepOf(RolloutEvent event) {
        return new Step(event.getPolicy(), null, null, () -> apply(event));
    }

    /** Folding a node's network state: it changes its NNS. */
    public Step stepOf(NodeNetworkState state) {
        return new Step(null, null, state.getNode(), () -> apply(state));
    }

    /** Folding the removal of a node's network state at {@code at}: it changes its NNS. */
    public Step stepOfNodeStateRemoval(String node, Instant at) {
        return new Step(null, null, node, () -> removeNodeState(node, at));
    }

    /** Folding an input that folds nothing. */
    public Step stepOfNothing() {
        return new Step(null, null, null, List::of);
    }

    /** Folds a policy upsert or delete. */
    public List<ResourceStatus> apply(PolicyEvent event) {
        eventsApplied++;
        List<ResourceStatus> changes = new ArrayList<>(1);
        String name = event.getName();
        Instant at = event.getEventTime();
        if (event.getAction() == PolicyAction.UPSERT) {
            deletedPolicyGenerations.remove(name);
            PolicyState policy = policies.get(name);
            if (policy == null || isNewIncarnation(policy, event.getUid())) {
                policy = new PolicyState(name, event.getUid(), event.getGeneration());
                policies.put(name, policy);
            } else {
                if (policy.uid.isEmpty()) {
                    policy.uid = event.getUid();
                }
                advanceGeneration(policy, event.getGeneration());
            }
            recomputePolicy(policy, at, changes);
        } else if (event.getAction() == PolicyAction.DELETE) {
            PolicyState policy = policies.remove(name);
            long generation = Math.max(event.getGeneration(), policy == null ? 0 : policy.generation);
            deletedPolicyGenerations.put(name, generation);
            if (policy != null && policy.status != null) {
                changes.add(deleted(policy.status, at));
            }
        }
        return changes;
    }

    /** Folds one step of an enactment. */
    public List<ResourceStatus> apply(EnactmentEvent event) {
        return apply(event, Topics.enactmentKey(event.getNode(), event.getPolicy()));
    }

    /** Folds one step of the enactment {@code key} names. */
    private List<ResourceStatus> apply(EnactmentEvent event, String key) {
        eventsApplied++;
        List<ResourceStatus> changes = new ArrayList<>(2);
        EnactmentState enactment = enactments.get(key);
        Instant at = event.getTimestamp();
        EnactmentPhase phase = event.getPhase();
        if (phase == EnactmentPhase.UNKNOWN) {
            return changes;
        }
        if (phase == EnactmentPhase.REMOVED) {
            PolicyState policy = policies.get(event.getPolicy());
            if (policy != null && policy.matchedCounted() && policy.matchedNodes > 0 && event.getGeneration() == policy.matchedGeneration
                && (enactment == null || enactment.countedIn == policy)) {
                // the node no longer holds the counted generation: one less than the reconciler counted, until it counts
                // again. A node let go of an older generation (a new nodeSelector leaves it out) was never in the count.
                policy.matchedNodes--;
                if (enactment == null) {
                    recomputePolicy(policy, at, changes);
                }
            }
            if (enactment != null) {
                uncount(enactment);
                enactments.remove(key);
                changes.add(deleted(enactment.status, at));
                if (policies.get(event.getPolicy()) == enactment.countedIn) {
                    recomputePolicy(enactment.countedIn, at, changes);
                }
            }
            return changes;
        }
        Long deletedAt = deletedPolicyGenerations.get(event.getPolicy());
        if (deletedAt != null && event.getGeneration() <= deletedAt) {
            return changes;
        }
        PolicyState policy = policies.computeIfAbsent(event.getPolicy(), name -> new PolicyState(name, "", event.getGeneration()));
        if (enactment != null && enactment.countedIn == policy && event.getGeneration() < enactment.generation) {
            return changes;
        }
        advanceGeneration(policy, event.getGeneration());
        if (enactment == null) {
            enactment = new EnactmentState();
            enactments.put(key, enactment);
        } else {
            uncount(enactment);
        }
        enactment.countedIn = policy;
        enactment.generation = event.getGeneration();
        enactment.phase = phase;
        count(enactment);

        ResourceStatus previous = enactment.status;
        List<StatusCondition> conditions = EnactmentConditions.forEvent(event).buildFrom(conditionsOf(previous), at);
        ResourceStatus next = new ResourceStatus(ResourceKind.NNCE, key, event.getGeneration(), conditions,
            enactmentLabels(event, policy, previous), enactmentDetail(event, policy, previous), false, at, null);
        if (StatusDiff.changed(previous, next)) {
            enactment.status = next;
            changes.add(next);
        }
        recomputePolicy(policy, at, changes);
        return changes;
    }

    /**
     * Folds the reconciler's count of the nodes a policy generation matches: what makes a new policy Progressing from the
     * moment it is matched (or Ignored when it matches nothing), before any node has reported. A count about another
     * incarnation of the policy, or an older generation than one already counted, changes nothing.
     */
    public List<ResourceStatus> apply(RolloutEvent event) {
        eventsApplied++;
        List<ResourceStatus> changes = new ArrayList<>(1);
        Long deletedAt = deletedPolicyGenerations.get(event.getPolicy());
        if (deletedAt != null && event.getGeneration() <= deletedAt) {
            return changes;
        }
        PolicyState policy = policies.computeIfAbsent(event.getPolicy(),
            name -> new PolicyState(name, event.getUid(), event.getGeneration()));
        if (isNewIncarnation(policy, event.getUid()) || event.getGeneration() < policy.matchedGeneration) {
            return changes;
        }
        if (policy.uid.isEmpty()) {
            policy.uid = event.getUid();
        }
        advanceGeneration(policy, event.getGeneration());
        policy.matchedGeneration = event.getGeneration();
        policy.matchedNodes = event.getMatchedNodes();
        recomputePolicy(policy, event.getTimestamp(), changes);
        return changes;
    }

    /**
     * Folds a node's network state; a state with the same content and NetworkManager version changes nothing, not even
     * the time of the last change (an upgraded NetworkManager that left the network as it was does change the NNS).
     */
    public List<ResourceStatus> apply(NodeNetworkState state) {
        eventsApplied++;
        ResourceStatus previous = nodeStates.get(state.getNode());
        if (previous != null && previous.getDetail().equals(state.getCurrentState())
            && Objects.equals(previous.getHostNetworkManagerVersion(), state.getNetworkManagerVersion())) {
            return List.of();
        }
        ResourceStatus next = new ResourceStatus(ResourceKind.NNS, state.getNode(), 0L, List.of(), Map.of(), state.getCurrentState(), false,
            state.getObservedAt(), state.getNetworkManagerVersion());
        nodeStates.put(state.getNode(), next);
        return List.of(next);
    }

    /** Folds the removal of a node's network state (a tombstone on the node-states topic). */
    public List<ResourceStatus> removeNodeState(String node, Instant at) {
        eventsApplied++;
        ResourceStatus previous = nodeStates.remove(node);
        return previous == null ? List.of() : List.of(deleted(previous, at));
    }

    /** The current status of one resource, if it exists. */
    public Optional<ResourceStatus> status(ResourceKind kind, String name) {
        return Optional.ofNullable(switch (kind) {
            case NNCP -> statusOf(policies.get(name), p -> p.status);
            case NNCE -> statusOf(enactments.get(name), e -> e.status);
            case NNS -> nodeStates.get(name);
            default -> null;
        });
    }

    /** The current statuses of one kind, by name. */
    public List<ResourceStatus> statuses(ResourceKind kind) {
        List<ResourceStatus> out = new ArrayList<>();
        switch (kind) {
            case NNCP -> policies.values().forEach(p -> addIfPresent(out, p.status));
            case NNCE -> enactments.values().forEach(e -> addIfPresent(out, e.status));
            case NNS -> out.addAll(nodeStates.values());
            default -> {
            }
        }
        out.sort(Comparator.comparing(ResourceStatus::getName));
        return out;
    }

    /** Every current status by its key ({@link StatusKey}), in key order. */
    public Map<String, ResourceStatus> snapshot() {
        Map<String, ResourceStatus> out = new TreeMap<>();
        for (ResourceKind kind : List.of(ResourceKind.NNCP, ResourceKind.NNCE, ResourceKind.NNS)) {
            statuses(kind).forEach(s -> out.put(StatusKey.of(s), s));
        }
        return out;
    }

    /** Every policy's rollout progress for its current generation, by policy name. */
    public Map<String, RolloutProgress> rolloutProgress() {
        Map<String, RolloutProgress> out = new TreeMap<>();
        policies.forEach((name, policy) -> {
            Map<EnactmentPhase, Integer> byPhase = new EnumMap<>(EnactmentPhase.class);
            for (EnactmentPhase phase : EnactmentPhase.values()) {
                byPhase.put(phase, policy.counts.count(phase));
            }
            out.put(name, new RolloutProgress(policy.generation, policy.matching(), byPhase));
        });
        return out;
    }

    /** How many events were folded. */
    public long eventsApplied() {
        return eventsApplied;
    }

    /** Moves a policy to a newer generation: the counts of the older one no longer apply. */
    private static void advanceGeneration(PolicyState policy, long generation) {
        if (generation > policy.generation) {
            policy.generation = generation;
            policy.counts.startGeneration();
        }
    }

    /**
     * A policy deleted and created again under the same name has a new uid: its old enactments no longer count. A
     * policy first known from its enactments (they overtook its policy event) has no uid yet and simply takes it.
     */
    private static boolean isNewIncarnation(PolicyState policy, String uid) {
        return !policy.uid.isEmpty() && !uid.isEmpty() && !policy.uid.equals(uid);
    }

    private static void count(EnactmentState enactment) {
        PolicyState policy = enactment.countedIn;
        policy.counts.addMatching();
        if (enactment.generation == policy.generation) {
            policy.counts.add(enactment.phase);
        }
    }

    private static void uncount(EnactmentState enactment) {
        PolicyState policy = enactment.countedIn;
        policy.counts.removeMatching();
        if (enactment.generation == policy.generation) {
            policy.counts.remove(enactment.phase);
        }
    }

    private static void recomputePolicy(PolicyState policy, Instant at, List<ResourceStatus> changes) {
        ResourceStatus previous = policy.status;
        List<StatusCondition> conditions = PolicyConditions.of(policy.counts, policy.matching(), policy.evaluated())
            .buildFrom(conditionsOf(previous), at);
        ResourceStatus next = new ResourceStatus(ResourceKind.NNCP, policy.name, policy.generation, conditions, Map.of(), null, false, at,
            null);
        if (StatusDiff.changed(previous, next)) {
            policy.status = next;
            changes.add(next);
        }
    }

    /** The NNCE's labels: the previous status's when they say the same, so that every event does not build a map. */
    private static Map<String, String> enactmentLabels(EnactmentEvent event, PolicyState policy, ResourceStatus previous) {
        if (previous != null && event.getNode().equals(previous.getLabels().get(Nmstate.NODE_LABEL))
            && policy.name.equals(previous.getLabels().get(Nmstate.POLICY_LABEL))) {
            return previous.getLabels();
        }
        return Map.of(Nmstate.NODE_LABEL, event.getNode(), Nmstate.POLICY_LABEL, policy.name);
    }

    /**
     * The NNCE's detail, the digest of the desired state applied: the same text as the previous status or the policy's
     * other enactments when the digest is the same, since a fleet's statuses are mostly kept for long. A node that
     * resolved the policy's captures adds the state it resolved, which is its own.
     */
    private static String enactmentDetail(EnactmentEvent event, PolicyState policy, ResourceStatus previous) {
        String digest = event.getDesiredStateDigest();
        if (digest == null) {
            return null;
        }
        JsonNode resolved = resolvedState(event);
        if (resolved != null) {
            return resolvedDetail(digest, resolved, previous);
        }
        if (previous != null && isDetailOf(previous.getDetail(), digest)) {
            return previous.getDetail();
        }
        if (!isDetailOf(policy.enactmentDetail, digest)) {
            policy.enactmentDetail = DETAIL_PREFIX + digest + DETAIL_SUFFIX;
        }
        return policy.enactmentDetail;
    }

    /**
     * The state the event's node resolved from the policy's captures; null when it resolved none, and when what it sent
     * is not an nmstate state (a JSON object), which an NNCE's {@code status.desiredState} could not hold. Every reader
     * that feeds the fold (the projector, replay, the offline fold of an export) refuses such an event first, by the
     * event contract's rule {@code state}; the fold, a pure function, still does not trust what it is given.
     */
    private static JsonNode resolvedState(EnactmentEvent event) {
        if (event.getResolvedState() == null) {
            return null;
        }
        try {
            JsonNode state = JSON.readTree(event.getResolvedState());
            return state != null && state.isObject() ? state : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** The detail of an enactment whose node resolved captures to {@code resolved}; the previous text when the same. */
    private static String resolvedDetail(String digest, JsonNode resolved, ResourceStatus previous) {
        ObjectNode detail = JSON.createObjectNode().put("desiredStateDigest", digest);
        detail.set(Nmstate.DESIRED_STATE, resolved);
        String text = detail.toString();
        return previous != null && text.equals(previous.getDetail()) ? previous.getDetail() : text;
    }

    private static boolean isDetailOf(String detail, String digest) {
        return detail != null && detail.length() == DETAIL_PREFIX.length() + digest.length() + DETAIL_SUFFIX.length()
            && detail.startsWith(DETAIL_PREFIX) && detail.startsWith(digest, DETAIL_PREFIX.length()) && detail.endsWith(DETAIL_SUFFIX);
    }

    private static ResourceStatus deleted(ResourceStatus last, Instant at) {
        return ResourceStatus.newBuilder(last).setDeleted(true).setUpdatedAt(at).build();
    }

    private static List<StatusCondition> conditionsOf(ResourceStatus status) {
        return status == null ? List.of() : status.getConditions();
    }

    private static <T> ResourceStatus statusOf(T state, Function<T, ResourceStatus> status) {
        return state == null ? null : status.apply(state);
    }

    private static void addIfPresent(List<ResourceStatus> out, ResourceStatus status) {
        if (status != null) {
            out.add(status);
        }
    }
}
