package io.nmstream.embedded;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A Kafka cluster of one or more {@link EmbeddedKafka} nodes, each a combined KRaft broker and controller in its own
 * child JVM, voting in one controller quorum: with three nodes, internal topics are replicated three times with two in
 * sync, and the cluster survives the loss of any one node, as a production cluster does.
 */
public final class EmbeddedKafkaQuorum implements AutoCloseable {

    private final List<EmbeddedKafka> nodes;

    private EmbeddedKafkaQuorum(List<EmbeddedKafka> nodes) {
        this.nodes = List.copyOf(nodes);
    }

    /**
     * Starts {@code size} nodes and waits until each answers (and, restarted, until the transactions the last run left
     * hanging are ended). With one node this is {@link EmbeddedKafka#start}. With
     * more, node {@code i} keeps its data in {@code node-i} under {@code options.dataDir()} (temporary directories when
     * null) and its log next to {@code options.logFile()} with {@code -node-i} in the name.
     */
    public static EmbeddedKafkaQuorum start(int size, EmbeddedKafka.Options options) {
        if (size < 1) {
            throw new IllegalArgumentException("a quorum needs at least one node, was " + size);
        }
        if (size == 1) {
            return new EmbeddedKafkaQuorum(List.of(EmbeddedKafka.start(options)));
        }
        List<Integer> controllerPorts = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            controllerPorts.add(LoopbackPorts.free());
        }
        String voters = IntStream.range(0, size).mapToObj(i -> (i + 1) + "@127.0.0.1:" + controllerPorts.get(i))
            .collect(Collectors.joining(","));
        String clusterId = org.apache.kafka.common.Uuid.randomUuid().toString();
        List<EmbeddedKafka> started = new ArrayList<>();
        try {
            // every node is launched before any is awaited: a broker answers only once the quorum has a leader
            for (int i = 0; i < size; i++) {
                int nodeId = i + 1;
                started.add(EmbeddedKafka.launch(nodeOptions(options, nodeId),
                    new EmbeddedKafka.QuorumSeat(nodeId, size, voters, controllerPorts.get(i), clusterId)));
            }
            for (EmbeddedKafka node : started) {
                node.awaitReadyOrClose(options.startTimeout());
            }
            if (options.endHangingTransactions()) {
                started.stream().filter(EmbeddedKafka::restarted).findFirst().ifPresent(EmbeddedKafka::endHangingTransactions);
            }
        } catch (RuntimeException e) {
            started.forEach(EmbeddedKafka::close);
            throw e;
        }
        return new EmbeddedKafkaQuorum(started);
    }

    private static EmbeddedKafka.Options nodeOptions(EmbeddedKafka.Options options, int nodeId) {
        EmbeddedKafka.Options node = options.withBrokerPort(0);
        if (options.dataDir() != null) {
            node = node.withDataDir(options.dataDir().resolve("node-" + nodeId));
        }
        if (options.logFile() != null) {
            Path log = options.logFile();
            String name = log.getFileName().toString();
            String stem = name.endsWith(".log") ? name.substring(0, name.length() - 4) : name;
            node = node.withLogFile(log.resolveSibling(stem + "-node-" + nodeId + ".log"));
        }
        return node;
    }

    /** Every node's PLAINTEXT listener, comma-separated, as clients take it in {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return nodes.stream().map(EmbeddedKafka::bootstrapServers).collect(Collectors.joining(","));
    }

    /** The nodes, in node-id order (node id {@code i + 1} at index {@code i}). */
    public List<EmbeddedKafka> nodes() {
        return nodes;
    }

    public int size() {
        return nodes.size();
    }

    /**
     * Stops every node that still runs. Every node is signalled before any is awaited: stopped one after the other, the
     * last nodes of a quorum that already lost one would wait for a controller majority that is gone, until they are
     * killed (30 s each).
     */
    @Override
    public void close() {
        nodes.stream().filter(EmbeddedKafka::isAlive).forEach(EmbeddedKafka::beginStop);
        RuntimeException failure = null;
        for (EmbeddedKafka node : nodes) {
            try {
                node.close();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
