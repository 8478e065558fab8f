package io.nmstream.reconciler;

import io.nmstream.common.kafka.HangingTransactions;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;

/**
 * Describes the transactions that can hold a reconciler back, for the message of one that cannot get going: the
 * application's own open transactions (a killed instance's, until its coordinator aborts them), and the transactions
 * partitions hold open although their coordinator has completed them ({@link HangingTransactions}). Under exactly-once,
 * a task restores its stores and reads its input read_committed, so either kind stops it where the transaction began.
 */
final class OpenTransactions {

    /** How long an admin request about transactions is waited for. */
    static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);
    /** The states of a transaction that is not ended. */
    static final List<TransactionState> OPEN = List.of(TransactionState.ONGOING, TransactionState.PREPARE_COMMIT,
        TransactionState.PREPARE_ABORT);

    private OpenTransactions() {
    }

    /**
     * The open transactions whose id starts with {@code prefix} ({@link #describeOpen}), then the hanging ones, when there
     * are any, with what to do about them.
     */
    static String describe(Admin admin, String prefix, Instant now) {
        return describeOpen(admin, prefix, now) + describeHanging(admin);
    }

    /**
     * One line per open transaction whose id starts with {@code prefix}: its id, state, age and partitions; "none" when
     * there is none, or why the cluster could not be asked (a principal without DESCRIBE on transactional ids, say).
     */
    static String describeOpen(Admin admin, String prefix, Instant now) {
        try {
            Collection<TransactionListing> listed = admin.listTransactions(new ListTransactionsOptions().filterStates(OPEN))
                .all().get(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            List<String> ids = listed.stream().map(TransactionListing::transactionalId).filter(id -> id.startsWith(prefix)).toList();
            if (ids.isEmpty()) {
                return "none";
            }
            Map<String, TransactionDescription> described = new TreeMap<>(admin.describeTransactions(ids).all()
                .get(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
            return described.entrySet().stream().map(e -> line(e.getKey(), e.getValue(), now)).collect(Collectors.joining("; "));
        } catch (ExecutionException e) {
            return "unknown (" + e.getCause() + ")";
        } catch (TimeoutException e) {
            return "unknown (no answer within " + ASK_TIMEOUT + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown (interrupted)";
        }
    }

    /**
     * "; transactions hanging on partitions ...: " naming each; nothing when there is none; "unknown (...)" in their
     * place when the cluster could not be asked (a principal without DESCRIBE on every topic, say).
     */
    static String describeHanging(Admin admin) {
        String hanging;
        try {
            List<HangingTransactions.Hanging> found = HangingTransactions.find(admin, Duration.ZERO);
            if (found.isEmpty()) {
                return "";
            }
            hanging = found.stream().map(HangingTransactions.Hanging::toString).collect(Collectors.joining("; "));
        } catch (ExecutionException e) {
            hanging = "unknown (" + e.getCause() + ")";
        } catch (TimeoutException | RuntimeException e) {
            hanging = "unknown (" + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            hanging = "unknown (interrupted)";
        }
        return "; transactions hanging on partitions (their coordinator completed them, the partitions never got the marker; "
            + "end each with kafka-transactions.sh): " + hanging;
    }

    private static String line(String id, TransactionDescription description, Instant now) {
        String age = description.transactionStartTimeMs().isPresent()
            ? Duration.between(Instant.ofEpochMilli(description.transactionStartTimeMs().getAsLong()), now).toSeconds() + " s"
            : "unknown time";
        return id + " (" + description.state() + " for " + age + ", producer " + description.producerId() + " epoch "
            + description.producerEpoch() + ", on " + description.topicPartitions() + ")";
    }
}
