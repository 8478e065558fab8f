package io.nmstream.reconciler.rollout;

import io.nmstream.common.logging.LogContext;
import io.nmstream.reconciler.PolicySpec;
import io.nmstream.schemas.avro.RolloutEvent;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shares out each policy's maxUnavailable between the node partitions: the one place that knows how many slots of a
 * policy are leased, and the one that publishes how many nodes the policy matches.
 *
 * <p>Keyed by policy name, so each policy's rollout lives in one task and the policies spread over all tasks. Its
 * inputs are the policy itself and the node partitions' {@link SlotRequest}s; it answers with {@link SlotLease}s, each
 * written to the partition it is for, and publishes a {@link RolloutEvent} once every partition has matched a generation
 * (and again when the count changes). It never hears of single nodes: a partition admits its own nodes within its lease
 * and asks again only when its queue outgrows it, so a rollout costs the coordinator a few messages per partition, not
 * per node. The decisions are {@link RolloutState}'s.
 */
public final class RolloutCoordinator implements Processor<String, CoordinatorInput, String, CoordinatorOutput> {

    /** Store of {@link RolloutState} by policy name. */
    public static final String STATE_STORE = "rollout-ledger";

    private static final Logger LOG = LoggerFactory.getLogger(RolloutCoordinator.class);

    private final int partitionCount;
    private ProcessorContext<String, CoordinatorOutput> context;
    private KeyValueStore<String, RolloutState> states;
    private long timestamp;

    /** @param partitionCount node partitions: a generation is matched once each of them has reported it */
    public RolloutCoordinator(int partitionCount) {
        this.partitionCount = partitionCount;
    }

    @Override
    public void init(ProcessorContext<String, CoordinatorOutput> context) {
        this.context = context;
        this.states = context.getStateStore(STATE_STORE);
    }

    @Override
    public void process(Record<String, CoordinatorInput> record) {
        timestamp = record.timestamp();
        String policy = record.key();
        if (record.value() instanceof CoordinatorInput.PolicyChange change) {
            onPolicy(policy, change.spec());
        } else if (record.value() instanceof CoordinatorInput.Request request) {
            onRequest(policy, request.request());
        }
    }

    /** Manages a policy change: a new generation restarts the rollout, a deletion forgets it. */
    private void onPolicy(String policy, PolicySpec spec) {
        RolloutState state = states.get(policy);
        if (spec.deleted()) {
            if (state != null) {
                if (state.published()) {
                    context.forward(new Record<>(policy, new CoordinatorOutput.Rollout(null), timestamp));
                }
                states.delete(policy);
                LOG.info("Rollout of policy {} forgotten: the policy was deleted", policy);
            }
            return;
        }
        if (state == null) {
            state = RolloutState.unknownPolicy(policy);
        } else if (state.policyKnown() && state.uid().equals(spec.uid()) && spec.generation() <= state.generation()) {
            return;
        }
        state.startGeneration(spec.uid(), spec.generation(), spec.maxUnavailable());
        try (LogContext ignored = LogContext.of(policy, spec.generation(), null, null)) {
            LOG.info("Rollout of policy {} generation {}: maxUnavailable {}", policy, spec.generation(), spec.maxUnavailable());
        }
        answer(policy, state, state.distribute(-1, partitionCount));
    }

    /** Manages a node partition's request: records its share, then shares out the slots again. */
    private void onRequest(String policy, SlotRequest request) {
        RolloutState state = states.get(policy);
        if (state == null) {
            state = RolloutState.unknownPolicy(policy);
        }
        if (!state.record(request)) {
            return;
        }
        if (state.empty()) {
            // the last partition let go of a policy deleted before the coordinator saw it: nothing is left to remember
            states.delete(policy);
            return;
        }
        boolean wasAborted = state.aborted();
        List<SlotLease> leases = state.distribute(request.partition(), partitionCount);
        if (state.aborted() && !wasAborted) {
            try (LogContext ignored = LogContext.of(policy, state.generation(), null, null)) {
                LOG.warn("Rollout of policy {} generation {} aborted: {} nodes failed, maxUnavailable is {}", policy, state.generation(),
                    state.failures(), state.limit());
            }
        }
        answer(policy, state, leases);
    }

    private void answer(String policy, RolloutState state, List<SlotLease> leases) {
        for (SlotLease lease : leases) {
            context.forward(new Record<>(policy, new CoordinatorOutput.Lease(lease), timestamp));
        }
        RolloutEvent publication = state.publication(partitionCount, context.currentSystemTimeMs());
        if (publication != null) {
            context.forward(new Record<>(policy, new CoordinatorOutput.Rollout(publication), timestamp));
        }
        states.put(policy, state);
    }
}
