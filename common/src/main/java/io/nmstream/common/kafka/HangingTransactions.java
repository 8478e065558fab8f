package io.nmstream.common.kafka;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.TransactionResult;
import org.apache.kafka.common.requests.WriteTxnMarkersRequest;
import org.apache.kafka.common.requests.WriteTxnMarkersResponse;

/**
 * Finds the transactions that a partition still holds open although their coordinator has completed them, and ends
 * them there as the coordinator decided.
 *
 * <p>Kafka 4.4's transaction coordinator drops the markers of a partition that has no leader at the moment it sends
 * them, taking the partition for deleted (KAFKA-20734). A single broker restarted after SIGKILL has exactly such a
 * moment: the controller fences it on registration, every partition is leaderless until it catches up, and a
 * transaction that was committing when it died is marked complete while some of its partitions never got their marker.
 * Such a partition's last stable offset stays where the transaction began: read_committed consumers, and Kafka Streams
 * restoring its state, wait for ever. {@code kafka-transactions.sh find-hanging} finds them too, but can only abort,
 * and aborting half of a committed transaction loses what its other partitions and its offsets already committed.
 */
public final class HangingTransactions {

    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(200);

    /**
     * A transaction that {@code partition} holds open from {@code startOffset}, and what its coordinator says of it.
     *
     * @param decided the coordinator's outcome when it has completed the transaction; empty when it has not decided, or
     *     no longer knows the producer
     * @param markerEpoch the producer epoch the coordinator ended the transaction with (one more than the data's under
     *     transaction version 2)
     * @param coordinatorEpoch the coordinator epoch the partition last saw from this producer's coordinator
     */
    public record Hanging(TopicPartition partition, long producerId, int producerEpoch, long startOffset,
        String transactionalId, String coordinatorState, Optional<TransactionResult> decided, int markerEpoch,
        int coordinatorEpoch) {

        /** Transaction version 2 bumps the epoch when a transaction ends; its markers carry the bumped epoch. */
        short transactionVersion() {
            return (short) (markerEpoch > producerEpoch ? 2 : 0);
        }

        @Override
        public String toString() {
            return partition + " (producer " + producerId + " epoch " + producerEpoch + ", open since offset " + startOffset
                + "; its coordinator has " + (transactionalId == null ? "no transaction of this producer"
                : transactionalId + " in " + coordinatorState) + ")";
        }
    }

    private HangingTransactions() {
    }

