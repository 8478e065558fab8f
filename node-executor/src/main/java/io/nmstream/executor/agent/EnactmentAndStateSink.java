package io.nmstream.executor.agent;

import io.nmstream.executor.backend.BackendException;
import io.nmstream.nmstate.NetworkState;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;
import io.nmstream.schemas.avro.NodeNetworkState;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes one node's enactment events; the event that finishes a command goes out with the node's network state when
 * the command changed it, the two signed together, so that the node signs once and readers check once for both (see
 * {@code NodeSignatures.signedTogether}) instead of the state following with its own signature.
 */
public final class EnactmentAndStateSink implements EnactmentSink {

    private static final Logger LOG = LoggerFactory.getLogger(EnactmentAndStateSink.class);
    /** The phases a node reports when it is done with a command: what it did is in the state it reads next. */
    private static final Set<EnactmentPhase> FINISHING = EnumSet.of(EnactmentPhase.AVAILABLE, EnactmentPhase.FAILING,
        EnactmentPhase.REMOVED);

    private final AgentPublisher publisher;
    private final NodeStateTracker states;
    private final Supplier<NetworkState> currentState;
    private final Clock clock;

    /**
     * @param states what the node last published of its state, shared with the node's own state checks
     * @param currentState reads the node's state now; may throw {@link BackendException}
     */
    public EnactmentAndStateSink(AgentPublisher publisher, NodeStateTracker states, Supplier<NetworkState> currentState, Clock clock) {
        this.publisher = publisher;
        this.states = states;
        this.currentState = currentState;
        this.clock = clock;
    }

    @Override
    public void publish(EnactmentEvent event) {
        Optional<NodeNetworkState> state = FINISHING.contains(event.getPhase()) ? changedState() : Optional.empty();
        if (state.isPresent()) {
            publisher.publish(event, state.get());
            states.published(state.get());
        } else {
            publisher.publish(event);
        }
    }

    private Optional<NodeNetworkState> changedState() {
        try {
            return states.changed(currentState.get(), clock.instant());
        } catch (BackendException e) {
            // NetworkManager restarting: the report goes alone, and the node's next state check publishes the state
            LOG.warn("Cannot read the node's state to publish with its report: {}", e.getMessage());
            return Optional.empty();
        }
    }
}
