package io.nmstream.executor.backend;

import io.nmstream.nmstate.NetworkState;
import java.time.Duration;
import java.util.List;

/**
 * What the node executor needs from a host's network stack: read the current state, take and settle checkpoints, apply
 * a desired state, and probe connectivity.
 *
 * <p>{@code NetworkManagerBackend} drives a real NetworkManager over D-Bus; {@code SimulatedBackend} is an in-memory
 * host for fleet simulations. Every failure is a {@link BackendException} whose message speaks of interfaces, not of
 * D-Bus.
 */
public interface NetworkBackend extends AutoCloseable {

    /**
     * What is behind this backend, for the node inventory ("1.42.4" for NetworkManager 1.42.4), as of the last
     * {@link #currentState} read: a NetworkManager upgraded and restarted under a running agent shows in its next state.
     */
    String version();

    /** The host's current state: managed interfaces, routes and DNS, nmstate-shaped. */
    NetworkState currentState();

    /**
     * Snapshots every device so that {@link #rollback} can restore it. If neither {@link #commit} nor {@link #rollback}
     * is called within {@code rollbackTimeout}, the host rolls back by itself (which covers an agent that died).
     */
    Checkpoint createCheckpoint(Duration rollbackTimeout);

    /** Checkpoints that exist now, oldest first (a leftover one means an apply was interrupted). */
    List<Checkpoint> checkpoints();

    /** Restores the state captured by {@code checkpoint} and discards it. */
    void rollback(Checkpoint checkpoint);

    /** Keeps the current state and discards {@code checkpoint}. */
    void commit(Checkpoint checkpoint);

    /**
     * Refuses, with an {@link io.nmstream.nmstate.InvalidStateException} naming the interface, what this host's own
     * settings outside the network configuration keep from taking effect; checked before anything is touched.
     */
    default void checkHostSupports(NetworkState desired) {
    }

    /** Makes the host's configuration match {@code desired} (nmstate merge semantics); does not verify. */
    void apply(NetworkState desired, ApplyOptions options);

    /**
     * Like {@link #apply(NetworkState, ApplyOptions)}, planned from {@code current}: the state this backend returned last,
     * read just before, so that the apply does not read the host a second time (nmstate, too, plans from the state it read
     * first). Backends that cannot plan from it read the host themselves.
     */
    default void apply(NetworkState desired, NetworkState current, ApplyOptions options) {
        apply(desired, options);
    }

    /** Runs one connectivity probe; a probe that has nothing to check (no default gateway, no DNS server) is not applicable. */
    ProbeResult probe(Probe probe, Duration timeout);

    /**
     * Runs one connectivity probe against {@code current}, a state this backend has just returned, so that a caller that
     * holds one does not make the backend read the host again. Backends whose probes do not depend on a state read run
     * {@link #probe(Probe, Duration)}.
     */
    default ProbeResult probe(Probe probe, NetworkState current, Duration timeout) {
        return probe(probe, timeout);
    }

    @Override
    void close();
}