    /**
     * Every partition's open transaction whose coordinator has no open transaction on that partition. Waits, up to
     * {@code timeout}, for coordinators still writing markers (PrepareCommit, PrepareAbort) to finish, as they will.
     */
    public static List<Hanging> find(Admin admin, Duration timeout) throws InterruptedException, ExecutionException,
        TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Set<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(true)).names()
                .get(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Map<TopicPartition, List<ProducerState>> open = openTransactions(admin, partitions(admin, topics).keySet());
            if (open.isEmpty()) {
                return List.of();
            }
            Map<Long, Coordinator> coordinators = coordinators(admin, open);
            List<Hanging> hanging = new ArrayList<>();
            boolean markersUnderWay = false;
            for (Map.Entry<TopicPartition, List<ProducerState>> partition : open.entrySet()) {
                for (ProducerState producer : partition.getValue()) {
                    Coordinator coordinator = coordinators.get(producer.producerId());
                    if (coordinator != null && isOpenOn(coordinator.description(), partition.getKey())) {
                        continue;
                    }
                    if (coordinator != null && isWritingMarkers(coordinator.description())) {
                        markersUnderWay = true;
                        continue;
                    }
                    hanging.add(hanging(partition.getKey(), producer, coordinator));
                }
            }
            if (!markersUnderWay || System.nanoTime() > deadline) {
                return hanging;
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /**
     * Ends each hanging transaction whose coordinator decided its outcome by writing that outcome's marker to the
     * partition, as the coordinator would have; the others are left alone (only an operator can tell what they should
     * have been). The marker is written over a PLAINTEXT connection to the partition's leader, which must allow
     * ClusterAction to this client: this is an operator's repair.
     *
     * @return the transactions it ended
     */
    public static List<Hanging> endAsDecided(Admin admin, List<Hanging> hanging) throws InterruptedException, ExecutionException,
        TimeoutException, IOException {
        List<Hanging> candidates = hanging.stream().filter(h -> h.decided().isPresent()).toList();
        if (candidates.isEmpty()) {
            return List.of();
        }
        // a coordinator completes a transaction only once its markers are written: one still open now, after its
        // coordinator was seen complete, will never get its marker (one that was merely slow is no longer open)
        Map<TopicPartition, List<ProducerState>> stillOpen = openTransactions(admin,
            candidates.stream().map(Hanging::partition).collect(Collectors.toSet()));
        List<Hanging> decided = candidates.stream().filter(h -> stillOpen.getOrDefault(h.partition(), List.of()).stream()
            .anyMatch(p -> p.producerId() == h.producerId() && p.producerEpoch() == h.producerEpoch()
                && p.currentTransactionStartOffset().orElse(-1) == h.startOffset()))
            .toList();
        Map<TopicPartition, TopicPartitionInfo> partitions = partitions(admin,
            decided.stream().map(h -> h.partition().topic()).collect(Collectors.toSet()));
        Map<Node, List<Hanging>> byLeader = new LinkedHashMap<>();
        for (Hanging h : decided) {
            TopicPartitionInfo info = partitions.get(h.partition());
            if (info == null || info.leader() == null || info.leader().isEmpty()) {
                throw new IllegalStateException("No leader for " + h.partition() + " to end its transaction on");
            }
            byLeader.computeIfAbsent(info.leader(), node -> new ArrayList<>()).add(h);
        }
        List<Hanging> ended = new ArrayList<>();
        for (Map.Entry<Node, List<Hanging>> leader : byLeader.entrySet()) {
            List<WriteTxnMarkersRequest.TxnMarkerEntry> markers = leader.getValue().stream()
                .map(h -> new WriteTxnMarkersRequest.TxnMarkerEntry(h.producerId(), (short) h.markerEpoch(), h.coordinatorEpoch(),
                    h.decided().orElseThrow(), List.of(h.partition()), h.transactionVersion()))
                .toList();
            Map<Long, Map<TopicPartition, Errors>> errors = writeMarkers(leader.getKey(), markers);
            for (Hanging h : leader.getValue()) {
                Errors error = errors.getOrDefault(h.producerId(), Map.of()).getOrDefault(h.partition(), Errors.UNKNOWN_SERVER_ERROR);
                if (error != Errors.NONE) {
                    throw new IllegalStateException("Could not end the transaction hanging on " + h + ": " + error.message());
                }
                ended.add(h);
            }
        }
        return ended;
    }

    /** Every partition of {@code topics}, with its leader. */
    private static Map<TopicPartition, TopicPartitionInfo> partitions(Admin admin, Set<String> topics) throws InterruptedException,
        ExecutionException, TimeoutException {
        Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames()
            .get(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Map<TopicPartition, TopicPartitionInfo> partitions = new HashMap<>();
        described.values().forEach(topic -> topic.partitions()
            .forEach(p -> partitions.put(new TopicPartition(topic.name(), p.partition()), p)));
        return partitions;
    }

    private static Map<TopicPartition, List<ProducerState>> openTransactions(Admin admin, Collection<TopicPartition> partitions)
        throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, List<ProducerState>> open = new LinkedHashMap<>();
        admin.describeProducers(partitions).all().get(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
            .forEach((partition, producers) -> {
                List<ProducerState> withOpen = producers.activeProducers().stream()
                    .filter(p -> p.currentTransactionStartOffset().isPresent()).toList();
                if (!withOpen.isEmpty()) {
                    open.put(partition, withOpen);
                }
            });
        return open;
    }

    /** A transactional id and its coordinator's description of it. */
    record Coordinator(String transactionalId, TransactionDescription description) {
    }

    /** Each producer's transaction as its coordinator describes it; producers it does not know are absent. */
    private static Map<Long, Coordinator> coordinators(Admin admin, Map<TopicPartition, List<ProducerState>> open)
        throws InterruptedException, ExecutionException, TimeoutException {
        Set<Long> producerIds = new HashSet<>();
        open.values().forEach(producers -> producers.forEach(p -> producerIds.add(p.producerId())));
        Collection<TransactionListing> listed = admin.listTransactions(new ListTransactionsOptions().filterProducerIds(producerIds))
            .all().get(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (listed.isEmpty()) {
            return Map.of();
        }
        Map<String, TransactionDescription> described = admin.describeTransactions(
            listed.stream().map(TransactionListing::transactionalId).toList()).all().get(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Map<Long, Coordinator> byProducer = new HashMap<>();
        described.forEach((id, d) -> byProducer.put(d.producerId(), new Coordinator(id, d)));
        return byProducer;
    }

    private static boolean isOpenOn(TransactionDescription coordinator, TopicPartition partition) {
        return coordinator.state() == TransactionState.ONGOING && coordinator.topicPartitions().contains(partition);
    }

    private static boolean isWritingMarkers(TransactionDescription coordinator) {
        return coordinator.state() == TransactionState.PREPARE_COMMIT || coordinator.state() == TransactionState.PREPARE_ABORT;
    }

    /** What the coordinator, when it knows this transaction (same producer, same or next epoch), decided for it. */
    static Hanging hanging(TopicPartition partition, ProducerState open, Coordinator known) {
        int coordinatorEpoch = open.coordinatorEpoch().orElse(0);
        long startOffset = open.currentTransactionStartOffset().orElseThrow();
        if (known == null) {
            return new Hanging(partition, open.producerId(), open.producerEpoch(), startOffset, null, null, Optional.empty(), -1,
                coordinatorEpoch);
        }
        TransactionDescription coordinator = known.description();
        boolean sameTransaction = coordinator.producerId() == open.producerId()
            && (coordinator.producerEpoch() == open.producerEpoch() || coordinator.producerEpoch() == open.producerEpoch() + 1);
        Optional<TransactionResult> decided = !sameTransaction ? Optional.empty() : switch (coordinator.state()) {
            case COMPLETE_COMMIT -> Optional.of(TransactionResult.COMMIT);
            case COMPLETE_ABORT -> Optional.of(TransactionResult.ABORT);
            default -> Optional.empty();
        };
        return new Hanging(partition, open.producerId(), open.producerEpoch(), startOffset, known.transactionalId(),
            coordinator.state().toString(), decided, coordinator.producerEpoch(), coordinatorEpoch);
    }

    /** One WriteTxnMarkers request to {@code leader}, over PLAINTEXT, as a coordinator sends it. */
    private static Map<Long, Map<TopicPartition, Errors>> writeMarkers(Node leader, List<WriteTxnMarkersRequest.TxnMarkerEntry> markers)
        throws IOException {
        short version = ApiKeys.WRITE_TXN_MARKERS.latestVersion();
        RequestHeader header = new RequestHeader(ApiKeys.WRITE_TXN_MARKERS, version, "nmstream-hanging-transactions", 1);
        ByteBuffer request = new WriteTxnMarkersRequest.Builder(markers).build(version).serializeWithHeader(header);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(leader.host(), leader.port()), (int) ASK_TIMEOUT.toMillis());
            socket.setSoTimeout((int) ASK_TIMEOUT.toMillis());
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            byte[] bytes = new byte[request.remaining()];
            request.get(bytes);
            out.writeInt(bytes.length);
            out.write(bytes);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] response = new byte[in.readInt()];
            in.readFully(response);
            WriteTxnMarkersResponse parsed = (WriteTxnMarkersResponse) AbstractResponse.parseResponse(ByteBuffer.wrap(response), header);
            return parsed.errorsByProducerId();
        }
    }
}
