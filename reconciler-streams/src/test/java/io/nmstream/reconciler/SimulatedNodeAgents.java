package io.nmstream.reconciler;

import io.nmstream.common.kafka.KafkaClients;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.DesiredStateCommand;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Stands in for the node agents of a whole fleet in integration tests: reads every command, reports PROGRESSING at
 * once and AVAILABLE once the command has been held for {@code applyTime} (so that rollouts really run in parallel). A
 * command it receives again (the reconciler re-sends unanswered commands after a restart) is answered as a node agent
 * answers it from its ledger: AVAILABLE at once if it was applied, nothing more while it is still being applied.
 *
 * <p>One thread writes every report, and each report's timestamp is strictly later than the previous one, so the
 * enactment log ordered by timestamp is the order in which nodes started and finished.
 */
final class SimulatedNodeAgents implements AutoCloseable {

    private final KafkaConsumer<String, DesiredStateCommand> commands;
    private final KafkaProducer<String, EnactmentEvent> reports;
    private final Topics topics;
    private final Duration applyTime;
    private final Deque<Applying> applying = new ArrayDeque<>();
    private final Set<String> received = new HashSet<>();
    private final Set<String> applied = new HashSet<>();
    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean running = true;
    private long lastTimestamp;

    private record Applying(DesiredStateCommand command, long startedAt) {
    }

    SimulatedNodeAgents(Properties client, Topics topics, Duration applyTime) {
        this.topics = topics;
        this.applyTime = applyTime;
        this.commands = KafkaClients.consumer(client, topics.commands(), "agents-" + topics.namespace(), "simulated-agents");
        this.reports = KafkaClients.producer(client, topics.enactments(), "simulated-agents");
        commands.subscribe(List.of(topics.commands().name()));
        thread = new Thread(this::run, "simulated-node-agents");
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, DesiredStateCommand> record : commands.poll(Duration.ofMillis(20))) {
                    String commandId = record.value().getCommandId();
                    if (applied.contains(commandId)) {
                        report(record.value(), EnactmentPhase.AVAILABLE, "SuccessfullyConfigured");
                    } else if (received.add(commandId)) {
                        report(record.value(), EnactmentPhase.PROGRESSING, "ConfigurationProgressing");
                        applying.add(new Applying(record.value(), System.currentTimeMillis()));
                    }
                }
                while (!applying.isEmpty() && applying.peek().startedAt() + applyTime.toMillis() <= System.currentTimeMillis()) {
                    DesiredStateCommand done = applying.poll().command();
                    applied.add(done.getCommandId());
                    report(done, EnactmentPhase.AVAILABLE, "SuccessfullyConfigured");
                }
                reports.flush();
                commands.commitSync();
            }
        } catch (RuntimeException e) {
            failure.set(e);
        }
    }

    private void report(DesiredStateCommand command, EnactmentPhase phase, String reason) {
        long now = Math.max(System.currentTimeMillis(), lastTimestamp + 1);
        lastTimestamp = now;
        EnactmentEvent event = EnactmentEvent.newBuilder()
            .setEventId(UUID.randomUUID().toString())
            .setNode(command.getNode())
            .setPolicy(command.getPolicy())
            .setGeneration(command.getGeneration())
            .setCommandId(command.getCommandId())
            .setPhase(phase)
            .setReason(reason)
            .setAttempt(1)
            .setTimestamp(Instant.ofEpochMilli(now))
            .build();
        reports.send(new ProducerRecord<>(topics.enactments().name(), Topics.enactmentKey(command.getNode(), command.getPolicy()), event));
    }

    /** The error that stopped the agents, if any. */
    Throwable failure() {
        return failure.get();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join();
        commands.close();
        reports.close();
    }
}
