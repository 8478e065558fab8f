package io.nmstream.reconciler;

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
 * Describes the transactions still open on the cluster, for the message of a reconciler that cannot get going: under
 * exactly-once, a task cannot start while an open transaction holds offsets of its input (the broker answers "unstable
 * offset commit" until that transaction ends), so an open transaction of a killed instance is the first thing to look at.
 */
final class OpenTransactions {

    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);
    private static final List<TransactionState> OPEN = List.of(TransactionState.ONGOING, TransactionState.PREPARE_COMMIT,
        TransactionState.PREPARE_ABORT);

    private OpenTransactions() {
    }

    /**
     * One line per open transaction whose id starts with {@code prefix}: its id, state, age and partitions; "none" when
     * there is none, or why the cluster could not be asked (a principal without DESCRIBE on transactional ids, say).
     */
    static String describe(Admin admin, String prefix, Instant now) {
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

    private static String line(String id, TransactionDescription description, Instant now) {
        String age = description.transactionStartTimeMs().isPresent()
            ? Duration.between(Instant.ofEpochMilli(description.transactionStartTimeMs().getAsLong()), now).toSeconds() + " s"
            : "unknown time";
        return id + " (" + description.state() + " for " + age + ", producer " + description.producerId() + " epoch "
            + description.producerEpoch() + ", on " + description.topicPartitions() + ")";
    }
}
