package io.nmstream.status.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nmstream.embedded.EmbeddedCluster;
import io.nmstream.embedded.junit.EmbeddedClusterExtension;
import io.nmstream.embedded.junit.PoisonRecords;
import io.nmstream.embedded.junit.PoisonRecords.Poison;
import io.nmstream.schemas.DeadLetterHeaders;
import io.nmstream.schemas.Topics;
import io.nmstream.status.projector.StatusProjector;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/** {@code nmstream dead-letters} shows an operator what the projector set aside, and why, from the real topic. */
@ExtendWith(EmbeddedClusterExtension.class)
class DeadLettersCommandIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void listsEachRefusedRecordAndCountsThemPerRuleOnceEachWhateverTheRestarts(EmbeddedCluster cluster) {
        Topics topics = cluster.createTopics("dead-letters-" + UUID.randomUUID());
        List<Poison> poison = PoisonRecords.policies(topics);
        PoisonRecords.send(cluster, topics.policies(), poison);
        // the projector reads its topics again at each start, and sets the same records aside again
        for (int start = 1; start <= 2; start++) {
            try (StatusProjector projector = StatusProjector.start(cluster.config(), topics, List.of(), new SimpleMeterRegistry())) {
                int letters = start * poison.size();
                await().atMost(WAIT).until(() -> PoisonRecords.deadLetters(cluster, topics).size() == letters);
            }
        }
        String reader = new String(PoisonRecords.deadLetters(cluster, topics).get(0).headers().lastHeader(DeadLetterHeaders.PROCESSOR)
            .value(), StandardCharsets.UTF_8);
        Map<String, Long> perRule = new TreeMap<>(poison.stream().collect(Collectors.groupingBy(Poison::reason, Collectors.counting())));

        String summary = run(cluster, topics, "--summary");

        List<String> lines = summary.lines().toList();
        assertThat(lines.get(0)).matches("RULE\\s+READER\\s+RECORDS\\s+DEAD LETTERS");
        assertThat(lines.subList(1, lines.size())).hasSize(perRule.size());
        perRule.forEach((rule, count) -> assertThat(summary)
            .containsPattern("(?m)^" + rule + "\\s+" + reader + "\\s+" + count + "\\s+" + 2 * count + "$"));

        String list = run(cluster, topics);
        assertThat(list.lines().skip(1)).hasSize(2 * poison.size());
        assertThat(list).containsPattern(topics.policies().name() + "-\\d+@\\d+\\s+" + reader + "\\s+generation\\s+.*field generation "
            + "has value '-7'");
    }

    private static String run(EmbeddedCluster cluster, Topics topics, String... args) {
        StringWriter out = new StringWriter();
        List<String> all = new java.util.ArrayList<>(List.of("--bootstrap-servers", cluster.bootstrapServers(), "--registry-url",
            cluster.registryUrl(), "--namespace", topics.namespace()));
        all.addAll(List.of(args));
        int code = new CommandLine(new DeadLettersCommand()).setOut(new PrintWriter(out)).execute(all.toArray(String[]::new));
        assertThat(code).isZero();
        return out.toString();
    }
}
