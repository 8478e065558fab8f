package io.nmstream.cli;

import io.nmstream.common.config.Config;
import io.nmstream.embedded.EmbeddedCluster;
import io.nmstream.embedded.EmbeddedKafka;
import io.nmstream.executor.agent.NodeAgentSettings;
import io.nmstream.executor.simulated.SimulatedFleet;
import io.nmstream.executor.simulated.SimulatedNode;
import io.nmstream.ingest.publish.PolicyPublisher;
import io.nmstream.reconciler.ReconcilerConfig;
import io.nmstream.reconciler.ReconcilerService;
import io.nmstream.schemas.Topics;
import io.nmstream.status.projector.StatusProjector;
import io.nmstream.status.projector.StatusView;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * nmstream's embedded all-in-one: the broker and registry, the reconciler, the status projector and a simulated fleet,
 * in one process. {@code nmstream demo} tells its story on it; {@code nmstream up} keeps it running.
 */
final class AllInOne implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AllInOne.class);
    /** Longest wait for the reconciler to read the simulated nodes' registrations (it may first restore its state). */
    private static final Duration INVENTORY_TIMEOUT = Duration.ofMinutes(2);

    private final List<AutoCloseable> parts = new ArrayList<>();
    /** The thread of {@link #closeWithin}'s close, once started. */
    private final Thread[] closer = new Thread[1];
    private final EmbeddedCluster cluster;
    private final Topics topics;
    private final StatusProjector projector;
    private final PolicyPublisher publisher;

    /**
     * Starts every part.
     *
     * @param kafka where and how the broker runs
     * @param registryPort port of the registry (0 for a free one)
     * @param stateDir where the reconciler keeps its local state
     * @param fleet the simulated nodes
     * @param applyLatency how long a simulated apply takes
     * @param agent the simulated nodes' agent settings (retries, verification)
     */
    AllInOne(EmbeddedKafka.Options kafka, int registryPort, Path stateDir, List<SimulatedNode> fleet, Duration applyLatency,
        NodeAgentSettings agent) {
        this(kafka, registryPort, stateDir, fleet, applyLatency, agent, ReconcilerConfig.COMMAND_TIMEOUT.defaultValue());
    }

    /**
     * Starts every part, with a reconciler that gives nodes {@code commandTimeout} to answer a command.
     *
     * @param kafka where and how the broker runs
     * @param registryPort port of the registry (0 for a free one)
     * @param stateDir where the reconciler keeps its local state
     * @param fleet the simulated nodes
     * @param applyLatency how long a simulated apply takes
     * @param agent the simulated nodes' agent settings (retries, verification, where they keep their state)
     * @param commandTimeout how long a node has to answer a command before it counts as FAILING with reason Timeout
     */
    AllInOne(EmbeddedKafka.Options kafka, int registryPort, Path stateDir, List<SimulatedNode> fleet, Duration applyLatency,
        NodeAgentSettings agent, Duration commandTimeout) {
        cluster = EmbeddedCluster.start(kafka, registryPort);
        parts.add(cluster);
        try {
            topics = cluster.createTopics(Topics.DEFAULT_NAMESPACE);
            // one reconciler instance: a standby replica would have nowhere to run
            Config config = cluster.config().with(ReconcilerConfig.STATE_DIR.name(), stateDir.toString())
                .with(ReconcilerConfig.STANDBY_REPLICAS.name(), "0")
                .with(ReconcilerConfig.COMMAND_TIMEOUT.name(), commandTimeout.toString());
            projector = StatusProjector.start(config, topics);
            parts.add(projector);
            ReconcilerService reconciler = ReconcilerService.start(cluster.settings(), ReconcilerConfig.from(config),
                cluster.registryClient());
            parts.add(reconciler);
            if (!fleet.isEmpty()) {
                parts.add(SimulatedFleet.start(cluster.settings(), fleet, applyLatency, agent));
                // up only once the reconciler knows every simulated node: a policy applied at once matches all of them
                reconciler.awaitInventoryRead(INVENTORY_TIMEOUT);
            }
            publisher = PolicyPublisher.connect(cluster.settings(), Duration.ofSeconds(30), "nmstream-all-in-one");
            parts.add(publisher);
        } catch (RuntimeException e) {
            close();
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("Interrupted while starting", e);
        }
    }

    EmbeddedCluster cluster() {
        return cluster;
    }

    Topics topics() {
        return topics;
    }

    StatusView status() {
        return projector.view();
    }

    StatusProjector projector() {
        return projector;
    }

    PolicyPublisher publisher() {
        return publisher;
    }

    /**
     * Waits until the projection has folded no new event for {@code quiet}: every part has finished what it was doing.
     *
     * @return false when {@code timeout} passed first
     */
    boolean awaitQuiet(Duration quiet, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long folded = projector.eventsFolded();
        long quietSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            Thread.sleep(100);
            long now = projector.eventsFolded();
            if (now != folded) {
                folded = now;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince >= quiet.toNanos()) {
                return true;
            }
        }
        return false;
    }

    /** Adds a part that is closed with the rest (a real node agent, an HTTP API). */
    <T extends AutoCloseable> T add(T part) {
        parts.add(part);
        return part;
    }

    /**
     * Closes as {@link #close()} does, but returns after {@code budget} even when a part is still closing: a client whose
     * broker is gone can wait for it far longer than an operator should (a producer flushing, a consumer leaving its
     * group). The close goes on in a daemon thread, which the JVM's exit ends; a second call waits for the same close.
     *
     * @return true when every part was closed within the budget
     */
    boolean closeWithin(Duration budget) {
        Thread closing;
        synchronized (closer) {
            if (closer[0] == null) {
                closer[0] = new Thread(this::close, "nmstream-close");
                closer[0].setDaemon(true);
                closer[0].start();
            }
            closing = closer[0];
        }
        try {
            closing.join(Math.max(1, budget.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (closing.isAlive()) {
            LOG.error("Not every part stopped within {}; stopping without them", budget);
            return false;
        }
        return true;
    }

    /**
     * Stops every part, the last started first: the clients before the broker and registry they talk to. Each part
     * bounds its own close; the time each took is logged. Closing again does nothing.
     */
    @Override
    public synchronized void close() {
        for (int i = parts.size() - 1; i >= 0; i--) {
            String part = parts.get(i).getClass().getSimpleName();
            long started = System.nanoTime();
            LOG.info("Stopping {}", part);
            try {
                parts.get(i).close();
                LOG.info("Stopped {} in {} ms", part, (System.nanoTime() - started) / 1_000_000);
            } catch (Exception e) {
                LOG.warn("Stopping {} failed after {} ms: {}", part, (System.nanoTime() - started) / 1_000_000, e.toString());
            }
        }
        parts.clear();
    }
}
