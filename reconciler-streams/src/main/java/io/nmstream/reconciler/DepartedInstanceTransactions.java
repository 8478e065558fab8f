package io.nmstream.reconciler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.KafkaFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Aborts the open transactions of reconciler instances that left the group without ending them (killed, and not
 * started again on their state directory), as soon as the group has settled without them. Under exactly-once a task
 * restores its stores and reads its input read_committed, so until such a transaction ends the instance that took the
 * departed one's tasks, and every reader of the partitions it wrote to, wait where it began; left alone, that is until
 * the broker aborts it at {@code reconciler.transaction.timeout}.
 *
 * <p>Kafka Streams names a thread's transactional id {@code <application.id>-<process id>-<thread>} and its consumer
 * {@code <application.id>-<process id>-StreamThread-<thread>-consumer}. An open transaction whose process id is no
 * member's, read while the group is stable with this instance in it, and the same group read again after, belongs to an
 * instance that left: it is fenced ({@link Admin#fenceProducers}), which aborts it at once. Nothing is fenced when a
 * member's process id cannot be read (a configured {@code client.id}) or the group changes meanwhile.
 */
final class DepartedInstanceTransactions implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DepartedInstanceTransactions.class);
    /** How often the group and the open transactions are read: a few admin requests, and the delay added to a takeover. */
    private static final Duration CHECK_INTERVAL = Duration.ofSeconds(2);
    private static final Duration ASK_TIMEOUT = OpenTransactions.ASK_TIMEOUT;
    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    private final Admin admin;
    private final String applicationId;
    private final Supplier<Optional<String>> ownConsumerClientId;
    private final Pattern transactionalId;
    private final Pattern consumerClientId;
    private final ScheduledExecutorService checks;
    private String lastFailure = "";

    /**
     * @param ownConsumerClientId the client id of one of this instance's stream thread consumers, empty while it has none
     */
    private DepartedInstanceTransactions(Admin admin, String applicationId, Supplier<Optional<String>> ownConsumerClientId) {
        this.admin = admin;
        this.applicationId = applicationId;
        this.ownConsumerClientId = ownConsumerClientId;
        this.transactionalId = Pattern.compile(Pattern.quote(applicationId) + "-(" + UUID + ")-\\d+");
        this.consumerClientId = Pattern.compile(Pattern.quote(applicationId) + "-(" + UUID + ")-StreamThread-\\d+-consumer");
        this.checks = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, applicationId + "-departed-instance-transactions");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Checks every {@link #CHECK_INTERVAL} until closed, with its own admin client. */
    static DepartedInstanceTransactions start(Properties clientProperties, String applicationId,
                                              Supplier<Optional<String>> ownConsumerClientId) {
        DepartedInstanceTransactions departed = new DepartedInstanceTransactions(Admin.create(clientProperties), applicationId,
            ownConsumerClientId);
        departed.checks.scheduleWithFixedDelay(departed::check, CHECK_INTERVAL.toMillis(), CHECK_INTERVAL.toMillis(),
            TimeUnit.MILLISECONDS);
        return departed;
    }

    private void check() {
        try {
            List<String> fenced = fenceDeparted();
            if (!fenced.isEmpty()) {
                LOG.warn("Aborted the open transactions {} of reconciler instances that left group {} without ending them "
                    + "(killed, or started again on another state directory), so that their partitions' readers need not wait "
                    + "for the broker to time them out", fenced, applicationId);
            }
            lastFailure = "";
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            // said once while it lasts (a principal without DESCRIBE on transactional ids, say): the broker's timeout still ends them
            if (!cause.toString().equals(lastFailure)) {
                LOG.warn("Could not look for open transactions of instances that left group {} ({}); they end when the broker "
                    + "times them out", applicationId, cause.toString());
                lastFailure = cause.toString();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Fences the open transactions of process ids the settled group does not have. @return their transactional ids */
    private List<String> fenceDeparted() throws ExecutionException, InterruptedException, TimeoutException {
        Optional<String> own = ownConsumerClientId.get().flatMap(id -> processId(consumerClientId, id));
        if (own.isEmpty()) {
            return List.of();
        }
        Optional<Members> before = settledMembers();
        if (before.isEmpty() || !before.get().processIds().contains(own.get())) {
            return List.of();
        }
        List<String> departed = openTransactionalIds().stream()
            .filter(id -> processId(transactionalId, id).filter(p -> !before.get().processIds().contains(p)).isPresent())
            .sorted().toList();
        if (departed.isEmpty() || !settledMembers().equals(before)) {
            return List.of();
        }
        admin.fenceProducers(departed).all().get(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return departed;
    }

    /**
     * The ids of the open transactions that the brokers answering within {@link #ASK_TIMEOUT} coordinate: a broker down
     * (its coordinators moving to the others) leaves out only its own, for a later check.
     */
    private List<String> openTransactionalIds() throws ExecutionException, InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + ASK_TIMEOUT.toNanos();
        Map<Integer, KafkaFuture<Collection<TransactionListing>>> byBroker = admin.listTransactions(new ListTransactionsOptions()
            .filterStates(OpenTransactions.OPEN)).byBrokerId().get(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        List<String> ids = new ArrayList<>();
        for (KafkaFuture<Collection<TransactionListing>> broker : byBroker.values()) {
            try {
                broker.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
                    .forEach(listing -> ids.add(listing.transactionalId()));
            } catch (ExecutionException | TimeoutException e) {
                LOG.debug("A broker did not list its open transactions: {}", e.toString());
            }
        }
        return ids;
    }

    /** The members of the group and their process ids, when it is stable and every member's process id can be read. */
    private Optional<Members> settledMembers() throws ExecutionException, InterruptedException, TimeoutException {
        ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(applicationId)).describedGroups().get(applicationId)
            .get(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (group.groupState() != GroupState.STABLE) {
            return Optional.empty();
        }
        List<Optional<String>> processIds = group.members().stream().map(m -> processId(consumerClientId, m.clientId())).toList();
        if (processIds.stream().anyMatch(Optional::isEmpty)) {
            return Optional.empty();
        }
        return Optional.of(new Members(group.members().stream().map(MemberDescription::consumerId).collect(Collectors.toSet()),
            processIds.stream().map(Optional::get).collect(Collectors.toSet())));
    }

    private static Optional<String> processId(Pattern pattern, String id) {
        Matcher matcher = pattern.matcher(id);
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    private record Members(Set<String> memberIds, Set<String> processIds) {
    }

    @Override
    public void close() {
        checks.shutdownNow();
        try {
            checks.awaitTermination(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        admin.close(Duration.ZERO);
    }
}
