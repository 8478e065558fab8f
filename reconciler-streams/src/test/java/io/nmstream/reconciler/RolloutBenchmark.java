package io.nmstream.reconciler;

import io.nmstream.common.config.Config;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.DesiredStateCommand;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;
import io.nmstream.schemas.avro.NodeEvent;
import io.nmstream.schemas.avro.PolicyEvent;
import io.nmstream.schemas.registry.InMemorySchemaRegistryClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * Not a test: measures the topology's own cost (no broker) of rolling one policy over N nodes with maxUnavailable
 * 10%, agents answering at once. Run: {@code java -cp <test classpath> io.nmstream.reconciler.RolloutBenchmark 20000}.
 */
public final class RolloutBenchmark {

    private RolloutBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Path stateDir = Files.createTempDirectory("reconciler-benchmark");
        Topics topics = Topics.withDefaults(new InMemorySchemaRegistryClient());
        Config config = Config.of(Map.of(ReconcilerConfig.STATE_DIR.name(), stateDir.toString()));
        ReconcilerConfig reconcilerConfig = ReconcilerConfig.from(config);
        StreamsBuilder builder = new StreamsBuilder();
        ReconcilerTopology.build(builder, topics, reconcilerConfig);
        Properties props = reconcilerConfig.streamsProperties(new ClusterSettings(config), topics);
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(props), props)) {
            TestInputTopic<String, NodeEvent> nodeInput = driver.createInputTopic(topics.nodes().name(),
                topics.nodes().keySerde().serializer(), topics.nodes().valueSerde().serializer());
            TestInputTopic<String, PolicyEvent> policyInput = driver.createInputTopic(topics.policies().name(),
                topics.policies().keySerde().serializer(), topics.policies().valueSerde().serializer());
            TestInputTopic<String, EnactmentEvent> reports = driver.createInputTopic(topics.enactments().name(),
                topics.enactments().keySerde().serializer(), topics.enactments().valueSerde().serializer());
            TestOutputTopic<String, DesiredStateCommand> commands = driver.createOutputTopic(topics.commands().name(),
                topics.commands().keySerde().deserializer(), topics.commands().valueSerde().deserializer());

            long start = System.nanoTime();
            for (int i = 0; i < nodes; i++) {
                String name = String.format(Locale.ROOT, "node-%06d", i);
                nodeInput.pipeInput(name, NodeEvent.newBuilder().setName(name).setLastSeen(Instant.now()).build());
            }
            long inventoryDone = System.nanoTime();
            PolicyEvent policy = ReconcilerHarness.policy("br-ex", "10%", Map.of()).build();
            policyInput.pipeInput(policy.getName(), policy);
            long matched = System.nanoTime();
            int applied = 0;
            List<DesiredStateCommand> open = commands.readValuesToList();
            while (!open.isEmpty()) {
                for (DesiredStateCommand command : open) {
                    reports.pipeInput(Topics.enactmentKey(command.getNode(), command.getPolicy()), EnactmentEvent.newBuilder()
                        .setEventId(UUID.randomUUID().toString()).setNode(command.getNode()).setPolicy(command.getPolicy())
                        .setGeneration(command.getGeneration()).setCommandId(command.getCommandId()).setPhase(EnactmentPhase.AVAILABLE)
                        .setTimestamp(Instant.now()).build());
                    applied++;
                }
                open = commands.readValuesToList();
            }
            long done = System.nanoTime();
            Runtime rt = Runtime.getRuntime();
            System.out.printf(Locale.ROOT, "nodes=%d inventory=%.1fs policy-matched=%.1fs rollout=%.1fs applied=%d heap-used=%dMB%n",
                nodes, (inventoryDone - start) / 1e9, (matched - inventoryDone) / 1e9, (done - matched) / 1e9, applied,
                (rt.totalMemory() - rt.freeMemory()) >> 20);
        }
    }
}
