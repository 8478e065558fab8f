package io.nmstream.bench.baseline;

import io.nmstream.common.kafka.KafkaClients;
import io.nmstream.schemas.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * The rollout baseline: plain Kafka producers and consumers moving records through a chain of topics, each hop reading
 * every record of one topic and writing its share of the next topic's records at once, with no processing at all.
 *
 * <p>Stage 0 is produced by the caller's thread; each later stage by a relay thread that consumes the stage before it;
 * a sink consumes the last stage. A relay spreads its outputs evenly over its inputs (1 policy fans out to N commands,
 * N commands to E enactments, ...). Producers and consumers use nmstream's client settings (idempotent, acks=all,
 * read_committed), and every consumer is assigned and positioned (at the topic's end) before the clock starts, as
 * nmstream's services are.
 */
public final class HopChain {

    /** One topic of the chain: how many records it receives and how big they are. */
    public record Stage(Topic<?, ?> topic, long records, int keyBytes, int valueBytes) {

        public Stage {
            Objects.requireNonNull(topic, "topic");
            if (records < 1) {
                throw new IllegalArgumentException("Stage " + topic.name() + " has records " + records + ": it needs at least 1");
            }
        }
    }

    /** How long the chain took, from the first record produced to the last record consumed at the end. */
    public record Result(long elapsedNanos, long recordsMoved) {

        public double elapsedMillis() {
            return elapsedNanos / 1e6;
        }
    }

    private HopChain() {
    }

    /** How many outputs the {@code index}-th of {@code inputs} input records triggers, for {@code outputs} in all. */
    public static long outputsFor(long index, long inputs, long outputs) {
        return Math.floorDiv((index + 1) * outputs, inputs) - Math.floorDiv(index * outputs, inputs);
    }

    /** Runs the chain once; fails when the last record has not arrived within {@code timeout}. */
    public static Result run(Properties clientProperties, List<Stage> stages, Duration timeout) throws InterruptedException {
        if (stages.size() < 2) {
            throw new IllegalArgumentException("A chain needs at least two stages, got " + stages.size());
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        long[] finishedAt = new long[1];
        List<KafkaConsumer<byte[], byte[]>> consumers = new ArrayList<>();
        List<KafkaProducer<byte[], byte[]>> producers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        try {
            for (int i = 1; i < stages.size(); i++) {
                Stage input = stages.get(i - 1);
                Stage output = stages.get(i);
                KafkaConsumer<byte[], byte[]> consumer = positionedConsumer(clientProperties, input, "bench-hop-" + i);
                consumers.add(consumer);
                KafkaProducer<byte[], byte[]> producer = warmProducer(clientProperties, output, "bench-hop-" + i);
                producers.add(producer);
                threads.add(new Thread(() -> relay(consumer, input.records(), producer, output, failure), "bench-hop-" + i));
            }
            Stage last = stages.get(stages.size() - 1);
            KafkaConsumer<byte[], byte[]> sink = positionedConsumer(clientProperties, last, "bench-hop-sink");
            consumers.add(sink);
            threads.add(new Thread(() -> {
                consume(sink, last.records(), record -> {
                });
                finishedAt[0] = System.nanoTime();
                done.countDown();
            }, "bench-hop-sink"));
            KafkaProducer<byte[], byte[]> source = warmProducer(clientProperties, stages.get(0), "bench-hop-0");
            producers.add(source);
            threads.forEach(t -> {
                t.setDaemon(true);
                t.setUncaughtExceptionHandler((thread, e) -> failure.compareAndSet(null, e));
                t.start();
            });
            long started = System.nanoTime();
            emit(source, stages.get(0), 0, stages.get(0).records());
            source.flush();
            if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("Baseline chain did not finish within " + timeout, failure.get());
            }
            long moved = stages.stream().mapToLong(Stage::records).sum();
            return new Result(finishedAt[0] - started, moved);
        } finally {
            consumers.forEach(KafkaConsumer::wakeup);
            for (Thread t : threads) {
                t.join(5_000);
            }
            consumers.forEach(KafkaConsumer::close);
            producers.forEach(p -> p.close(Duration.ofSeconds(5)));
        }
    }

    private static void relay(KafkaConsumer<byte[], byte[]> consumer, long inputs, KafkaProducer<byte[], byte[]> producer, Stage output,
                              AtomicReference<Throwable> failure) {
        long[] seen = {0};
        long[] emitted = {0};
        try {
            consume(consumer, inputs, record -> {
                long n = outputsFor(seen[0]++, inputs, output.records());
                emit(producer, output, emitted[0], n);
                emitted[0] += n;
            });
            producer.flush();
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }

    /** Consumes until {@code expected} records arrived (or the consumer is woken up). */
    private static void consume(KafkaConsumer<byte[], byte[]> consumer, long expected,
                                java.util.function.Consumer<ConsumerRecord<?, ?>> each) {
        long seen = 0;
        try {
            while (seen < expected) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    each.accept(record);
                    seen++;
                }
            }
        } catch (WakeupException e) {
            // closed before the end: the caller reports the timeout
        }
    }

    private static void emit(KafkaProducer<byte[], byte[]> producer, Stage stage, long first, long count) {
        byte[] value = payload(stage.valueBytes(), first);
        for (long n = first; n < first + count; n++) {
            producer.send(new ProducerRecord<>(stage.topic().name(), key(n, stage.keyBytes()), value));
        }
    }

    /** A producer that already knows the topic's partitions and leaders, as the long-running services' producers do. */
    private static KafkaProducer<byte[], byte[]> warmProducer(Properties clientProperties, Stage stage, String clientId) {
        KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(clientProperties, stage.topic().asBytes(), clientId);
        producer.partitionsFor(stage.topic().name());
        return producer;
    }

    private static KafkaConsumer<byte[], byte[]> positionedConsumer(Properties clientProperties, Stage stage, String clientId) {
        KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(clientProperties, stage.topic().asBytes(), null, clientId);
        List<TopicPartition> partitions = consumer.partitionsFor(stage.topic().name(), Duration.ofSeconds(30)).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        // from the end: a chain's topics can carry one run after another, each run reading only its own records
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }

    /** A distinct key of about {@code width} bytes, so records spread over partitions as node-keyed ones do. */
    static byte[] key(long n, int width) {
        return String.format(Locale.ROOT, "%0" + Math.max(width, 1) + "d", n).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] payload(int size, long seed) {
        byte[] value = new byte[Math.max(size, 0)];
        new Random(seed).nextBytes(value);
        return value;
    }
}
