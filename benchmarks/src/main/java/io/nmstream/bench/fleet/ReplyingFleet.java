package io.nmstream.bench.fleet;

import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.kafka.KafkaClients;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.DesiredStateCommand;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;
import io.nmstream.schemas.avro.NodeEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * A stand-in fleet: many nodes answered by one consumer of the commands topic and one producer of enactments. Each
 * command of one of its nodes is answered at once with PROGRESSING then AVAILABLE, as an agent with apply time 0 would.
 *
 * <p>It registers its nodes in the inventory itself. It shares one consumer among all nodes, which the real agents do
 * not (each consumes only its own node's commands), so it is at least as fast as the node executor's simulated fleet.
 */
public final class ReplyingFleet implements SimulatedFleet {

    /** Reason of the PROGRESSING report, as kubernetes-nmstate's NNCE shows it. */
    static final String PROGRESSING_REASON = "ConfigurationProgressing";
    /** Reason of the AVAILABLE report, as kubernetes-nmstate's NNCE shows it. */
    static final String AVAILABLE_REASON = "SuccessfullyConfigured";

    /** The name {@code --fleet} gives it. */
    static final String NAME = "stand-in";
    /** The implementation, as reports name it. */
    static final String DESCRIPTION = "bench stand-in fleet (one consumer for all nodes, answers at once)";

    private final Topics topics;
    private final Set<String> nodes;
    private final KafkaProducer<String, NodeEvent> inventory;
    private final KafkaProducer<String, EnactmentEvent> reports;
    private final KafkaConsumer<String, DesiredStateCommand> commands;
    private final CountDownLatch consuming = new CountDownLatch(1);
    private final AtomicLong answered = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean running = true;

    private ReplyingFleet(ClusterSettings cluster, Topics topics, List<String> nodes) {
        this.topics = topics;
        this.nodes = Set.copyOf(nodes);
        String id = "bench-fleet-" + UUID.randomUUID();
        this.inventory = KafkaClients.producer(cluster.clientProperties(), topics.nodes(), id + "-inventory");
        this.reports = KafkaClients.producer(cluster.clientProperties(), topics.enactments(), id + "-reports");
        this.commands = KafkaClients.consumer(cluster.clientProperties(), topics.commands(), null, id + "-commands");
        this.thread = new Thread(this::run, "bench-replying-fleet");
        this.thread.setDaemon(true);
    }

    /** Registers {@code count} nodes and starts answering their commands. */
    public static ReplyingFleet start(ClusterSettings cluster, Topics topics, int count) {
        List<String> nodes = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            nodes.add(String.format(Locale.ROOT, "node-%04d", i));
        }
        ReplyingFleet fleet = new ReplyingFleet(cluster, topics, nodes);
        fleet.register(nodes);
        fleet.thread.start();
        return fleet;
    }

    @Override
    public String implementation() {
        return DESCRIPTION;
    }

    @Override
    public void awaitReady(Duration timeout) throws InterruptedException {
        if (!consuming.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("Simulated fleet not consuming commands after " + timeout, failure.get());
        }
    }

    @Override
    public long commandsAnswered() {
        return answered.get();
    }

    @Override
    public void close() {
        running = false;
        commands.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        inventory.close(Duration.ofSeconds(5));
        reports.close(Duration.ofSeconds(5));
    }

    private void register(List<String> names) {
        Instant now = Instant.now();
        for (String node : names) {
            NodeEvent event = NodeEvent.newBuilder().setName(node).setLabels(Map.of("kubernetes.io/hostname", node)).setReady(true)
                .setNetworkManagerVersion("simulated").setLastSeen(now).setRemoved(false).build();
            inventory.send(new ProducerRecord<>(topics.nodes().name(), node, event));
        }
        inventory.flush();
    }

    private void run() {
        try {
            List<TopicPartition> partitions = commands.partitionsFor(topics.commands().name(), Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            commands.assign(partitions);
            commands.seekToBeginning(partitions);
            partitions.forEach(commands::position);
            consuming.countDown();
            while (running) {
                for (ConsumerRecord<String, DesiredStateCommand> record : commands.poll(Duration.ofMillis(100))) {
                    if (record.value() != null && nodes.contains(record.value().getNode())) {
                        answer(record.value());
                    }
                }
            }
        } catch (WakeupException e) {
            if (running) {
                failure.set(e);
            }
        } catch (RuntimeException e) {
            failure.set(e);
        }
    }

    private void answer(DesiredStateCommand command) {
        Instant started = Instant.now();
        String key = Topics.enactmentKey(command.getNode(), command.getPolicy());
        reports.send(new ProducerRecord<>(topics.enactments().name(), key, report(command, EnactmentPhase.PROGRESSING,
            PROGRESSING_REASON, started, null)));
        reports.send(new ProducerRecord<>(topics.enactments().name(), key, report(command, EnactmentPhase.AVAILABLE,
            AVAILABLE_REASON, started, Instant.now())));
        answered.incrementAndGet();
    }

    private static EnactmentEvent report(DesiredStateCommand command, EnactmentPhase phase, String reason, Instant started,
                                         Instant finished) {
        return EnactmentEvent.newBuilder()
            .setEventId(UUID.randomUUID().toString())
            .setNode(command.getNode())
            .setPolicy(command.getPolicy())
            .setGeneration(command.getGeneration())
            .setCommandId(command.getCommandId())
            .setPhase(phase)
            .setReason(reason)
            .setMessage(phase == EnactmentPhase.AVAILABLE ? "Simulated apply succeeded" : "Simulated apply in progress")
            .setAttempt(1)
            .setStartedAt(started)
            .setFinishedAt(finished)
            .setDurationMillis(finished == null ? null : finished.toEpochMilli() - started.toEpochMilli())
            .setDesiredStateDigest(command.getDesiredStateDigest())
            .setTimestamp(finished == null ? started : finished)
            .build();
    }
}
