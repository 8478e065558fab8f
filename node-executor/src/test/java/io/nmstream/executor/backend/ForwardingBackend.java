package io.nmstream.executor.backend;

import io.nmstream.nmstate.NetworkState;
import java.time.Duration;
import java.util.List;

/** A backend that hands every call to {@code host}: tests override the calls whose behaviour they change or count. */
public abstract class ForwardingBackend implements NetworkBackend {

    protected final NetworkBackend host;

    protected ForwardingBackend(NetworkBackend host) {
        this.host = host;
    }

    @Override
    public String version() {
        return host.version();
    }

    @Override
    public NetworkState currentState() {
        return host.currentState();
    }

    @Override
    public Checkpoint createCheckpoint(Duration rollbackTimeout) {
        return host.createCheckpoint(rollbackTimeout);
    }

    @Override
    public List<Checkpoint> checkpoints() {
        return host.checkpoints();
    }

    @Override
    public void rollback(Checkpoint checkpoint) {
        host.rollback(checkpoint);
    }

    @Override
    public void commit(Checkpoint checkpoint) {
        host.commit(checkpoint);
    }

    @Override
    public void apply(NetworkState desired, ApplyOptions options) {
        host.apply(desired, options);
    }

    @Override
    public void apply(NetworkState desired, NetworkState current, ApplyOptions options) {
        host.apply(desired, current, options);
    }

    @Override
    public ProbeResult probe(Probe probe, Duration timeout) {
        return host.probe(probe, timeout);
    }

    @Override
    public ProbeResult probe(Probe probe, NetworkState current, Duration timeout) {
        return host.probe(probe, current, timeout);
    }

    @Override
    public void close() {
        host.close();
    }
}
