package io.nmstream.bench.fleet;

import java.time.Duration;

/**
 * The simulated nodes a benchmark rolls a policy out to: they register in the node inventory, consume their commands
 * and report enactments, with no host behind them (apply time 0).
 *
 * <p>This is the seam where the node executor's simulated fleet plugs in; {@link ReplyingFleet} stands in for it until
 * then, and every report names the implementation that produced its figures.
 */
public interface SimulatedFleet extends AutoCloseable {

    /** Which implementation runs the nodes, for the report. */
    String implementation();

    /** Waits until every node is registered and its commands are being consumed. */
    void awaitReady(Duration timeout) throws InterruptedException;

    /** Commands answered so far. */
    long commandsAnswered();

    @Override
    void close();
}
