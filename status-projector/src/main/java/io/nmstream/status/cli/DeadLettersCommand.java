package io.nmstream.status.cli;

import io.nmstream.common.cli.ClusterOptions;
import io.nmstream.common.cli.DurationConverter;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.kafka.KafkaClients;
import io.nmstream.common.kafka.ReadTimeoutException;
import io.nmstream.schemas.DeadLetterHeaders;
import io.nmstream.schemas.Topic;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code nmstream dead-letters [--summary]}: what the services set aside, from the dead-letter topic's headers, so that
 * an operator sees why a record was refused without a Kafka tool.
 */
@Command(name = "dead-letters", mixinStandardHelpOptions = true,
    description = "List the records the services set aside (dead letters): where each came from, who refused it and why.")
public final class DeadLettersCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions options = new ClusterOptions();

    @Option(names = "--summary", description = "Count the records set aside per rule and reader instead of listing them.")
    boolean summary;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
        description = "Longest time to read the dead-letter topic (default: ${DEFAULT-VALUE}).")
    Duration timeout = Duration.ofSeconds(60);

    /** One dead letter, from its headers. */
    private record Letter(Instant time, String source, String processor, String rule, String reason) {
    }

    @Override
    public Integer call() {
        ClusterSettings cluster = options.answeringCluster();
        List<Letter> letters = read(cluster, options.topics(cluster).deadLetters(), timeout);
        PrintWriter out = spec.commandLine().getOut();
        List<List<String>> rows = new ArrayList<>();
        if (summary) {
            // a reader that reads its topics again at each start (the projector) sets the same record aside again: a
            // record counts once per reader, by its source position
            Map<List<String>, Set<String>> sources = new TreeMap<>((a, b) -> String.join("\0", a).compareTo(String.join("\0", b)));
            Map<List<String>, Integer> letterCounts = new TreeMap<>((a, b) -> String.join("\0", a).compareTo(String.join("\0", b)));
            for (Letter letter : letters) {
                List<String> group = List.of(letter.rule(), letter.processor());
                sources.computeIfAbsent(group, g -> new HashSet<>()).add(letter.source());
                letterCounts.merge(group, 1, Integer::sum);
            }
            rows.add(List.of("RULE", "READER", "RECORDS", "DEAD LETTERS"));
            sources.forEach((group, set) -> rows.add(List.of(group.get(0), group.get(1), Integer.toString(set.size()),
                Integer.toString(letterCounts.get(group)))));
        } else {
            rows.add(List.of("TIME", "SOURCE", "READER", "RULE", "REASON"));
            letters.forEach(l -> rows.add(List.of(l.time().toString(), l.source(), l.processor(), l.rule(), l.reason())));
        }
        if (rows.size() == 1) {
            spec.commandLine().getErr().println("No dead letters");
            return 0;
        }
        StatusPrinter.print(out, rows);
        return 0;
    }

    private static List<Letter> read(ClusterSettings cluster, Topic<byte[], byte[]> topic, Duration timeout) {
        List<Letter> letters = new ArrayList<>();
        KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(cluster.clientProperties(), topic, null,
            "nmstream-dead-letters-" + UUID.randomUUID());
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Instant deadline = Instant.now().plus(timeout);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (Instant.now().isAfter(deadline)) {
                    throw new ReadTimeoutException("Topic '" + topic.name() + "'", timeout);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    letters.add(new Letter(Instant.ofEpochMilli(record.timestamp()), header(record, DeadLetterHeaders.SOURCE),
                        header(record, DeadLetterHeaders.PROCESSOR), header(record, DeadLetterHeaders.RULE),
                        header(record, DeadLetterHeaders.REASON)));
                }
            }
        } finally {
            KafkaClients.closeReader(consumer);
        }
        return letters;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        // letters written before the rule header existed, or by another tool, lack some headers
        return header == null ? "-" : new String(header.value(), StandardCharsets.UTF_8);
    }
}
